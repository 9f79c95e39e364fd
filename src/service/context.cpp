// What every use case does inside its transaction: audit the write, keep the task's reminder
// schedule in step.
#include "service_helpers.hpp"

#include <spdlog/spdlog.h>

namespace dondoc::service {

std::shared_ptr<spdlog::logger> service_logger() {
  auto log = spdlog::get("service");
  if (!log) {
    log = spdlog::default_logger()->clone("service");
    spdlog::register_logger(log);
  }
  return log;
}

void ServiceContext::audit(storage::WriteTx& tx, const Actor& actor, std::string_view action,
                           std::string target, std::string detail) const {
  domain::AuditEntry e = audit_entry_for(actor, clock.now());
  e.action = std::string(action);
  e.target = std::move(target);
  e.outcome = "ok";
  e.detail = std::move(detail);
  tx.append_audit(e);
}

void ServiceContext::reschedule(storage::WriteTx& tx, const Task& task) const {
  auto schedule = tx.reminder_schedule(task.id);
  schedule.next_at = domain::next_reminder_at(task, schedule.reminded_through, reminder_policy,
                                              calendar, zone, clock.now());
  tx.set_reminder_schedule(task.id, schedule);
}

std::optional<domain::Instant> ServiceContext::first_reminder(const Task& task) const {
  return domain::next_reminder_at(task, std::nullopt, reminder_policy, calendar, zone, clock.now());
}

}  // namespace dondoc::service
