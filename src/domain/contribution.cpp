#include "dondoc/domain/contribution.hpp"

namespace dondoc::domain {

std::string_view to_string(ContributionState s) {
  switch (s) {
    case ContributionState::awaited:
      return "awaited";
    case ContributionState::due:
      return "due";
    case ContributionState::late:
      return "late";
    case ContributionState::sent:
      return "sent";
    case ContributionState::sent_late:
      return "sent_late";
  }
  return "awaited";
}

ContributionState contribution_state(const Contribution& c, Date today) {
  if (c.sent_on) {
    return c.due_on && *c.due_on < *c.sent_on ? ContributionState::sent_late
                                              : ContributionState::sent;
  }
  if (!c.due_on) {
    return ContributionState::awaited;
  }
  return *c.due_on < today ? ContributionState::late : ContributionState::due;
}

int contribution_days_late(const Contribution& c, Date today) {
  switch (contribution_state(c, today)) {
    case ContributionState::late:
      return today - *c.due_on;
    case ContributionState::sent_late:
      return *c.sent_on - *c.due_on;
    default:
      return 0;
  }
}

std::optional<ContributionReminder> next_contribution_reminder(const Contribution& c,
                                                               const WorkingCalendar& calendar,
                                                               const TimeZone& zone,
                                                               const WorkingHours& hours,
                                                               Instant after) {
  if (c.sent_on || !c.due_on) {
    return std::nullopt;
  }
  Date before = *c.due_on - 1;
  while (!calendar.is_working_day(before)) {
    before = before - 1;
  }
  Date late = *c.due_on + 1;
  while (!calendar.is_working_day(late)) {
    late = late + 1;
  }
  const std::string due = c.due_on->to_string();
  const ContributionReminder plan[] = {
      {ReminderKind::due_soon, before, zone.start_of(before) + hours.start, due + "/before"},
      {ReminderKind::overdue, late, zone.start_of(late) + hours.start, due + "/late"},
  };
  for (const auto& r : plan) {
    if (r.at > after) {
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace dondoc::domain
