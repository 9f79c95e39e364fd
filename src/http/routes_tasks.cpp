// Tasks: registering, reading, listing, editing, lifecycle actions, history, the CSV import.
#include "api_impl.hpp"

namespace dondoc::http {

namespace {

// The fields each request body may carry, built once.
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
    "title",       "description",  "source_ref",
    "source_date", "source_title", "assigner",
    "assigned_on", "lead_unit_id", "coordinating_unit_ids",
    "due_on",      "deadline",     "priority",
    "leader_id",   "key_task"};
const std::set<std::string> kTaskPatchFields = {
    "title",        "description",  "source_ref",
    "source_date",  "source_title", "assigner",
    "assigned_on",  "lead_unit_id", "coordinating_unit_ids",
    "due_on",       "priority",     "note",
    "decision_ref", "leader_id",    "key_task",
    "effective_on"};
const std::set<std::string> kDeadlineFields = {"working_days", "days"};
}  // namespace

void Api::Impl::add_task_routes() {
  // ---- tasks ----
  add("GET", "/api/v1/tasks",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        domain::FieldErrors errors;
        QueryParams q(t.query,
                      {"timeliness", "state", "lead_unit_id", "unit_id", "assigned_from",
                       "assigned_to", "due_from", "due_to", "source_ref", "assigner", "priority",
                       "leader_id", "key_task", "q", "sort", "limit", "cursor"},
                      errors);
        service::TaskListRequest r;
        if (auto v = q.string("timeliness")) {
          r.timeliness = domain::parse_timeliness(*v);
          if (!r.timeliness) {
            errors.add("timeliness", "must be one of " + domain::timeliness_names());
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
              errors.add("state", "'" + v->substr(start, end - start) + "' is not one of " +
                                      domain::lifecycle_state_names());
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
        r.assigner = q.string("assigner");
        if (auto v = q.string("priority")) {
          r.priority = domain::parse_priority(*v);
          if (!r.priority) {
            errors.add("priority", "must be normal or urgent");
          }
        }
        r.leader_id = q.integer("leader_id", 1, kMaxId);
        r.key_task = q.boolean("key_task");
        r.q = q.string("q").value_or("");
        r.sort = q.string("sort").value_or("id");
        if (auto l = q.integer("limit", 1, INT32_MAX)) {
          r.limit = static_cast<int>(*l);
        }
        r.cursor = q.string("cursor");
        errors.throw_if_any();
        auto page = tasks_.list(actor, r);
        json items = json::array();
        for (const auto& v : page.items) {
          items.push_back(codec_.task(v));
        }
        return json_response(200, page_json(std::move(items), page.total, page.next));
      });
  add("POST", "/api/v1/tasks",
      [this](const Request& req, const Target&, const Params&, const Actor& actor) -> Outcome {
        return deferred(tasks_.plan_create(actor, read_new_task(parse_body(req.body, false))),
                        actor, req,
                        [this](const service::TaskView& v) { return task_response(201, v); });
      });
  add(
      "POST", "/api/v1/tasks/import",
      [this](const Request& req, const Target& t, const Params&, const Actor& actor) -> Outcome {
        domain::FieldErrors errors;
        QueryParams q(t.query, {"dry_run", "report_from", "report_to", "report_as_of"}, errors);
        const bool dry_run = q.boolean("dry_run").value_or(false);
        // A dry run may also show the period report as it would read after the import.
        const auto from = q.date("report_from");
        const auto to = q.date("report_to");
        const auto as_of = q.date("report_as_of");
        const bool with_report = t.query.count("report_from") || t.query.count("report_to") ||
                                 t.query.count("report_as_of");
        if (with_report && !dry_run) {
          errors.add(t.query.count("report_from") ? "report_from" : "report_to",
                     "shows the report a dry run would give; add dry_run=true");
        } else if (with_report && (!t.query.count("report_from") || !t.query.count("report_to"))) {
          errors.add(t.query.count("report_from") ? "report_to" : "report_from",
                     "is needed too: the period is report_from to report_to, YYYY-MM-DD");
        }
        errors.throw_if_any();
        // Refused here, where a refusal is audited; checking a file of thousands of rows takes
        // a while, so the rest is done on a worker, the registering as one write of its own.
        service::require(actor, service::Operation::task_create);
        std::optional<service::SummaryRequest> report;
        if (with_report) {
          service::require(actor, service::Operation::report_read);
          report = service::SummaryRequest{*from, *to, as_of};
        }
        return on_worker(t.path, [this, actor, dry_run, report, csv = req.body]() -> Response {
          if (report) {
            const auto result = importer_.preview(actor, csv, *report);
            json body = import_json(result);
            body["report"] = summary_json(*result.report);
            return json_response(200, body);
          }
          if (dry_run) {
            return json_response(200, import_json(importer_.check(actor, csv)));
          }
          return json_response(201, import_json(importer_.import(actor, csv)));
        });
      },
      "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  add("GET", "/api/v1/tasks/{id}",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        return task_response(200, tasks_.get(actor, p[0]));
      });
  add("PATCH", "/api/v1/tasks/{id}",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        auto version = parse_if_match(req, true);
        auto patch = read_task_patch(parse_body(req.body, false));
        return deferred(tasks_.plan_update(actor, p[0], std::move(patch), version), actor, req,
                        [this](const service::TaskView& v) { return task_response(200, v); });
      });
  add("GET", "/api/v1/tasks/{id}/history",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        auto events = tasks_.history(actor, p[0]);
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
      // effective_on: the date the change took effect, when it is entered later.
      {"report",
       service::TaskAction::report_completion,
       {"completed_on", "completion_ref", "note", "effective_on"}},
      {"confirm",
       service::TaskAction::confirm,
       {"completed_on", "completion_ref", "note", "effective_on"}},
      {"reopen", service::TaskAction::reopen, {"note", "effective_on"}},
      {"suspend", service::TaskAction::suspend, {"note", "effective_on"}},
      {"resume", service::TaskAction::resume, {"note", "effective_on"}},
      {"cancel", service::TaskAction::cancel, {"reason", "note", "effective_on"}},
      {"notes", service::TaskAction::note, {"note"}},
      {"mark-key", service::TaskAction::mark_key, {"note"}},
      {"unmark-key", service::TaskAction::unmark_key, {"note"}},
  };
  for (const auto& spec : actions) {
    add("POST", std::string("/api/v1/tasks/{id}/") + spec.path,
        [this, spec](const Request& req, const Target&, const Params& p,
                     const Actor& actor) -> Outcome {
          auto version = parse_if_match(req, false);
          const nlohmann::json body = parse_body(req.body, true);
          domain::FieldErrors errors;
          JsonFields f(body, spec.fields, kNoFields, errors);
          service::ActionInput in;
          in.completed_on = f.date("completed_on");
          in.completion_ref = f.string("completion_ref");
          in.reason = f.string("reason", spec.action == service::TaskAction::cancel).value_or("");
          in.note = f.string("note", spec.action == service::TaskAction::note).value_or("");
          in.effective_on = f.date("effective_on");
          errors.throw_if_any();
          return deferred(tasks_.plan_act(actor, p[0], spec.action, std::move(in), version), actor,
                          req,
                          [this](const service::TaskView& v) { return task_response(200, v); });
        });
  }
}

json Api::Impl::import_json(const service::ImportResult& result) const {
  json rows = json::array();
  for (const auto& r : result.rows) {
    json task = codec_.task(r.task);
    if (result.dry_run) {
      task["id"] = nullptr;  // not registered
    }
    rows.push_back({{"row", r.row}, {"task", std::move(task)}});
  }
  return {{"dry_run", result.dry_run}, {"count", result.rows.size()}, {"rows", std::move(rows)}};
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
  t.leader_id = f.nullable_integer("leader_id", 1, kMaxId).value_or(std::nullopt);
  t.key_task = f.boolean("key_task").value_or(false);
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
    JsonFields period(*d, kDeadlineFields, kNoFields, errors, "deadline.");
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
  if (auto l = f.nullable_integer("leader_id", 1, kMaxId)) {
    p.leader_id = *l;
  }
  p.key_task = f.boolean("key_task");
  p.note = f.string("note").value_or("");
  p.decision_ref = f.string("decision_ref").value_or("");
  p.effective_on = f.date("effective_on");
  errors.throw_if_any();
  return p;
}

}  // namespace dondoc::http
