// Small helpers shared by the use cases.
#pragma once

#include <memory>
#include <string>

#include "dondoc/domain/errors.hpp"
#include "dondoc/notify/reminder_text.hpp"
#include "dondoc/service/services.hpp"

namespace spdlog {
class logger;
}

namespace dondoc::service {

// The folded text a task list's search matches: title, source reference and source title.
std::string task_search_text(const Task& task);

// The services' logger ("service"), made on first use.
std::shared_ptr<spdlog::logger> service_logger();

// Queues, in the write's own transaction, the notice of `event_id` (a task history event) to the
// people it concerns; held until working hours unless the task is urgent.
void queue_notice(const ServiceContext& ctx, storage::WriteTx& tx, notify::Notice notice,
                  const Task& task, std::int64_t event_id, const std::string& detail = "");

// Closes, in the same transaction, the task's pending extension request if the change just
// written to `task` leaves nothing to decide (domain::lapse_of): state closed with the reason,
// a history entry, a notice to the unit that asked, an audit entry for `actor` (who made the
// change). Every write that moves a task calls it after writing the task, with the date that
// change took effect: the request is closed with effect from then.
void close_lapsed_extension(const ServiceContext& ctx, storage::WriteTx& tx, const Actor& actor,
                            const Task& task, Date effective_on);

// The date a change to `before` (the task as it was) takes effect (domain/effective.hpp):
// `given` by the client, checked (not after `today`, not before the assignment; errors on field
// `field`), else `fallback` (today, or a completion date); never before the assignment. Throws
// Conflict if a field of `changes` was already changed with a later effective date.
Date effective_date_of_change(storage::ReadTx& tx, const Task& before,
                              const std::vector<domain::FieldChange>& changes,
                              std::optional<Date> given, Date fallback, Date today,
                              const char* field = "effective_on");

// Normalizes a task's texts (NFC, trimmed), naming the field of any that is not valid UTF-8.
void normalize_task(Task& task);

// Units a task names must exist and be active: an inactive unit was merged away, and new work
// goes to its successor. Throws ValidationError naming each bad field.
void check_task_units(storage::ReadTx& tx, const Task& task);

// Throws ValidationError on `leader_id` unless `leader` is none or an active user of role leader.
void check_leader(storage::ReadTx& tx, const std::optional<std::int64_t>& leader);

// An audit entry by `actor` at `at`, its action, target and outcome to be filled in.
inline domain::AuditEntry audit_entry_for(const Actor& actor, domain::Instant at) {
  domain::AuditEntry e;
  e.at = at;
  e.actor_user_id = actor.user_id;
  e.actor = actor.name;
  return e;
}

// Runs a planned write to the end: apply in a transaction of its own, then the result.
template <typename T>
T run(storage::Store& store, WritePlan<T> plan) {
  store.write(plan.apply);
  return plan.result();
}

// Copies a patch field onto its target if the client gave it.
template <typename T>
void apply_if(const std::optional<T>& given, T& target) {
  if (given) {
    target = *given;
  }
}

// The page size of a list: the configured default, or the client's within the configured cap.
// A larger limit is refused rather than silently cut, so that a client never mistakes a capped
// page for the whole list.
inline int page_limit(const ServiceContext& ctx, std::optional<int> requested) {
  if (!requested) {
    return ctx.default_page_size;
  }
  if (*requested < 1 || *requested > ctx.max_page_size) {
    throw domain::ValidationError("limit",
                                  "must be between 1 and " + std::to_string(ctx.max_page_size));
  }
  return *requested;
}

}  // namespace dondoc::service
