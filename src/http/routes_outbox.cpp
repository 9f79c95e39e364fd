// The outbox for the admin: messages by state, the delivery counters, retrying a dead letter.
#include "api_impl.hpp"

namespace dondoc::http {

void Api::Impl::add_outbox_routes() {
  add("GET", "/api/v1/outbox",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        domain::FieldErrors errors;
        QueryParams q(t.query, {"state", "task_id", "limit", "cursor"}, errors);
        service::OutboxListRequest r;
        if (auto s = q.string("state")) {
          r.state = domain::parse_outbox_state(*s);
          if (!r.state) {
            errors.add("state", "must be one of " + domain::outbox_state_names());
          }
        }
        r.task_id = q.integer("task_id", 1, kMaxId);
        if (auto l = q.integer("limit", 1, INT32_MAX)) {
          r.limit = static_cast<int>(*l);
        }
        r.cursor = q.string("cursor");
        errors.throw_if_any();
        auto page = outbox_.list(actor, r);
        return json_response(
            200, page_json(items_json(page.items,
                                      [this](const auto& m) { return codec_.outbox_message(m); }),
                           page.total, page.next));
      });
  add("GET", "/api/v1/outbox/stats",
      [this](const Request&, const Target&, const Params&, const Actor& actor) -> Outcome {
        const auto c = outbox_.counts(actor);
        nlohmann::json disabled = nlohmann::json::array();
        for (const auto& g : outbox_.disabled_webhooks(actor)) {
          disabled.push_back(
              {{"name", g.name}, {"url", g.url}, {"since", codec_.instant(g.gone_at)}});
        }
        return json_response(200, {{"queued", c.queued},
                                   {"sent", c.sent},
                                   {"dead", c.dead},
                                   {"failed_attempts", c.failed_attempts},
                                   {"disabled_webhooks", std::move(disabled)}});
      });
  add("POST", "/api/v1/outbox/{id}/retry",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, true);
        domain::FieldErrors errors;
        JsonFields f(body, kNoFields, kNoFields, errors);
        errors.throw_if_any();
        return deferred(outbox_.plan_retry(actor, p[0]), actor, req,
                        [this](const domain::OutboxMessage& m) {
                          return json_response(200, codec_.outbox_message(m));
                        });
      });
}

}  // namespace dondoc::http
