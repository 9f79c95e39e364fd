#include "dondoc/http/api.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <nlohmann/json.hpp>

#include "codec.hpp"
#include "dondoc/domain/errors.hpp"
#include "json_fields.hpp"
#include "query.hpp"

namespace dondoc::http {

namespace {

using json = nlohmann::ordered_json;
using Params = std::vector<std::int64_t>;  // the {id} segments of the matched route, in order

constexpr const char* kJson = "application/json";
constexpr const char* kProblemJson = "application/problem+json";
constexpr std::int64_t kMaxId = INT64_MAX;

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 428:
      return "Precondition Required";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", kJson);
  r.body = body.dump();
  return r;
}

std::string etag(std::int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

// If-Match carries the ETag we sent: "3". `*` matches any version.
std::optional<std::int64_t> parse_if_match(const Request& req, bool required) {
  auto h = req.header("if-match");
  if (!h) {
    if (required) {
      throw domain::ValidationError("If-Match", "__428__");
    }
    return std::nullopt;
  }
  std::string v = *h;
  if (v == "*") {
    return std::nullopt;
  }
  std::int64_t n = 0;
  if (v.size() < 3 || v.front() != '"' || v.back() != '"' ||
      std::from_chars(v.data() + 1, v.data() + v.size() - 1, n).ptr != v.data() + v.size() - 1) {
    throw domain::ValidationError("If-Match",
                                  "must be the task's ETag as sent by dondoc, e.g. \"3\"");
  }
  return n;
}

bool is_json_content_type(const std::optional<std::string>& ct) {
  if (!ct) {
    return false;
  }
  std::string media = ct->substr(0, ct->find(';'));
  while (!media.empty() && media.back() == ' ') {
    media.pop_back();
  }
  for (auto& c : media) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return media == kJson;
}

json page_json(json items, std::int64_t total, const std::optional<std::string>& next) {
  return {
      {"items", std::move(items)}, {"total", total}, {"next", next ? json(*next) : json(nullptr)}};
}

// The fields each request body may carry, built once.
const std::set<std::string> kNone;
const std::set<std::string> kTaskReadOnly = {"id",
                                             "state",
                                             "completed_on",
                                             "completion_ref",
                                             "cancel_reason",
                                             "original_due_on",
                                             "extension_count",
                                             "version",
                                             "created_at",
                                             "updated_at",
                                             "timeliness",
                                             "days_overdue"};
const std::set<std::string> kNewTaskFields = {
    "title",    "description", "source_ref",   "source_date",           "source_title",
    "assigner", "assigned_on", "lead_unit_id", "coordinating_unit_ids", "due_on",
    "deadline", "priority"};
const std::set<std::string> kTaskPatchFields = {
    "title",    "description", "source_ref",   "source_date",           "source_title",
    "assigner", "assigned_on", "lead_unit_id", "coordinating_unit_ids", "due_on",
    "priority", "note"};
const std::set<std::string> kDeadlineFields = {"working_days", "days"};
const std::set<std::string> kNewUnitFields = {"code", "name", "kind", "emails"};
const std::set<std::string> kNewUnitReadOnly = {"id", "active", "successor_id", "created_at",
                                                "updated_at"};
const std::set<std::string> kUnitPatchFields = {"code",   "name",   "kind",
                                                "emails", "active", "successor_id"};
const std::set<std::string> kUnitReadOnly = {"id", "created_at", "updated_at"};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;
  std::function<Outcome(const Request&, const Target&, const Params&)> handler;
};

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  if (path.empty() || path[0] != '/') {
    return {"\x01"};  // never matches
  }
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) {
      end = path.size();
    }
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

Response problem(int status, const std::string& detail, const std::string& instance,
                 const std::vector<domain::FieldError>& errors) {
  json body = {{"type", "about:blank"},
               {"title", reason_phrase(status)},
               {"status", status},
               {"detail", detail}};
  if (!instance.empty()) {
    body["instance"] = instance.substr(0, instance.find('?'));
  }
  if (!errors.empty()) {
    json list = json::array();
    for (const auto& e : errors) {
      list.push_back({{"field", e.field}, {"message", e.message}});
    }
    body["errors"] = list;
  }
  Response r;
  r.status = status;
  r.set_header("Content-Type", kProblemJson);
  r.body = body.dump();
  return r;
}

struct Api::Impl {
  Impl(service::ServiceContext& ctx, ApiInfo info)
      : ctx_(ctx), info_(std::move(info)), units_(ctx), tasks_(ctx), codec_(ctx.zone) {
    build_routes();
  }

  service::ServiceContext& ctx_;
  ApiInfo info_;
  service::UnitService units_;
  mutable service::TaskService tasks_;
  Codec codec_;
  std::vector<Route> routes_;
  std::atomic<bool> draining_{false};
  std::shared_ptr<spdlog::logger> log_ = spdlog::get("http");

  void add(std::string method, std::string pattern,
           std::function<Outcome(const Request&, const Target&, const Params&)> h) {
    auto segments = split_path(pattern);
    routes_.push_back({std::move(method), std::move(pattern), std::move(segments), std::move(h)});
  }

  Outcome route(const Request& req) const {
    try {
      const Target target = parse_target(req.target);
      const auto segments = split_path(target.path);
      std::vector<std::string> allowed;
      for (const auto& route : routes_) {
        Params params;
        if (!match(route, segments, params)) {
          continue;
        }
        if (route.method != req.method) {
          allowed.push_back(route.method);
          continue;
        }
        if (!req.body.empty() && !is_json_content_type(req.header("content-type"))) {
          return problem(415,
                         "request bodies must be application/json, not '" +
                             req.header("content-type").value_or("(none)") + "'",
                         req.target);
        }
        return route.handler(req, target, params);
      }
      if (!allowed.empty()) {
        std::string allow;
        for (const auto& m : allowed) {
          allow += (allow.empty() ? "" : ", ") + m;
        }
        Response r =
            problem(405, req.method + " is not allowed on " + target.path + "; allowed: " + allow,
                    req.target);
        r.set_header("Allow", allow);
        return r;
      }
      return problem(404, "no resource at " + target.path, req.target);
    } catch (...) {
      return problem_for(std::current_exception(), req.target);
    }
  }

  // The problem+json answer for an error from a handler or a write.
  Response problem_for(std::exception_ptr error, const std::string& target) const {
    try {
      std::rethrow_exception(error);
    } catch (const domain::ValidationError& e) {
      if (e.errors().size() == 1 && e.errors()[0].message == "__428__") {
        return problem(428,
                       "this update needs an If-Match header with the task's ETag (from GET), "
                       "so that it cannot overwrite a change made meanwhile",
                       target);
      }
      bool body_level = e.errors().size() == 1 && e.errors()[0].field.empty();
      return problem(400, body_level ? e.errors()[0].message : "the request has invalid fields",
                     target, body_level ? std::vector<domain::FieldError>{} : e.errors());
    } catch (const domain::NotFound& e) {
      return problem(404, e.what(), target);
    } catch (const domain::Conflict& e) {
      return problem(409, e.what(), target);
    } catch (const domain::VersionMismatch& e) {
      return problem(412, e.what(), target);
    } catch (const domain::StorageError& e) {
      log_->error("event=storage_error target=\"{}\" error=\"{}\"", target, e.what());
      return problem(503, "the database is unavailable; the request was not applied", target);
    } catch (const std::exception& e) {
      log_->error("event=internal_error target=\"{}\" error=\"{}\"", target, e.what());
      return problem(500, "internal error; the request was not applied", target);
    }
  }

  // A planned write as an Outcome: the plan's database part is the write (errors kept for the
  // answer), the rest renders the answer after the commit.
  template <typename T, typename Render>
  Outcome deferred(service::WritePlan<T> plan, std::string target, Render render) const {
    auto error = std::make_shared<std::exception_ptr>();
    return Outcome(
        [this, apply = std::move(plan.apply), error] {
          try {
            ctx_.store.write(apply);
          } catch (...) {
            *error = std::current_exception();
          }
        },
        [this, result = std::move(plan.result), render = std::move(render), error,
         target = std::move(target)]() -> Response {
          if (*error) {
            return problem_for(*error, target);
          }
          try {
            return render(result());
          } catch (...) {
            return problem_for(std::current_exception(), target);
          }
        });
  }

  // Literal segments must be equal; {id} segments must be positive integers (anything else is
  // simply not a resource: 404).
  static bool match(const Route& route, const std::vector<std::string>& segments, Params& params) {
    if (route.segments.size() != segments.size()) {
      return false;
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const auto& p = route.segments[i];
      if (p.size() > 2 && p.front() == '{') {
        std::int64_t id = 0;
        const auto& s = segments[i];
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
        if (ec != std::errc() || ptr != s.data() + s.size() || id < 1 || s.empty() || s[0] == '+') {
          return false;
        }
        params.push_back(id);
      } else if (p != segments[i]) {
        return false;
      }
    }
    return true;
  }

  Response task_response(int status, const service::TaskView& v) const {
    Response r = json_response(status, codec_.task(v));
    r.set_header("ETag", etag(v.task.version));
    if (status == 201) {
      r.set_header("Location", "/api/v1/tasks/" + std::to_string(v.task.id));
    }
    return r;
  }

  void build_routes();
  service::NewTask read_new_task(const nlohmann::json& body) const;
  service::TaskPatch read_task_patch(const nlohmann::json& body) const;
};

void Api::Impl::build_routes() {
  const service::Actor actor;  // authentication comes with the next issue

  add("GET", "/healthz", [this](const Request&, const Target&, const Params&) -> Outcome {
    const bool draining = draining_.load();
    return json_response(draining ? 503 : 200, {{"status", draining ? "draining" : "ok"},
                                                {"version", info_.version},
                                                {"schema_version", ctx_.store.schema_version()},
                                                {"durability", ctx_.store.durability()},
                                                {"time_zone", info_.time_zone},
                                                {"today", ctx_.today().to_string()}});
  });

  // ---- units ----
  add("GET", "/api/v1/units", [this](const Request&, const Target& t, const Params&) -> Outcome {
    domain::FieldErrors errors;
    QueryParams q(t.query, {"active", "kind", "q", "limit", "cursor"}, errors);
    service::UnitListRequest r;
    r.active = q.boolean("active");
    if (auto k = q.string("kind")) {
      r.kind = domain::parse_unit_kind(*k);
      if (!r.kind) {
        errors.add("kind", "must be one of department, agency, commune, ward, other");
      }
    }
    r.q = q.string("q").value_or("");
    if (auto l = q.integer("limit", 1, INT32_MAX)) {
      r.limit = static_cast<int>(*l);
    }
    r.cursor = q.string("cursor");
    errors.throw_if_any();
    auto page = units_.list(r);
    json items = json::array();
    for (const auto& u : page.items) {
      items.push_back(codec_.unit(u));
    }
    return json_response(200, page_json(std::move(items), page.total, page.next));
  });
  add("POST", "/api/v1/units",
      [this, actor](const Request& req, const Target&, const Params&) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kNewUnitFields, kNewUnitReadOnly, errors);
        service::NewUnit u;
        u.code = f.string("code", true).value_or("");
        u.name = f.string("name", true).value_or("");
        if (auto k = f.string("kind", true)) {
          auto kind = domain::parse_unit_kind(*k);
          if (!kind) {
            errors.add("kind", "must be one of department, agency, commune, ward, other");
          }
          u.kind = kind.value_or(domain::UnitKind::other);
        }
        u.emails = f.string_array("emails").value_or(std::vector<std::string>{});
        errors.throw_if_any();
        return deferred(units_.plan_create(actor, std::move(u)), req.target,
                        [this](const domain::Unit& created) {
                          Response r = json_response(201, codec_.unit(created));
                          r.set_header("Location", "/api/v1/units/" + std::to_string(created.id));
                          return r;
                        });
      });
  add("GET", "/api/v1/units/{id}",
      [this](const Request&, const Target&, const Params& p) -> Outcome {
        return json_response(200, codec_.unit(units_.get(p[0])));
      });
  add("PATCH", "/api/v1/units/{id}",
      [this, actor](const Request& req, const Target&, const Params& p) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kUnitPatchFields, kUnitReadOnly, errors);
        service::UnitPatch patch;
        patch.code = f.string("code");
        patch.name = f.string("name");
        if (auto k = f.string("kind")) {
          patch.kind = domain::parse_unit_kind(*k);
          if (!patch.kind) {
            errors.add("kind", "must be one of department, agency, commune, ward, other");
          }
        }
        patch.emails = f.string_array("emails");
        patch.active = f.boolean("active");
        if (auto s = f.nullable_integer("successor_id", 1, kMaxId)) {
          patch.successor_id = *s;
        }
        errors.throw_if_any();
        return deferred(
            units_.plan_update(actor, p[0], std::move(patch)), req.target,
            [this](const domain::Unit& u) { return json_response(200, codec_.unit(u)); });
      });

  // ---- tasks ----
  add("GET", "/api/v1/tasks", [this](const Request&, const Target& t, const Params&) -> Outcome {
    domain::FieldErrors errors;
    QueryParams q(t.query,
                  {"timeliness", "state", "lead_unit_id", "unit_id", "assigned_from", "assigned_to",
                   "due_from", "due_to", "source_ref", "priority", "q", "sort", "limit", "cursor"},
                  errors);
    service::TaskListRequest r;
    if (auto v = q.string("timeliness")) {
      r.timeliness = domain::parse_timeliness(*v);
      if (!r.timeliness) {
        errors.add("timeliness",
                   "must be one of done_on_time, done_late, open_on_time, due_soon, "
                   "overdue, no_deadline, suspended, cancelled");
      }
    }
    if (auto v = q.string("state")) {
      std::size_t start = 0;
      while (start <= v->size()) {
        auto end = v->find(',', start);
        if (end == std::string::npos) {
          end = v->size();
        }
        auto s = domain::parse_lifecycle_state(v->substr(start, end - start));
        if (!s) {
          errors.add("state", "'" + v->substr(start, end - start) +
                                  "' is not one of open, reported, done, suspended, cancelled");
        } else {
          r.states.push_back(*s);
        }
        start = end + 1;
      }
    }
    r.lead_unit_id = q.integer("lead_unit_id", 1, kMaxId);
    r.unit_id = q.integer("unit_id", 1, kMaxId);
    r.assigned_from = q.date("assigned_from");
    r.assigned_to = q.date("assigned_to");
    r.due_from = q.date("due_from");
    r.due_to = q.date("due_to");
    r.source_ref = q.string("source_ref");
    if (auto v = q.string("priority")) {
      r.priority = domain::parse_priority(*v);
      if (!r.priority) {
        errors.add("priority", "must be normal or urgent");
      }
    }
    r.q = q.string("q").value_or("");
    r.sort = q.string("sort").value_or("id");
    if (auto l = q.integer("limit", 1, INT32_MAX)) {
      r.limit = static_cast<int>(*l);
    }
    r.cursor = q.string("cursor");
    errors.throw_if_any();
    auto page = tasks_.list(r);
    json items = json::array();
    for (const auto& v : page.items) {
      items.push_back(codec_.task(v));
    }
    return json_response(200, page_json(std::move(items), page.total, page.next));
  });
  add("POST", "/api/v1/tasks",
      [this, actor](const Request& req, const Target&, const Params&) -> Outcome {
        return deferred(tasks_.plan_create(actor, read_new_task(parse_body(req.body, false))),
                        req.target,
                        [this](const service::TaskView& v) { return task_response(201, v); });
      });
  add("GET", "/api/v1/tasks/{id}",
      [this](const Request&, const Target&, const Params& p) -> Outcome {
        return task_response(200, tasks_.get(p[0]));
      });
  add("PATCH", "/api/v1/tasks/{id}",
      [this, actor](const Request& req, const Target&, const Params& p) -> Outcome {
        auto version = parse_if_match(req, true);
        auto patch = read_task_patch(parse_body(req.body, false));
        return deferred(tasks_.plan_update(actor, p[0], std::move(patch), version), req.target,
                        [this](const service::TaskView& v) { return task_response(200, v); });
      });
  add("GET", "/api/v1/tasks/{id}/history",
      [this](const Request&, const Target&, const Params& p) -> Outcome {
        auto events = tasks_.history(p[0]);
        json items = json::array();
        for (const auto& e : events) {
          items.push_back(codec_.event(e));
        }
        return json_response(
            200,
            page_json(std::move(items), static_cast<std::int64_t>(events.size()), std::nullopt));
      });

  struct ActionSpec {
    const char* path;
    service::TaskAction action;
    std::set<std::string> fields;
  };
  const std::vector<ActionSpec> actions = {
      {"report",
       service::TaskAction::report_completion,
       {"completed_on", "completion_ref", "note"}},
      {"confirm", service::TaskAction::confirm, {"completed_on", "completion_ref", "note"}},
      {"reopen", service::TaskAction::reopen, {"note"}},
      {"suspend", service::TaskAction::suspend, {"note"}},
      {"resume", service::TaskAction::resume, {"note"}},
      {"cancel", service::TaskAction::cancel, {"reason", "note"}},
      {"notes", service::TaskAction::note, {"note"}},
  };
  for (const auto& spec : actions) {
    add("POST", std::string("/api/v1/tasks/{id}/") + spec.path,
        [this, actor, spec](const Request& req, const Target&, const Params& p) -> Outcome {
          auto version = parse_if_match(req, false);
          const nlohmann::json body = parse_body(req.body, true);
          domain::FieldErrors errors;
          JsonFields f(body, spec.fields, kNone, errors);
          service::ActionInput in;
          in.completed_on = f.date("completed_on");
          in.completion_ref = f.string("completion_ref");
          in.reason = f.string("reason", spec.action == service::TaskAction::cancel).value_or("");
          in.note = f.string("note", spec.action == service::TaskAction::note).value_or("");
          errors.throw_if_any();
          return deferred(tasks_.plan_act(actor, p[0], spec.action, std::move(in), version),
                          req.target,
                          [this](const service::TaskView& v) { return task_response(200, v); });
        });
  }
}

service::NewTask Api::Impl::read_new_task(const nlohmann::json& body) const {
  domain::FieldErrors errors;
  JsonFields f(body, kNewTaskFields, kTaskReadOnly, errors);
  service::NewTask t;
  t.title = f.string("title", true).value_or("");
  t.description = f.string("description").value_or("");
  t.source_ref = f.string("source_ref").value_or("");
  t.source_date = f.nullable_date("source_date").value_or(std::nullopt);
  t.source_title = f.string("source_title").value_or("");
  t.assigner = f.string("assigner").value_or("");
  t.assigned_on = f.date("assigned_on");
  t.lead_unit_id = f.integer("lead_unit_id", 1, kMaxId, true).value_or(0);
  t.coordinating_unit_ids =
      f.id_array("coordinating_unit_ids").value_or(std::vector<std::int64_t>{});
  if (auto p = f.string("priority")) {
    auto pr = domain::parse_priority(*p);
    if (!pr) {
      errors.add("priority", "must be normal or urgent");
    }
    t.priority = pr.value_or(domain::Priority::normal);
  }
  const bool has_due = f.has("due_on");
  const bool has_deadline = f.has("deadline");
  if (has_due && has_deadline) {
    errors.add("deadline", "give either due_on (a date) or deadline (a period), not both");
  } else if (has_due) {
    if (auto d = f.nullable_date("due_on"); d && *d) {
      t.deadline = domain::DeadlineSpec::on(**d);
    }
  } else if (const nlohmann::json* d = f.object("deadline")) {
    JsonFields period(*d, kDeadlineFields, kNone, errors, "deadline.");
    auto wd = period.integer("working_days", 1, domain::kMaxDeadlineWorkingDays);
    auto days = period.integer("days", 1, domain::kMaxDeadlineDays);
    if (period.has("working_days") && period.has("days")) {
      errors.add("deadline", "give either working_days or days, not both");
    } else if (wd) {
      t.deadline = domain::DeadlineSpec::working_days(static_cast<int>(*wd));
    } else if (days) {
      t.deadline = domain::DeadlineSpec::days(static_cast<int>(*days));
    } else if (!period.has("working_days") && !period.has("days")) {
      errors.add("deadline", "must give working_days or days, e.g. {\"working_days\": 10}");
    }
  }
  errors.throw_if_any();
  return t;
}

service::TaskPatch Api::Impl::read_task_patch(const nlohmann::json& body) const {
  domain::FieldErrors errors;
  JsonFields f(body, kTaskPatchFields, kTaskReadOnly, errors);
  service::TaskPatch p;
  p.title = f.string("title");
  p.description = f.string("description");
  p.source_ref = f.string("source_ref");
  p.source_date = f.nullable_date("source_date");
  p.source_title = f.string("source_title");
  p.assigner = f.string("assigner");
  p.assigned_on = f.date("assigned_on");
  p.lead_unit_id = f.integer("lead_unit_id", 1, kMaxId);
  p.coordinating_unit_ids = f.id_array("coordinating_unit_ids");
  p.due_on = f.nullable_date("due_on");
  if (auto v = f.string("priority")) {
    p.priority = domain::parse_priority(*v);
    if (!p.priority) {
      errors.add("priority", "must be normal or urgent");
    }
  }
  p.note = f.string("note").value_or("");
  errors.throw_if_any();
  return p;
}

Api::Api(service::ServiceContext& ctx, ApiInfo info)
    : impl_(std::make_unique<Impl>(ctx, std::move(info))) {
  if (!spdlog::get("http")) {
    spdlog::register_logger(spdlog::default_logger()->clone("http"));
  }
  impl_->log_ = spdlog::get("http");
}

Api::~Api() = default;

Outcome Api::route(const Request& request) const {
  return impl_->route(request);
}

Response Api::handle(const Request& request) const {
  Outcome outcome = impl_->route(request);
  if (outcome.now) {
    return std::move(*outcome.now);
  }
  outcome.write();
  return outcome.answer();
}

std::vector<RouteInfo> Api::routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : impl_->routes_) {
    out.push_back({r.method, r.pattern});
  }
  return out;
}

void Api::set_draining(bool draining) {
  impl_->draining_.store(draining);
}

}  // namespace dondoc::http
