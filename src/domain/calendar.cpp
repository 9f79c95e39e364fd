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
// Giỗ Tổ Hùng Vương became a day off in 2007; Vietnamese Culture Day (24 November) in 2026.
constexpr int kFirstHungKingsYear = 2007;
constexpr int kFirstCultureDayYear = 2026;
constexpr const char* kCultureDay = "Ngày Văn hóa Việt Nam";

// Where each kind of day comes from, as `dondocd calendar` prints it.
constexpr const char* kCode2019Holidays = "Bộ luật Lao động 2019, Điều 112 khoản 1 (tính sẵn)";
constexpr const char* kCode2012Holidays = "Bộ luật Lao động 2012, Điều 115 khoản 1 (tính sẵn)";
constexpr const char* kCode2019DaysInLieu = "Bộ luật Lao động 2019, Điều 111 khoản 3 (tính sẵn)";
constexpr const char* kCode2012DaysInLieu = "Bộ luật Lao động 2012, Điều 115 khoản 3 (tính sẵn)";
constexpr const char* kCultureDaySource = "Nghị quyết 28/2026/QH16, Điều 2 (tính sẵn)";
constexpr const char* kConfiguredYear = "cấu hình: calendar.years";
constexpr const char* kConfiguredDayOff = "cấu hình: calendar.holidays";
constexpr const char* kConfiguredWorkingDay = "cấu hình: calendar.working_days";

Date ymd(int y, unsigned m, unsigned d) {
  return *Date::from_ymd(y, m, d);
}

}  // namespace

std::vector<Holiday> WorkingCalendar::statutory_holidays(int year) {
  // The Labour Code of 2019 (in force 2021) added National Day's second day; before it, the Code
  // of 2012 gave one.
  const bool code_2019 = year >= 2021;
  const std::string code = code_2019 ? kCode2019Holidays : kCode2012Holidays;
  std::vector<Holiday> out;
  out.push_back({ymd(year, 1, 1), "Tết Dương lịch", code});
  const Date tet = lunar_new_year(year);
  for (int i = 0; i < kTetDays; ++i) {
    out.push_back({tet - kTetDaysBefore + i, "Tết Nguyên đán", code});
  }
  if (year >= kFirstHungKingsYear) {
    out.push_back({*lunar_to_solar(10, 3, year), "Giỗ Tổ Hùng Vương", code});
  }
  out.push_back({ymd(year, 4, 30), "Ngày Chiến thắng", code});
  out.push_back({ymd(year, 5, 1), "Ngày Quốc tế lao động", code});
  const Date national = ymd(year, 9, 2);
  out.push_back({national, "Quốc khánh", code});
  if (code_2019) {
    // National Day's second day is chosen each year by the Prime Minister; by default the
    // neighbour that joins a weekend, as the decisions of recent years did.
    const unsigned wd = national.iso_weekday();
    out.push_back({(wd == 1 || wd == 4) ? national + 1 : national - 1, "Quốc khánh", code});
  }
  if (year >= kFirstCultureDayYear) {
    out.push_back({ymd(year, 11, 24), kCultureDay, kCultureDaySource});
  }
  std::sort(out.begin(), out.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return out;
}

WorkingCalendar::WorkingCalendar(CalendarRules rules) : rules_(std::move(rules)) {
  for (Date d : rules_.extra_working_days) {
    extra_working_.insert(d);
    worked_by_year_[d.year()].push_back({d, "Ngày làm việc bù", kConfiguredWorkingDay});
  }
  for (int year = kFirstYear; year <= kLastYear; ++year) {
    std::vector<Holiday> hs;
    bool compute_days_in_lieu = rules_.compensate_weekend_holidays;
    if (auto it = rules_.holidays_by_year.find(year); it != rules_.holidays_by_year.end()) {
      for (Date d : it->second) {
        hs.push_back({d, "Ngày nghỉ lễ", kConfiguredYear});
      }
    } else if (auto official = rules_.official_years.find(year);
               official != rules_.official_years.end()) {
      // The notice already names the days in lieu and the swaps.
      hs = official->second.days_off;
      compute_days_in_lieu = false;
      for (const auto& w : official->second.working_days) {
        extra_working_.insert(w.date);
        worked_by_year_[year].push_back(w);
      }
    } else {
      hs = statutory_holidays(year);
    }
    std::set<Date> off;
    for (const auto& h : hs) {
      off.insert(h.date);
    }
    if (compute_days_in_lieu) {
      // Walk in date order so that a compensatory day never lands on another holiday.
      std::vector<Date> weekend_holidays;
      for (const auto& h : hs) {
        if (h.date.is_weekend() && h.name != kCultureDay) {  // not an art. 112 holiday
          weekend_holidays.push_back(h.date);
        }
      }
      std::sort(weekend_holidays.begin(), weekend_holidays.end());
      weekend_holidays.erase(std::unique(weekend_holidays.begin(), weekend_holidays.end()),
                             weekend_holidays.end());
      for (Date d : weekend_holidays) {
        Date c = d + 1;
        while (c.is_weekend() || off.contains(c)) {
          c = c + 1;
        }
        off.insert(c);
        hs.push_back({c, "Nghỉ bù", year >= 2021 ? kCode2019DaysInLieu : kCode2012DaysInLieu});
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
      holidays_by_year_[d.year()].push_back({d, "Ngày nghỉ theo quyết định", kConfiguredDayOff});
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

std::vector<Holiday> WorkingCalendar::worked_weekend_days(int year) const {
  days_off(year);  // range check
  std::vector<Holiday> out;
  if (auto it = worked_by_year_.find(year); it != worked_by_year_.end()) {
    for (const auto& w : it->second) {
      if (w.date.is_weekend()) {
        out.push_back(w);
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return out;
}

bool WorkingCalendar::has_list(int year) const {
  return rules_.official_years.contains(year) || rules_.holidays_by_year.contains(year);
}

std::optional<int> WorkingCalendar::next_year_without_list(Date today) const {
  const int next = today.year() + 1;
  if (today.month() < 10 || next > kLastYear || has_list(next)) {
    return std::nullopt;
  }
  return next;
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
