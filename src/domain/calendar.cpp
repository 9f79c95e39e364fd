#include "dondoc/domain/calendar.hpp"

#include <algorithm>
#include <stdexcept>

#include "dondoc/domain/lunar.hpp"

namespace dondoc::domain {

namespace {

// Years the calendar answers for. Deadlines outside this range are rejected by validation.
constexpr int kFirstYear = 1990;
constexpr int kLastYear = 2100;
// Tết: five days, by default the last day of the lunar year and the first four of the new one.
constexpr int kTetDaysBefore = 1;
constexpr int kTetDays = 5;

Date ymd(int y, unsigned m, unsigned d) {
  return *Date::from_ymd(y, m, d);
}

}  // namespace

std::vector<Holiday> WorkingCalendar::statutory_holidays(int year) {
  std::vector<Holiday> out;
  out.push_back({ymd(year, 1, 1), "Tết Dương lịch"});
  const Date tet = lunar_new_year(year);
  for (int i = 0; i < kTetDays; ++i) {
    out.push_back({tet - kTetDaysBefore + i, "Tết Nguyên đán"});
  }
  out.push_back({*lunar_to_solar(10, 3, year), "Giỗ Tổ Hùng Vương"});
  out.push_back({ymd(year, 4, 30), "Ngày Chiến thắng"});
  out.push_back({ymd(year, 5, 1), "Ngày Quốc tế lao động"});
  // National Day: 2/9 and one adjacent day, chosen each year by the Government; by default the
  // neighbour that joins a weekend, as the decisions of recent years did.
  const Date national = ymd(year, 9, 2);
  const unsigned wd = national.iso_weekday();
  const Date adjacent = (wd == 1 || wd == 4) ? national + 1 : national - 1;
  out.push_back({std::min(national, adjacent), "Quốc khánh"});
  out.push_back({std::max(national, adjacent), "Quốc khánh"});
  std::sort(out.begin(), out.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return out;
}

WorkingCalendar::WorkingCalendar(CalendarRules rules) : rules_(std::move(rules)) {
  extra_working_.insert(rules_.extra_working_days.begin(), rules_.extra_working_days.end());
  for (int year = kFirstYear; year <= kLastYear; ++year) {
    std::vector<Holiday> hs;
    if (auto it = rules_.holidays_by_year.find(year); it != rules_.holidays_by_year.end()) {
      for (Date d : it->second) {
        hs.push_back({d, "Ngày nghỉ lễ"});
      }
    } else {
      hs = statutory_holidays(year);
    }
    std::set<Date> off;
    for (const auto& h : hs) {
      off.insert(h.date);
    }
    if (rules_.compensate_weekend_holidays) {
      // Walk in date order so that a compensatory day never lands on another holiday.
      std::vector<Date> weekend_holidays;
      for (Date d : off) {
        if (d.is_weekend()) {
          weekend_holidays.push_back(d);
        }
      }
      for (Date d : weekend_holidays) {
        Date c = d + 1;
        while (c.is_weekend() || off.contains(c)) {
          c = c + 1;
        }
        off.insert(c);
        hs.push_back({c, "Nghỉ bù"});
      }
    }
    std::sort(hs.begin(), hs.end(),
              [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
    holidays_by_year_[year] = std::move(hs);
    days_off_by_year_[year] = std::move(off);
  }
  // Extra holidays are filed under the year of their date (a compensatory day may cross into
  // January; the set lookup below checks the neighbouring years too).
  for (Date d : rules_.extra_holidays) {
    if (auto it = days_off_by_year_.find(d.year()); it != days_off_by_year_.end()) {
      it->second.insert(d);
      holidays_by_year_[d.year()].push_back({d, "Ngày nghỉ theo quyết định"});
    }
  }
  const Date first = *Date::from_ymd(kFirstYear, 1, 1);
  const Date end = *Date::from_ymd(kLastYear + 1, 1, 1);
  first_day_ = first.days_since_epoch();
  working_before_.reserve(static_cast<std::size_t>(end - first) + 1);
  std::int32_t count = 0;
  for (Date d = first; d < end; d = d + 1) {
    working_before_.push_back(count);
    count += computed_is_working_day(d) ? 1 : 0;
  }
  working_before_.push_back(count);
}

const std::set<Date>& WorkingCalendar::days_off(int year) const {
  auto it = days_off_by_year_.find(year);
  if (it == days_off_by_year_.end()) {
    throw std::out_of_range("the working calendar covers years 1990-2100 only");
  }
  return it->second;
}

std::vector<Holiday> WorkingCalendar::holidays(int year) const {
  days_off(year);  // range check
  auto hs = holidays_by_year_.at(year);
  std::sort(hs.begin(), hs.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return hs;
}

bool WorkingCalendar::is_working_day(Date d) const {
  if (in_range(d)) {
    const auto i = static_cast<std::size_t>(index_of(d));
    return working_before_[i + 1] != working_before_[i];
  }
  return computed_is_working_day(d);  // outside the calendar's years
}

bool WorkingCalendar::computed_is_working_day(Date d) const {
  if (extra_working_.contains(d)) {
    return true;
  }
  if (d.is_weekend()) {
    return false;
  }
  // Outside the calendar's years no holiday is known: weekdays count as working days. Tasks
  // never have dates there, but reminders after a deadline late in 2100 walk past its end.
  auto is_day_off = [&](int year) {
    auto it = days_off_by_year_.find(year);
    return it != days_off_by_year_.end() && it->second.contains(d);
  };
  // A compensatory day for a late-December holiday can fall in the next year.
  return !is_day_off(d.year()) && !(d.month() == 1 && is_day_off(d.year() - 1));
}

Date WorkingCalendar::next_working_day_on_or_after(Date d) const {
  while (!is_working_day(d)) {
    d = d + 1;
  }
  return d;
}

Date WorkingCalendar::add_working_days(Date start, int n) const {
  if (n <= 0) {
    return start;
  }
  if (in_range(start)) {
    // The first day after `start` before which n more working days lie, found by bisection.
    const auto begin = working_before_.begin() + index_of(start) + 1;
    const std::int32_t target = *begin + n;
    const auto found = std::lower_bound(begin, working_before_.end(), target);
    if (found != working_before_.end()) {
      return Date::from_days(first_day_ +
                             static_cast<std::int32_t>(found - working_before_.begin()) - 1);
    }
  }
  Date d = start;
  while (n > 0) {
    d = d + 1;
    if (is_working_day(d)) {
      --n;
    }
  }
  return d;
}

Date WorkingCalendar::add_days(Date start, int n) const {
  return next_working_day_on_or_after(start + n);
}

int WorkingCalendar::working_days_between(Date from, Date to) const {
  if (to <= from) {
    return 0;
  }
  if (in_range(from) && in_range(to)) {
    // Working days in (from, to]: those before to + 1 less those before from + 1.
    return working_before_[static_cast<std::size_t>(index_of(to) + 1)] -
           working_before_[static_cast<std::size_t>(index_of(from) + 1)];
  }
  int count = 0;
  for (Date d = from + 1; d <= to; d = d + 1) {
    if (is_working_day(d)) {
      ++count;
    }
  }
  return count;
}

}  // namespace dondoc::domain
