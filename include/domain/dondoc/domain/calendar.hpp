// The working calendar: which days are working days for the province's offices, and deadline
// arithmetic over them (docs/design.md, "The working calendar": the Government's list for a year
// where one is shipped, else Labour Code 2019 art. 112 holidays with lunar Tết and Giỗ Tổ computed
// and compensatory days; yearly swaps and provincial additions from configuration).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dondoc/domain/date.hpp"

namespace dondoc::domain {

struct Holiday {
  Date date;
  std::string name;    // Vietnamese, e.g. "Tết Nguyên đán"
  std::string source;  // where the day comes from: a notice, an article of law, the configuration
};

// The Government's list for one year, as its notices give it to the civil service (offices rest
// on Saturday and Sunday): the weekdays off, days in lieu included, and the weekend days worked.
// Shipped as data (config/calendar/YEAR.yaml); a year with a list does not use the computed rules.
struct OfficialYear {
  std::vector<Holiday> days_off;      // Monday to Friday only
  std::vector<Holiday> working_days;  // Saturday and Sunday only
};

struct CalendarRules {
  // The official lists by year; the computed rules serve the years not listed.
  std::map<int, OfficialYear> official_years;
  // Extra days off decided by the province or by a yearly decision (bridged days).
  std::vector<Date> extra_holidays;
  // Weekend days that are working days (the make-up Saturday of a swap).
  std::vector<Date> extra_working_days;
  // A year listed here uses exactly these public holidays instead of its official list or the
  // computed ones.
  std::map<int, std::vector<Date>> holidays_by_year;
  // Labour Code 2019 art. 111(3): a holiday falling on a weekly rest day is taken on the next
  // working day.
  bool compensate_weekend_holidays = true;
};

class WorkingCalendar {
 public:
  explicit WorkingCalendar(CalendarRules rules = {});

  bool is_working_day(Date d) const;
  // Public holidays of a year as the calendar applies them (official, computed or overridden), in
  // date order.
  std::vector<Holiday> holidays(int year) const;
  // Saturdays and Sundays of a year that are working days, with where each comes from.
  std::vector<Holiday> worked_weekend_days(int year) const;
  // Whether `year` follows a list (official or configured) rather than the computed rules.
  bool has_list(int year) const;
  // From 1 October, the next year when it has no list yet: the Government usually decides the
  // next year's Tết in the autumn, and until someone adds it the computed rules will be used.
  std::optional<int> next_year_without_list(Date today) const;

  // `n` working days after `start`: counting starts the next day (Civil Code art. 147).
  Date add_working_days(Date start, int n) const;
  // `n` calendar days after `start`; a period ending on a day off ends on the next working day
  // (Civil Code art. 148).
  Date add_days(Date start, int n) const;
  Date next_working_day_on_or_after(Date d) const;
  // Working days in (from, to]; 0 when to <= from.
  int working_days_between(Date from, Date to) const;

  // The computed default holidays of a year (Labour Code art. 112; from 2026 also Vietnamese
  // Culture Day), before any override, without the days in lieu.
  static std::vector<Holiday> statutory_holidays(int year);

 private:
  const std::set<Date>& days_off(int year) const;
  // The rules themselves, day by day; the public queries read the counts below instead.
  bool computed_is_working_day(Date d) const;
  // Working days before first_day_ + i, for every day of kFirstYear..kLastYear and one past:
  // a deadline a year or more overdue is counted in one subtraction, not a walk through every
  // day in between (which the writer did for each task it wrote).
  std::int32_t index_of(Date d) const { return d.days_since_epoch() - first_day_; }
  bool in_range(Date d) const {
    return index_of(d) >= 0 && index_of(d) + 1 < static_cast<std::int32_t>(working_before_.size());
  }

  CalendarRules rules_;
  std::set<Date> extra_working_;
  std::map<int, std::set<Date>> days_off_by_year_;  // precomputed for kFirstYear..kLastYear
  std::map<int, std::vector<Holiday>> holidays_by_year_;
  std::map<int, std::vector<Holiday>> worked_by_year_;
  std::int32_t first_day_ = 0;
  std::vector<std::int32_t> working_before_;
};

}  // namespace dondoc::domain
