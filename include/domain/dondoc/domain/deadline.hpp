// Deadlines given at registration: a date, a period from the assignment, or none (docs/design.md,
// "The domain").
#pragma once

#include <optional>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/date.hpp"

namespace dondoc::domain {

// Longest period accepted, so that a typo ("300000 days") is caught rather than stored.
constexpr int kMaxDeadlineDays = 3650;
constexpr int kMaxDeadlineWorkingDays = 2500;

struct DeadlineSpec {
  enum class Kind { none, date, working_days, days };
  Kind kind = Kind::none;
  Date date{};    // for Kind::date
  int count = 0;  // for the periods

  static DeadlineSpec none() { return {}; }
  static DeadlineSpec on(Date d) { return {Kind::date, d, 0}; }
  static DeadlineSpec working_days(int n) { return {Kind::working_days, {}, n}; }
  static DeadlineSpec days(int n) { return {Kind::days, {}, n}; }
};

// The due date of a task assigned on `assigned_on`, following Civil Code art. 147–148: a period
// counts from the next day and, if it ends on a day off, ends on the next working day.
std::optional<Date> resolve_deadline(const DeadlineSpec& spec, Date assigned_on,
                                     const WorkingCalendar& calendar);

}  // namespace dondoc::domain
