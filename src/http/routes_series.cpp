// Periodic series (nhiệm vụ định kỳ): starting, reading, listing, changing from a task on, and
// stopping. Each deadline of a series becomes an ordinary task under /api/v1/tasks.
#include "api_impl.hpp"

namespace dondoc::http {

namespace {

// The fields a series' tasks take from it; their dates come from the rule.
const std::set<std::string> kPatternFields = {
    "title",    "description",  "source_ref", "source_date",           "source_title",
    "assigner", "lead_unit_id", "priority",   "coordinating_unit_ids", "leader_id",
    "key_task"};
const std::set<std::string> kSeriesReadOnly = {
    "id",        "state",   "generated",  "last_index", "last_due_on", "next_generate_on",
    "stop_note", "version", "created_at", "updated_at", "upcoming",    "tasks"};
const std::set<std::string> kRuleFields = {"frequency",  "month_of_period", "day_rule", "day",
                                           "on_day_off", "ends_on",         "count"};

std::set<std::string> with(std::set<std::string> fields, std::initializer_list<const char*> more) {
  for (const char* m : more) {
    fields.insert(m);
  }
  return fields;
}

std::optional<domain::Priority> read_priority(JsonFields& f) {
  auto p = f.string("priority");
  if (!p) {
    return std::nullopt;
  }
  auto priority = domain::parse_priority(*p);
  if (!priority) {
    f.errors().add(f.path("priority"), "must be normal or urgent");
  }
  return priority;
}

// The rule under "rule"; nullopt when absent (then `required` says whether that is an error).
std::optional<domain::RecurrenceRule> read_rule(JsonFields& f, bool required) {
  const nlohmann::json* body = f.object("rule");
  if (!body) {
    if (required && !f.has("rule")) {
      f.errors().add("rule", "is required, e.g. {\"frequency\": \"monthly\", \"day\": 20}");
    }
    return std::nullopt;
  }
  JsonFields r(*body, kRuleFields, kNoFields, f.errors(), "rule.");
  domain::RecurrenceRule rule;
  if (auto v = r.string("frequency", true)) {
    auto fr = domain::parse_frequency(*v);
    if (!fr) {
      r.errors().add("rule.frequency", "must be one of " + domain::frequency_names());
    }
    rule.frequency = fr.value_or(domain::Frequency::monthly);
  }
  rule.month_of_period = static_cast<int>(r.integer("month_of_period", 1, 12).value_or(1));
  if (auto v = r.string("day_rule")) {
    auto dr = domain::parse_day_rule(*v);
    if (!dr) {
      r.errors().add("rule.day_rule", "must be one of " + domain::day_rule_names());
    }
    rule.day_rule = dr.value_or(domain::DayRule::day_of_month);
  }
  rule.day = static_cast<int>(r.integer("day", 1, 31, true).value_or(1));
  if (auto v = r.string("on_day_off")) {
    auto roll = domain::parse_day_off_roll(*v);
    if (!roll) {
      r.errors().add("rule.on_day_off", "must be one of " + domain::day_off_roll_names());
    }
    rule.on_day_off = roll.value_or(domain::DayOffRoll::keep);
  }
  rule.ends_on = r.nullable_date("ends_on").value_or(std::nullopt);
  if (auto c = r.nullable_integer("count", 1, domain::kMaxSeriesCount)) {
    rule.count = c->has_value() ? std::optional<int>(static_cast<int>(**c)) : std::nullopt;
  }
  return rule;
}

service::NewSeries read_new_series(const nlohmann::json& body) {
  domain::FieldErrors errors;
  JsonFields f(body, with(kPatternFields, {"rule", "starts_on"}), kSeriesReadOnly, errors);
  service::NewSeries s;
  auto& t = s.pattern;
  t.title = f.string("title", true).value_or("");
  t.description = f.string("description").value_or("");
  t.source_ref = f.string("source_ref").value_or("");
  t.source_date = f.nullable_date("source_date").value_or(std::nullopt);
  t.source_title = f.string("source_title").value_or("");
  t.assigner = f.string("assigner").value_or("");
  t.lead_unit_id = f.integer("lead_unit_id", 1, kMaxId, true).value_or(0);
  t.coordinating_unit_ids =
      f.id_array("coordinating_unit_ids").value_or(std::vector<std::int64_t>{});
  t.leader_id = f.nullable_integer("leader_id", 1, kMaxId).value_or(std::nullopt);
  t.key_task = f.boolean("key_task").value_or(false);
  t.priority = read_priority(f).value_or(domain::Priority::normal);
  if (auto rule = read_rule(f, true)) {
    s.rule = *rule;
  }
  s.starts_on = f.date("starts_on");
  errors.throw_if_any();
  return s;
}

service::SeriesChange read_series_change(const nlohmann::json& body) {
  domain::FieldErrors errors;
  JsonFields f(body,
               with(kPatternFields, {"from_task_id", "rule", "starts_on", "note", "decision_ref"}),
               kSeriesReadOnly, errors);
  service::SeriesChange c;
  c.from_task_id = f.integer("from_task_id", 1, kMaxId);
  auto& p = c.pattern;
  p.title = f.string("title");
  p.description = f.string("description");
  p.source_ref = f.string("source_ref");
  p.source_date = f.nullable_date("source_date");
  p.source_title = f.string("source_title");
  p.assigner = f.string("assigner");
  p.lead_unit_id = f.integer("lead_unit_id", 1, kMaxId);
  p.coordinating_unit_ids = f.id_array("coordinating_unit_ids");
  p.priority = read_priority(f);
  if (auto l = f.nullable_integer("leader_id", 1, kMaxId)) {
    p.leader_id = *l;
  }
  p.key_task = f.boolean("key_task");
  c.rule = read_rule(f, false);
  c.starts_on = f.date("starts_on");
  c.note = f.string("note", true).value_or("");
  c.decision_ref = f.string("decision_ref").value_or("");
  errors.throw_if_any();
  return c;
}

}  // namespace

Response Api::Impl::series_response(int status, const service::SeriesView& v) const {
  Response r = json_response(status, codec_.series(v, true));
  r.set_header("ETag", etag(v.series.version));
  if (status == 201) {
    r.set_header("Location", "/api/v1/series/" + std::to_string(v.series.id));
  }
  return r;
}

void Api::Impl::add_series_routes() {
  add("GET", "/api/v1/series",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        domain::FieldErrors errors;
        QueryParams q(t.query, {"state", "unit_id", "limit", "cursor"}, errors);
        service::SeriesListRequest r;
        if (auto s = q.string("state")) {
          r.state = domain::parse_series_state(*s);
          if (!r.state) {
            errors.add("state", "must be one of active, stopped, finished");
          }
        }
        r.unit_id = q.integer("unit_id", 1, kMaxId);
        if (auto l = q.integer("limit", 1, INT32_MAX)) {
          r.limit = static_cast<int>(*l);
        }
        r.cursor = q.string("cursor");
        errors.throw_if_any();
        auto page = series_.list(actor, r);
        return json_response(
            200,
            page_json(items_json(page.items,
                                 [this](const service::SeriesView& v) { return codec_.series(v); }),
                      page.total, page.next));
      });
  add("POST", "/api/v1/series",
      [this](const Request& req, const Target&, const Params&, const Actor& actor) -> Outcome {
        auto input = read_new_series(parse_body(req.body, false));
        return deferred(series_.plan_create(actor, std::move(input)), actor, req,
                        [this](const service::SeriesView& v) { return series_response(201, v); });
      });
  add("GET", "/api/v1/series/{id}",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        return series_response(200, series_.get(actor, p[0]));
      });
  add("PATCH", "/api/v1/series/{id}",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        auto version = parse_if_match(req, true);
        auto change = read_series_change(parse_body(req.body, false));
        return deferred(series_.plan_change(actor, p[0], std::move(change), version), actor, req,
                        [this](const service::SeriesView& v) { return series_response(200, v); });
      });
  add("POST", "/api/v1/series/{id}/stop",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        auto version = parse_if_match(req, false);
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, {"note"}, kNoFields, errors);
        std::string note = f.string("note", true).value_or("");
        errors.throw_if_any();
        return deferred(series_.plan_stop(actor, p[0], std::move(note), version), actor, req,
                        [this](const service::SeriesView& v) { return series_response(200, v); });
      });
}

}  // namespace dondoc::http
