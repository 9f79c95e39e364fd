// The outbox as the admin sees it (issue 4): what is queued, sent or dead, the counters, and
// queueing a dead letter again.
#pragma once

#include <optional>
#include <string>

#include "dondoc/service/context.hpp"

namespace dondoc::service {

struct OutboxListRequest {
  std::optional<domain::OutboxState> state;
  std::optional<TaskId> task_id;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

class OutboxService {
 public:
  explicit OutboxService(const ServiceContext& ctx) : ctx_(ctx) {}

  storage::PageResult<domain::OutboxMessage> list(const Actor& actor, const OutboxListRequest& r);
  storage::OutboxCounts counts(const Actor& actor);
  // Configured webhook endpoints that answered 410 Gone at their current URL and are no longer
  // called (give one a new URL in the config to call it again).
  std::vector<storage::GoneEndpoint> disabled_webhooks(const Actor& actor);
  // Queues a dead (or still failing) message again, to be tried at once; refused for one sent.
  WritePlan<domain::OutboxMessage> plan_retry(const Actor& actor, std::int64_t id);

 private:
  const ServiceContext& ctx_;
};

}  // namespace dondoc::service
