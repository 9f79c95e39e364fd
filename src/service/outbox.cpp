#include "dondoc/service/outbox.hpp"

#include "service_helpers.hpp"

#include <algorithm>

namespace dondoc::service {

storage::PageResult<domain::OutboxMessage> OutboxService::list(const Actor& actor,
                                                               const OutboxListRequest& r) {
  require(actor, Operation::outbox_manage);
  storage::OutboxQuery q;
  q.state = r.state;
  q.task_id = r.task_id;
  q.limit = page_limit(ctx_, r.limit);
  q.cursor = r.cursor;
  storage::PageResult<domain::OutboxMessage> page;
  ctx_.store.read([&](storage::ReadTx& tx) { page = tx.list_outbox(q); });
  return page;
}

storage::OutboxCounts OutboxService::counts(const Actor& actor) {
  require(actor, Operation::outbox_manage);
  storage::OutboxCounts c;
  ctx_.store.read([&](storage::ReadTx& tx) { c = tx.outbox_counts(); });
  return c;
}

std::vector<storage::GoneEndpoint> OutboxService::disabled_webhooks(const Actor& actor) {
  require(actor, Operation::outbox_manage);
  std::vector<storage::GoneEndpoint> gone;
  ctx_.store.read([&](storage::ReadTx& tx) { gone = tx.gone_endpoints(); });
  std::erase_if(gone, [&](const storage::GoneEndpoint& g) {
    return std::none_of(ctx_.messages.webhooks.begin(), ctx_.messages.webhooks.end(),
                        [&](const auto& e) { return e.name == g.name && e.url == g.url; });
  });
  return gone;
}

WritePlan<domain::OutboxMessage> OutboxService::plan_retry(const Actor& actor, std::int64_t id) {
  require(actor, Operation::outbox_manage);
  auto result = std::make_shared<domain::OutboxMessage>();
  return {[this, actor, id, result](storage::WriteTx& tx) {
            auto m = tx.find_message(id);
            if (!m) {
              throw domain::NotFound("outbox message " + std::to_string(id) + " does not exist");
            }
            if (m->state == domain::OutboxState::sent) {
              throw domain::Conflict("outbox message " + std::to_string(id) +
                                     " was sent already; it is not sent twice");
            }
            const auto now = ctx_.clock.now();
            m->state = domain::OutboxState::queued;
            m->next_attempt_at = now;
            m->queued_at = now;
            tx.update_message(*m);
            ctx_.audit(tx, actor, "outbox.retry", "outbox/" + std::to_string(id), m->recipient);
            *result = *m;
          },
          [result] { return *result; }};
}

}  // namespace dondoc::service
