// Extension requests: filing one on a task, listing and reading them, and deciding them.
#include "api_impl.hpp"

namespace dondoc::http {

namespace {

const std::set<std::string> kNewExtensionFields = {"proposed_due_on", "reason", "document_ref"};
// Set by dondoc, never by the client: refused with 400 rather than ignored.
const std::set<std::string> kExtensionReadOnly = {
    "id",           "task_id",        "task",       "unit_id",    "unit_name", "origin",
    "requested_by", "current_due_on", "late",       "state",      "closure",   "decided_by",
    "decided_at",   "decided_due_on", "created_at", "updated_at", "filed_on",  "decided_on"};

struct DecisionSpec {
  const char* path;
  service::ExtensionDecision decision;
  std::set<std::string> fields;
};

}  // namespace

void Api::Impl::add_extension_routes() {
  add("POST", "/api/v1/tasks/{id}/extensions",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kNewExtensionFields, kExtensionReadOnly, errors);
        service::NewExtension in;
        in.proposed_due_on = f.date("proposed_due_on", true);
        in.reason = f.string("reason", true).value_or("");
        in.document_ref = f.string("document_ref").value_or("");
        errors.throw_if_any();
        return deferred(extensions_.plan_request(actor, p[0], std::move(in)), actor, req,
                        [this](const service::ExtensionView& v) {
                          return created("/api/v1/extensions/" + std::to_string(v.request.id),
                                         codec_.extension(v));
                        });
      });

  auto list = [this](const Actor& actor, const Target& t, std::optional<domain::TaskId> task) {
    domain::FieldErrors errors;
    std::set<std::string> allowed = {"unit_id", "state",  "from",     "to",
                                     "limit",   "cursor", "leader_id"};
    if (!task) {
      allowed.insert("task_id");
    }
    QueryParams q(t.query, allowed, errors);
    service::ExtensionListRequest r;
    r.task_id = task ? task : q.integer("task_id", 1, kMaxId);
    r.unit_id = q.integer("unit_id", 1, kMaxId);
    r.leader_id = q.integer("leader_id", 1, kMaxId);
    if (auto s = q.string("state")) {
      r.state = domain::parse_extension_state(*s);
      if (!r.state) {
        errors.add("state", "must be one of " + domain::extension_state_names());
      }
    }
    r.created_from = q.date("from");
    r.created_to = q.date("to");
    if (auto l = q.integer("limit", 1, INT32_MAX)) {
      r.limit = static_cast<int>(*l);
    }
    r.cursor = q.string("cursor");
    errors.throw_if_any();
    if (task) {
      tasks_.get(actor, *task);  // 404 for a task the caller may not see
    }
    auto page = extensions_.list(actor, r);
    return json_response(
        200,
        page_json(items_json(page.items, [this](const auto& e) { return codec_.extension(e); }),
                  page.total, page.next));
  };
  add("GET", "/api/v1/tasks/{id}/extensions",
      [list](const Request&, const Target& t, const Params& p, const Actor& actor) -> Outcome {
        return list(actor, t, p[0]);
      });
  add("GET", "/api/v1/extensions",
      [list](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        return list(actor, t, std::nullopt);
      });
  add("GET", "/api/v1/extensions/{id}",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        return json_response(200, codec_.extension(extensions_.get(actor, p[0])));
      });

  const std::vector<DecisionSpec> decisions = {
      // effective_on: the date of the decision, when it is entered later.
      {"approve", service::ExtensionDecision::approve, {"due_on", "note", "effective_on"}},
      {"reject", service::ExtensionDecision::reject, {"note", "effective_on"}},
      {"withdraw", service::ExtensionDecision::withdraw, {"note"}},
  };
  for (const auto& spec : decisions) {
    add("POST", std::string("/api/v1/extensions/{id}/") + spec.path,
        [this, spec](const Request& req, const Target&, const Params& p,
                     const Actor& actor) -> Outcome {
          const nlohmann::json body = parse_body(req.body, true);
          domain::FieldErrors errors;
          JsonFields f(body, spec.fields, kExtensionReadOnly, errors);
          service::DecisionInput in;
          in.due_on = f.date("due_on");
          in.effective_on = f.date("effective_on");
          in.note =
              f.string("note", spec.decision == service::ExtensionDecision::reject).value_or("");
          errors.throw_if_any();
          return deferred(extensions_.plan_decide(actor, p[0], spec.decision, std::move(in)), actor,
                          req, [this](const service::ExtensionView& v) {
                            return json_response(200, codec_.extension(v));
                          });
        });
  }
}

}  // namespace dondoc::http
