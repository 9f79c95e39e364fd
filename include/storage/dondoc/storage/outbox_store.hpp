// The store contract, the outbox: each task's place in its reminder series, the messages queued
// for delivery with their attempts, and the webhook endpoints that asked never to be called
// again. Errors as in task_store.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/outbox.hpp"
#include "dondoc/domain/task.hpp"
#include "dondoc/storage/paging.hpp"

namespace dondoc::storage {

// A task's place in its reminder series.
struct ReminderSchedule {
  std::optional<domain::Instant> next_at;           // none: no reminder ahead
  std::optional<domain::Instant> reminded_through;  // the instant of the last reminder handled
};

struct OutboxQuery {
  std::optional<domain::OutboxState> state;
  std::optional<domain::TaskId> task_id;
  int limit = 50;
  std::optional<std::string> cursor;
};

// A webhook endpoint that answered 410 Gone: not called again while it has this URL.
struct GoneEndpoint {
  std::string name;
  std::string url;
  domain::Instant gone_at{};
};

struct OutboxCounts {
  std::int64_t queued = 0;
  std::int64_t sent = 0;
  std::int64_t dead = 0;
  std::int64_t failed_attempts = 0;  // attempts that did not deliver, over all messages
};

class OutboxReads {
 public:
  virtual ~OutboxReads() = default;
  // Tasks whose next reminder is due at or before `now`, earliest first, `limit` at most.
  virtual std::vector<domain::TaskId> tasks_due_for_reminder(domain::Instant now, int limit) = 0;
  // The earliest next reminder of any task: when the scheduler must wake next.
  virtual std::optional<domain::Instant> earliest_reminder() = 0;
  virtual ReminderSchedule reminder_schedule(domain::TaskId task) = 0;
  // Queued messages whose next attempt is due, oldest first, `limit` at most.
  virtual std::vector<domain::OutboxMessage> due_messages(domain::Instant now, int limit) = 0;
  virtual std::optional<domain::Instant> earliest_message() = 0;
  virtual std::optional<domain::OutboxMessage> find_message(std::int64_t id) = 0;
  // Newest first.
  virtual PageResult<domain::OutboxMessage> list_outbox(const OutboxQuery& query) = 0;
  virtual OutboxCounts outbox_counts() = 0;
  virtual std::vector<GoneEndpoint> gone_endpoints() = 0;
};

class OutboxWrites {
 public:
  virtual ~OutboxWrites() = default;
  // Throws domain::NotFound for an unknown task.
  virtual void set_reminder_schedule(domain::TaskId task, const ReminderSchedule& schedule) = 0;
  // Queues a message unless one with its dedupe_key exists; returns whether it was queued.
  virtual bool enqueue(const domain::OutboxMessage& message) = 0;
  // Records an attempt's outcome: sent, or failed with the next attempt (or dead).
  virtual void update_message(const domain::OutboxMessage& message) = 0;
  virtual void mark_endpoint_gone(const GoneEndpoint& endpoint) = 0;
};

}  // namespace dondoc::storage
