// The outbox (docs/design.md, "How a request flows"): messages waiting to be delivered, written in
// the same transaction as the change that caused them, so that none is lost; each keyed so that
// none is queued twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dondoc/domain/date.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

enum class Channel { email, webhook };
enum class OutboxState { queued, sent, dead };

std::string_view to_string(Channel c);
std::optional<Channel> parse_channel(std::string_view text);
std::string_view to_string(OutboxState s);
std::optional<OutboxState> parse_outbox_state(std::string_view text);
std::string outbox_state_names();  // "queued, sent, dead"

struct OutboxMessage {
  std::int64_t id = 0;
  // What makes it unique: task, event, occurrence and recipient. A second attempt to queue the
  // same key is ignored.
  std::string dedupe_key;
  Channel channel = Channel::email;
  std::string recipient;  // an email address, or a webhook endpoint's name
  std::string event;      // "due_soon", "overdue", "extension_requested", ...
  std::optional<TaskId> task_id;
  std::string subject;
  std::string body_text;
  std::string message_id;  // stable across retries, for the receiver to deduplicate on
  OutboxState state = OutboxState::queued;
  int attempts = 0;
  Instant next_attempt_at{};
  std::string last_error;
  Instant created_at{};
  Instant queued_at{};  // created_at, or when it was last queued again by hand
  std::optional<Instant> sent_at;
};

}  // namespace dondoc::domain
