// The coordinating units' parts in a task: their own deadlines and the input they sent.
#include "api_impl.hpp"

namespace dondoc::http {

Response Api::Impl::contributions_response(
    const std::vector<service::ContributionView>& views) const {
  return json_response(200, page_json(items_json(views,
                                                 [this](const service::ContributionView& v) {
                                                   return codec_.contribution(v);
                                                 }),
                                      static_cast<std::int64_t>(views.size()), std::nullopt));
}

void Api::Impl::add_contribution_routes() {
  add("GET", "/api/v1/tasks/{id}/contributions",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        return contributions_response(contributions_.list(actor, p[0]));
      });
  add("GET", "/api/v1/units/{id}/contributions",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const auto owed = contributions_.owed_by(actor, p[0]);
        json items = json::array();
        for (const auto& o : owed) {
          json item = codec_.contribution(o.view);
          item["task_title"] = o.task.title;
          item["task_source_ref"] = o.task.source_ref;
          item["lead_unit"] = o.lead_unit_name;
          item["task_due_on"] = o.task.due_on ? json(o.task.due_on->to_string()) : json();
          items.push_back(std::move(item));
        }
        return json_response(
            200, page_json(std::move(items), static_cast<std::int64_t>(owed.size()), std::nullopt));
      });
  add("POST", "/api/v1/tasks/{id}/contributions/{id}/deadline",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, {"due_on", "note"}, kNoFields, errors);
        if (!f.has("due_on")) {
          errors.add("due_on", "is required: a date, or null to take the deadline away");
        }
        const auto due_on = f.nullable_date("due_on").value_or(std::nullopt);
        std::string note = f.string("note").value_or("");
        errors.throw_if_any();
        return deferred(
            contributions_.plan_set_deadline(actor, p[0], p[1], due_on, std::move(note)), actor,
            req, [this](const std::vector<service::ContributionView>& v) {
              return contributions_response(v);
            });
      });
  add("POST", "/api/v1/tasks/{id}/contributions/{id}/sent",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, {"sent_on", "document_ref", "note"}, kNoFields, errors);
        service::SentInput in;
        in.sent_on = f.date("sent_on");
        in.document_ref = f.string("document_ref", true).value_or("");
        in.note = f.string("note").value_or("");
        errors.throw_if_any();
        return deferred(contributions_.plan_mark_sent(actor, p[0], p[1], std::move(in)), actor, req,
                        [this](const std::vector<service::ContributionView>& v) {
                          return contributions_response(v);
                        });
      });
}

}  // namespace dondoc::http
