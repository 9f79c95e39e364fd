#include "dondoc/domain/reminder.hpp"

#include <algorithm>

#include "enum_names.hpp"

namespace dondoc::domain {

namespace {

constexpr detail::NameTable<ReminderKind, 4> kKinds{{
    {ReminderKind::due_soon, "due_soon"},
    {ReminderKind::due_today, "due_today"},
    {ReminderKind::overdue, "overdue"},
    {ReminderKind::escalated, "escalated"},
}};

// Reminders of one day are a second apart, in this order, so that each has an instant of its
// own and "strictly after the last one" never skips a sibling.
std::chrono::seconds tie_break(ReminderKind kind) {
  switch (kind) {
    case ReminderKind::due_soon:
    case ReminderKind::overdue:
      return std::chrono::seconds(0);
    case ReminderKind::due_today:
      return std::chrono::seconds(1);
    case ReminderKind::escalated:
      return std::chrono::seconds(2);
  }
  return std::chrono::seconds(0);
}

// The working day `n` working days before `d` (n = 0: `d` itself if it is a working day, else
// the working day before it).
Date working_days_before(Date d, int n, const WorkingCalendar& calendar) {
  if (n == 0) {
    while (!calendar.is_working_day(d)) {
      d = d - 1;
    }
    return d;
  }
  for (int counted = 0; counted < n;) {
    d = d - 1;
    if (calendar.is_working_day(d)) {
      ++counted;
    }
  }
  return d;
}

}  // namespace

std::string_view to_string(ReminderKind kind) {
  return detail::name_of(kKinds, kind);
}

Instant next_window_opening(Instant at, const WorkingHours& hours, const WorkingCalendar& calendar,
                            const TimeZone& zone) {
  Date day = local_date(at, zone.utc_offset(at));
  for (int i = 0; i < 400; ++i, day = day + 1) {
    if (!calendar.is_working_day(day)) {
      continue;
    }
    const Instant open = zone.start_of(day) + hours.start;
    const Instant close = zone.start_of(day) + hours.end;
    if (at < open) {
      return open;
    }
    if (at < close) {
      return at;
    }
  }
  return at;  // a calendar with no working day in a year: send rather than hold forever
}

std::optional<Reminder> next_reminder(const Task& task, const ReminderPolicy& policy,
                                      const WorkingCalendar& calendar, const TimeZone& zone,
                                      Instant after) {
  if (task.state != LifecycleState::open || !task.due_on) {
    return std::nullopt;
  }
  const Date due = *task.due_on;
  const std::string series = due.to_string() + "/";
  const bool any_time = policy.urgent_bypasses_hours && task.priority == Priority::urgent;
  auto make = [&](ReminderKind kind, Date day, std::string occurrence, int working_days) {
    // An urgent task's reminder is due from the start of its day; the others when the window
    // opens.
    const Instant at = zone.start_of(day) +
                       (any_time ? std::chrono::minutes(0) : policy.hours.start) + tie_break(kind);
    return Reminder{kind, series + occurrence, day, at, working_days};
  };

  std::optional<Reminder> best;
  auto consider = [&](Reminder r) {
    if (after < r.at && (!best || r.at < best->at)) {
      best = std::move(r);
    }
  };
  for (int k : policy.before_working_days) {
    consider(
        make(ReminderKind::due_soon, working_days_before(due, k, calendar), std::to_string(k), k));
  }
  if (policy.on_due_day) {
    consider(make(ReminderKind::due_today, working_days_before(due, 0, calendar), "0", 0));
  }
  if (policy.escalate_after_working_days > 0) {
    const int m = policy.escalate_after_working_days;
    consider(make(ReminderKind::escalated, calendar.add_working_days(due, m), "e", m));
  }
  // Overdue reminders repeat: the first on the working day after the deadline, then every
  // `overdue_every_working_days`. Only the first one after `after` can be the answer.
  const int every = policy.overdue_every_working_days;
  // Skip straight to the repetitions near `after` rather than walking the whole series.
  int first = 1;
  if (every > 0) {
    const int late_by =
        calendar.working_days_between(due, local_date(after, zone.utc_offset(after)));
    first = std::max(1, (late_by - 1) / every);
  }
  for (int n = first;; ++n) {
    const int late = 1 + (n - 1) * every;
    Reminder r = make(ReminderKind::overdue, calendar.add_working_days(due, late),
                      "o" + std::to_string(n), late);
    if (after < r.at) {
      consider(std::move(r));
      break;
    }
    if (every == 0 || n > 100000) {
      break;
    }
  }
  return best;
}

std::optional<Instant> next_reminder_at(const Task& task, std::optional<Instant> reminded_through,
                                        const ReminderPolicy& policy,
                                        const WorkingCalendar& calendar, const TimeZone& zone,
                                        Instant now) {
  auto r = next_reminder(task, policy, calendar, zone, reminded_through.value_or(now));
  return r ? std::optional<Instant>(r->at) : std::nullopt;
}

}  // namespace dondoc::domain
