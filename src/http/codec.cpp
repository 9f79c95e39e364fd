#include "codec.hpp"

#include "dondoc/domain/effective.hpp"
#include "dondoc/domain/text.hpp"

namespace dondoc::http {

using json = nlohmann::ordered_json;

namespace {
json date_or_null(const std::optional<domain::Date>& d) {
  return d ? json(d->to_string()) : json(nullptr);
}
}  // namespace

std::string Codec::instant(domain::Instant at) const {
  return domain::format_rfc3339(at, zone_.utc_offset(at));
}

json Codec::unit(const domain::Unit& u) const {
  return {{"id", u.id},
          {"code", u.code},
          {"name", u.name},
          {"kind", domain::to_string(u.kind)},
          {"emails", u.emails},
          {"active", u.active},
          {"successor_id", u.successor_id ? json(*u.successor_id) : json(nullptr)},
          {"leader_id", u.leader_id ? json(*u.leader_id) : json(nullptr)},
          {"created_at", instant(u.created_at)},
          {"updated_at", instant(u.updated_at)}};
}

json Codec::task(const service::TaskView& v) const {
  const auto& t = v.task;
  return {{"id", t.id},
          {"title", t.title},
          {"description", t.description},
          {"source_ref", t.source_ref},
          {"source_date", date_or_null(t.source_date)},
          {"source_title", t.source_title},
          {"assigner", t.assigner},
          {"assigned_on", t.assigned_on.to_string()},
          {"lead_unit_id", t.lead_unit_id},
          {"coordinating_unit_ids", t.coordinating_unit_ids},
          {"due_on", date_or_null(t.due_on)},
          {"priority", domain::to_string(t.priority)},
          {"state", domain::to_string(t.state)},
          {"completed_on", date_or_null(t.completed_on)},
          {"completion_ref", t.completion_ref},
          {"cancel_reason", t.cancel_reason},
          {"original_due_on", date_or_null(t.original_due_on)},
          {"extension_count", t.extension_count},
          {"leader_id", t.leader_id ? json(*t.leader_id) : json(nullptr)},
          {"key_task", t.key_task},
          {"series_id", t.series_id ? json(*t.series_id) : json(nullptr)},
          {"series_index", t.series_id ? json(t.series_index) : json(nullptr)},
          {"version", t.version},
          {"created_at", instant(t.created_at)},
          {"updated_at", instant(t.updated_at)},
          {"timeliness", domain::to_string(v.timeliness)},
          {"days_overdue", v.days_overdue}};
}

namespace {

// One JSON object written field by field, in the order they are given, as nlohmann::json would
// dump it (no spaces). Keys are plain ASCII names and are written as they are.
class ObjectText {
 public:
  explicit ObjectText(std::string& out) : out_(out) { out_ += '{'; }
  ~ObjectText() { out_ += '}'; }
  ObjectText(const ObjectText&) = delete;
  ObjectText& operator=(const ObjectText&) = delete;

  void string(std::string_view key, std::string_view value) {
    name(key);
    domain::append_json_string(out_, value);
  }
  void integer(std::string_view key, std::int64_t value) {
    name(key);
    out_ += std::to_string(value);
  }
  void optional_integer(std::string_view key, const std::optional<std::int64_t>& value) {
    name(key);
    out_ += value ? std::to_string(*value) : "null";
  }
  void boolean(std::string_view key, bool value) {
    name(key);
    out_ += value ? "true" : "false";
  }
  void date(std::string_view key, const std::optional<domain::Date>& d) {
    name(key);
    if (d) {
      domain::append_json_string(out_, d->to_string());
    } else {
      out_ += "null";
    }
  }
  void integers(std::string_view key, const std::vector<std::int64_t>& values) {
    name(key);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      out_ += i == 0 ? "" : ",";
      out_ += std::to_string(values[i]);
    }
    out_ += ']';
  }

 private:
  void name(std::string_view key) {
    if (out_.back() != '{') {
      out_ += ',';
    }
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  std::string& out_;
};

}  // namespace

std::string Codec::task_text(const service::TaskView& v) const {
  const auto& t = v.task;
  std::string out;
  out.reserve(640 + t.title.size() + t.description.size() + t.source_title.size() +
              t.completion_ref.size() + t.cancel_reason.size());
  {
    ObjectText o(out);
    o.integer("id", t.id);
    o.string("title", t.title);
    o.string("description", t.description);
    o.string("source_ref", t.source_ref);
    o.date("source_date", t.source_date);
    o.string("source_title", t.source_title);
    o.string("assigner", t.assigner);
    o.date("assigned_on", t.assigned_on);
    o.integer("lead_unit_id", t.lead_unit_id);
    o.integers("coordinating_unit_ids", t.coordinating_unit_ids);
    o.date("due_on", t.due_on);
    o.string("priority", domain::to_string(t.priority));
    o.string("state", domain::to_string(t.state));
    o.date("completed_on", t.completed_on);
    o.string("completion_ref", t.completion_ref);
    o.string("cancel_reason", t.cancel_reason);
    o.date("original_due_on", t.original_due_on);
    o.integer("extension_count", t.extension_count);
    o.optional_integer("leader_id", t.leader_id);
    o.boolean("key_task", t.key_task);
    o.optional_integer("series_id", t.series_id);
    o.optional_integer("series_index",
                       t.series_id ? std::optional<std::int64_t>(t.series_index) : std::nullopt);
    o.integer("version", t.version);
    o.string("created_at", instant(t.created_at));
    o.string("updated_at", instant(t.updated_at));
    o.string("timeliness", domain::to_string(v.timeliness));
    o.integer("days_overdue", v.days_overdue);
  }
  return out;
}

namespace {

json changes_json(const std::vector<domain::FieldChange>& changes) {
  json out = json::array();
  for (const auto& c : changes) {
    out.push_back({{"field", c.field},
                   {"from", c.from ? json(*c.from) : json(nullptr)},
                   {"to", c.to ? json(*c.to) : json(nullptr)}});
  }
  return out;
}

}  // namespace

json Codec::event(const domain::TaskEvent& e) const {
  return {{"id", e.id},
          {"task_id", e.task_id},
          {"at", instant(e.at)},
          {"recorded_at", instant(e.at)},
          {"effective_on", domain::effective_date(e, zone_).to_string()},
          {"actor", e.actor},
          {"kind", domain::to_string(e.kind)},
          {"note", e.note},
          {"changes", changes_json(e.changes)}};
}

json Codec::unit_event(const domain::UnitEvent& e) const {
  return {{"id", e.id},
          {"unit_id", e.unit_id},
          {"at", instant(e.at)},
          {"actor", e.actor},
          {"kind", domain::to_string(e.kind)},
          {"note", e.note},
          {"changes", changes_json(e.changes)}};
}

json Codec::leader(const domain::User& u) const {
  return {{"id", u.id}, {"login", u.login}, {"display_name", u.display_name}};
}

json Codec::user(const domain::User& u) const {
  return {{"id", u.id},
          {"login", u.login},
          {"display_name", u.display_name},
          {"email", u.email},
          {"role", domain::to_string(u.role)},
          {"unit_id", u.unit_id ? json(*u.unit_id) : json(nullptr)},
          {"active", u.active},
          {"has_password", u.has_password},
          {"must_change_password", u.must_change_password},
          {"created_at", instant(u.created_at)},
          {"updated_at", instant(u.updated_at)}};
}

json Codec::token(const domain::ApiToken& t) const {
  return {{"id", t.id},
          {"user_id", t.user_id},
          {"label", t.label},
          {"created_at", instant(t.created_at)},
          {"expires_at", t.expires_at ? json(instant(*t.expires_at)) : json(nullptr)},
          {"revoked_at", t.revoked_at ? json(instant(*t.revoked_at)) : json(nullptr)}};
}

json Codec::extension(const service::ExtensionView& v) const {
  const auto& r = v.request;
  return {
      {"id", r.id},
      {"task_id", r.task_id},
      {"task",
       {{"title", v.task_title},
        {"source_ref", v.task_source_ref},
        {"source_date", date_or_null(v.task_source_date)},
        {"state", domain::to_string(v.task_state)},
        {"due_on", date_or_null(v.task_due_on)}}},
      {"unit_id", r.unit_id},
      {"unit_name", v.unit_name},
      {"origin", domain::to_string(r.origin)},
      {"requested_by", r.requested_by},
      {"current_due_on", r.current_due_on.to_string()},
      {"proposed_due_on", r.proposed_due_on.to_string()},
      {"reason", r.reason},
      {"document_ref", r.document_ref},
      {"late", r.late},
      {"state", domain::to_string(r.state)},
      {"closure", r.closure == domain::ExtensionClosure::none ? json(nullptr)
                                                              : json(domain::to_string(r.closure))},
      {"decided_by", r.decided_by.empty() ? json(nullptr) : json(r.decided_by)},
      {"decided_at", r.decided_at ? json(instant(*r.decided_at)) : json(nullptr)},
      {"decided_due_on", date_or_null(r.decided_due_on)},
      {"filed_on", domain::filed_date(r, zone_).to_string()},
      {"decided_on", date_or_null(domain::decided_date(r, zone_))},
      {"note", r.note},
      {"created_at", instant(r.created_at)},
      {"updated_at", instant(r.updated_at)}};
}

json Codec::audit(const domain::AuditEntry& a) const {
  return {{"id", a.id},
          {"at", instant(a.at)},
          {"actor", a.actor},
          {"actor_user_id", a.actor_user_id ? json(*a.actor_user_id) : json(nullptr)},
          {"action", a.action},
          {"target", a.target},
          {"outcome", a.outcome},
          {"detail", a.detail},
          {"count", a.count},
          {"last_at", a.last_at ? json(instant(*a.last_at)) : json(nullptr)}};
}

json Codec::outbox_message(const domain::OutboxMessage& m) const {
  return {{"id", m.id},
          {"event", m.event},
          {"channel", domain::to_string(m.channel)},
          {"recipient", m.recipient},
          {"task_id", m.task_id ? json(*m.task_id) : json(nullptr)},
          {"subject", m.subject},
          {"message_id", m.message_id},
          {"state", domain::to_string(m.state)},
          {"attempts", m.attempts},
          {"next_attempt_at", instant(m.next_attempt_at)},
          {"last_error", m.last_error},
          {"created_at", instant(m.created_at)},
          {"sent_at", m.sent_at ? json(instant(*m.sent_at)) : json(nullptr)}};
}

json Codec::rule(const domain::RecurrenceRule& r) const {
  return {{"frequency", domain::to_string(r.frequency)},
          {"month_of_period", r.month_of_period},
          {"day_rule", domain::to_string(r.day_rule)},
          {"day", r.day},
          {"on_day_off", domain::to_string(r.on_day_off)},
          {"starts_on", r.starts_on.to_string()},
          {"ends_on", date_or_null(r.ends_on)},
          {"count", r.count ? json(*r.count) : json(nullptr)}};
}

json Codec::series(const service::SeriesView& v, bool with_tasks) const {
  const auto& s = v.series;
  const auto& p = s.pattern;
  json upcoming = json::array();
  for (const auto& o : v.upcoming) {
    upcoming.push_back(
        {{"assigned_on", o.assigned_on.to_string()}, {"due_on", o.due_on.to_string()}});
  }
  json out = {{"id", s.id},
              {"title", p.title},
              {"description", p.description},
              {"source_ref", p.source_ref},
              {"source_date", date_or_null(p.source_date)},
              {"source_title", p.source_title},
              {"assigner", p.assigner},
              {"lead_unit_id", p.lead_unit_id},
              {"coordinating_unit_ids", p.coordinating_unit_ids},
              {"priority", domain::to_string(p.priority)},
              {"leader_id", p.leader_id ? json(*p.leader_id) : json(nullptr)},
              {"key_task", p.key_task},
              {"rule", rule(s.rule)},
              {"state", domain::to_string(s.state)},
              {"generated", s.generated},
              {"last_index", s.last_index},
              {"last_due_on", date_or_null(s.last_due_on)},
              {"next_generate_on", date_or_null(s.next_generate_on)},
              {"stop_note", s.stop_note},
              {"version", s.version},
              {"created_at", instant(s.created_at)},
              {"updated_at", instant(s.updated_at)},
              {"upcoming", std::move(upcoming)}};
  if (with_tasks) {
    json tasks = json::array();
    for (const auto& t : v.tasks) {
      tasks.push_back(task(t));
    }
    out["tasks"] = std::move(tasks);
  }
  return out;
}

json Codec::contribution(const service::ContributionView& v) const {
  const auto& c = v.contribution;
  return {{"task_id", c.task_id},
          {"unit_id", c.unit_id},
          {"unit_name", v.unit_name},
          {"due_on", date_or_null(c.due_on)},
          {"state", domain::to_string(v.state)},
          {"days_late", v.days_late},
          {"sent_on", date_or_null(c.sent_on)},
          {"sent_ref", c.sent_ref},
          {"note", c.note},
          {"sent_by", c.sent_by}};
}

json Codec::attachment(const domain::Attachment& a) const {
  return {{"id", a.id},
          {"task_id", a.task_id},
          {"attached_to", domain::to_string(a.to)},
          {"ref_id", a.ref_id == 0 ? json() : json(a.ref_id)},
          {"name", a.name},
          {"kind", domain::to_string(a.kind)},
          {"media_type", domain::media_type(a.kind)},
          {"size", a.size},
          {"sha256", a.sha256},
          {"uploaded_by", a.uploaded_by},
          {"uploaded_at", instant(a.uploaded_at)},
          {"url", "/api/v1/attachments/" + std::to_string(a.id)}};
}

}  // namespace dondoc::http
