#include "dondoc/scheduler/scanner.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "dondoc/notify/recipients.hpp"
#include "dondoc/notify/reminder_text.hpp"

namespace dondoc::scheduler {

namespace {

// A task that failed is tried again this much later, not at once, so that a poisoned task
// cannot keep the scanner busy.
constexpr auto kRetryFailedTaskAfter = std::chrono::hours(1);

std::shared_ptr<spdlog::logger> logger() {
  auto log = spdlog::get("scheduler");
  if (!log) {
    log = spdlog::default_logger()->clone("scheduler");
    spdlog::register_logger(log);
  }
  return log;
}

}  // namespace

Scanner::Scanner(storage::Store& store, const domain::Clock& clock, const domain::TimeZone& zone,
                 const domain::WorkingCalendar& calendar, ScannerOptions options)
    : store_(store),
      clock_(clock),
      zone_(zone),
      calendar_(calendar),
      options_(std::move(options)) {}

PassResult Scanner::run_once() {
  const auto deadline = clock_.monotonic() + options_.budget;
  const domain::Instant now = clock_.now();
  PassResult result;
  for (;;) {
    std::size_t found = 0;
    store_.write([&](storage::WriteTx& tx) {
      const auto ids = tx.tasks_due_for_reminder(now, options_.batch_size);
      found = ids.size();
      for (auto id : ids) {
        try {
          // Each task in a savepoint of its own: one that fails is undone alone.
          store_.write([&](storage::WriteTx& item) { result.queued += handle(item, id, now); });
          ++result.tasks;
        } catch (const std::exception& e) {
          ++result.failed;
          logger()->error("event=reminder_failed task_id={} error=\"{}\"", id, e.what());
          auto schedule = tx.reminder_schedule(id);
          schedule.next_at = now + kRetryFailedTaskAfter;
          tx.set_reminder_schedule(id, schedule);
        }
      }
    });
    if (found < static_cast<std::size_t>(options_.batch_size)) {
      break;
    }
    if (clock_.monotonic() >= deadline) {
      result.more = true;
      break;
    }
  }
  store_.read([&](storage::ReadTx& tx) { result.next_due = tx.earliest_reminder(); });
  if (result.tasks > 0 || result.failed > 0) {
    logger()->info("event=reminder_pass tasks={} queued={} failed={} more={}", result.tasks,
                   result.queued, result.failed, result.more);
  }
  return result;
}

int Scanner::handle(storage::WriteTx& tx, domain::TaskId id, domain::Instant now) {
  const auto task = tx.find_task(id);
  auto schedule = tx.reminder_schedule(id);
  if (!task) {
    return 0;
  }
  // Everything that came due since the last reminder handled; after a long sleep (or a
  // wall-clock jump forward) only the latest of each kind is worth sending.
  std::map<domain::ReminderKind, domain::Reminder> latest;
  domain::Instant through = schedule.reminded_through.value_or(task->created_at);
  auto r = domain::next_reminder(*task, options_.policy, calendar_, zone_, through);
  while (r && r->at <= now) {
    through = r->at;
    latest[r->kind] = *r;
    r = domain::next_reminder(*task, options_.policy, calendar_, zone_, through);
  }
  int queued = 0;
  if (!latest.empty()) {
    const auto lead = tx.find_unit(task->lead_unit_id);
    // Caught up after a stop over a weekend or a night: held until the window opens again.
    const bool any_time =
        options_.policy.urgent_bypasses_hours && task->priority == domain::Priority::urgent;
    const auto send_at =
        any_time ? now : domain::next_window_opening(now, options_.policy.hours, calendar_, zone_);
    for (const auto& [kind, reminder] : latest) {
      const auto text =
          notify::reminder_text(reminder, *task, lead.value_or(domain::Unit{}), options_.base_url);
      std::vector<domain::UnitId> units = {task->lead_unit_id};
      units.insert(units.end(), task->coordinating_unit_ids.begin(),
                   task->coordinating_unit_ids.end());
      const auto addresses = kind == domain::ReminderKind::escalated
                                 ? notify::role_addresses(tx, domain::Role::leader)
                                 : notify::unit_addresses(tx, units);
      for (const auto& address : addresses) {
        const auto m =
            notify::email("task/" + std::to_string(id) + "/" +
                              std::string(domain::to_string(kind)) + "/" + reminder.occurrence,
                          address, std::string(domain::to_string(kind)), id, text.subject,
                          text.body, options_.message_id_domain, now, send_at);
        queued += tx.enqueue(m) ? 1 : 0;
      }
      const std::string key = "task/" + std::to_string(id) + "/" +
                              std::string(domain::to_string(kind)) + "/" + reminder.occurrence;
      for (const auto& m : notify::webhook_messages(
               options_.webhooks, key, std::string(domain::to_string(kind)), *task,
               lead.value_or(domain::Unit{}).name, text.subject,
               options_.base_url + "/tasks/" + std::to_string(id), now, send_at)) {
        queued += tx.enqueue(m) ? 1 : 0;
      }
    }
  }
  schedule.reminded_through = through;
  schedule.next_at = r ? std::optional<domain::Instant>(r->at) : std::nullopt;
  tx.set_reminder_schedule(id, schedule);
  return queued;
}

}  // namespace dondoc::scheduler
