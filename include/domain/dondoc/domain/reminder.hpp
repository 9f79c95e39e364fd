// Reminder policy (docs/design.md, "Reminders and delivery"): which reminder a task is due next and
// when, as a pure function of the task, the policy, the working calendar, the zone and a point in
// time. The scheduler persists its answer (`next_reminder_at`) and asks again after each send, so a
// restart or a moved deadline needs no other state.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/clock.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

enum class ReminderKind { due_soon, due_today, overdue, escalated };

std::string_view to_string(ReminderKind kind);

// Messages go out on working days between `start` and `end`, local time; anything due outside
// is held until the window next opens.
struct WorkingHours {
  std::chrono::minutes start{7 * 60 + 30};
  std::chrono::minutes end{17 * 60};
};

struct ReminderPolicy {
  std::vector<int> before_working_days = {7, 3, 1};  // reminders this many working days ahead
  bool on_due_day = true;
  int overdue_every_working_days = 3;   // repeat while overdue; 0: remind once
  int escalate_after_working_days = 5;  // tell the leaders once it is this late; 0: never
  WorkingHours hours;
  bool urgent_bypasses_hours = true;  // urgent tasks' reminders go out at once, day or night
};

struct Reminder {
  ReminderKind kind = ReminderKind::due_soon;
  // Names this reminder among the task's, for the outbox key: the deadline it is about and its
  // place in the series ("2025-05-05/3" for three working days before, "2025-05-05/o2" for the
  // second overdue one). A moved deadline starts a new series.
  std::string occurrence;
  Date day;              // the local day it is for
  Instant at;            // when it may be sent
  int working_days = 0;  // ahead of the deadline (due_soon) or past it (overdue, escalated)
};

// The first reminder of `task` that is due strictly after `after`, or nullopt when the task
// needs none (not open, no deadline, or the series is over). Reminders whose time has passed
// while the daemon was down are not skipped: the earliest one after `after` comes back, so the
// scheduler catches up one by one.
std::optional<Reminder> next_reminder(const Task& task, const ReminderPolicy& policy,
                                      const WorkingCalendar& calendar, const TimeZone& zone,
                                      Instant after);

// When a task that was just written is due its next reminder: the first after the last one
// handled, or after `now` for a task never reminded (a new task is not sent the reminders its
// registration came too late for). Use cases store this in the transaction of every task change,
// so that a moved deadline or a completion takes effect on the schedule at once.
std::optional<Instant> next_reminder_at(const Task& task, std::optional<Instant> reminded_through,
                                        const ReminderPolicy& policy,
                                        const WorkingCalendar& calendar, const TimeZone& zone,
                                        Instant now);

// The first instant at or after `at` inside the working hours of a working day.
Instant next_window_opening(Instant at, const WorkingHours& hours, const WorkingCalendar& calendar,
                            const TimeZone& zone);

}  // namespace dondoc::domain
