// A coordinating unit's part in a task (ý kiến phối hợp): the lead unit often needs its input by
// an earlier date than the task's own deadline ("gửi ý kiến về Sở Xây dựng trước ngày 10/3").
// Each coordinating unit may have its own deadline, is reminded of it, records that it has sent
// its input (with its document), and shows as late when it has not. The task's own timeliness
// does not depend on it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/clock.hpp"
#include "dondoc/domain/reminder.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

struct Contribution {
  TaskId task_id = 0;
  UnitId unit_id = 0;
  std::optional<Date> due_on;   // thời hạn phối hợp; none: whenever the lead unit asks
  std::optional<Date> sent_on;  // the day the unit sent its input
  std::string sent_ref;         // the document it was sent with ("88/STC-NS")
  std::string note;
  std::string sent_by;  // who recorded it
  // The reminder schedule, as for tasks: the next one and the last handled.
  std::optional<Instant> next_reminder_at;
  std::optional<Instant> reminded_through;
  Instant updated_at{};

  bool operator==(const Contribution&) const = default;
};

// awaited: no deadline, not sent; due: its deadline is today or later; late: past it and not
// sent; sent: on or before its deadline (or without one); sent_late: after it.
enum class ContributionState { awaited, due, late, sent, sent_late };
std::string_view to_string(ContributionState s);
ContributionState contribution_state(const Contribution& c, Date today);
// Days past the deadline: as of today while late, when sent for sent_late; 0 otherwise.
int contribution_days_late(const Contribution& c, Date today);

// The two reminders of a contribution: the working day before its deadline (due_soon), and the
// first working day after it while nothing was sent (overdue), each at the start of working
// hours. Their occurrence names the deadline, so a moved deadline starts again.
struct ContributionReminder {
  ReminderKind kind = ReminderKind::due_soon;  // due_soon or overdue
  Date day;
  Instant at;
  std::string occurrence;  // "2025-03-10/before", "2025-03-10/late"
};

// The first reminder of `c` due strictly after `after`; none once sent, without a deadline, or
// after both.
std::optional<ContributionReminder> next_contribution_reminder(const Contribution& c,
                                                               const WorkingCalendar& calendar,
                                                               const TimeZone& zone,
                                                               const WorkingHours& hours,
                                                               Instant after);

}  // namespace dondoc::domain
