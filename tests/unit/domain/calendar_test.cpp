#include "dondoc/domain/calendar.hpp"

#include <gtest/gtest.h>

#include <random>

#include "dondoc/domain/deadline.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/lunar.hpp"

using namespace dondoc::domain;

namespace {
Date d(const char* iso) {
  return *Date::parse(iso);
}
}  // namespace

// Mùng 1 Tết as published by the Vietnamese calendar (which differs from China's in 2007 and
// 1985-style years because it is computed for UTC+7).
TEST(Lunar, NewYearMatchesPublishedDates) {
  EXPECT_EQ(lunar_new_year(2007).to_string(), "2007-02-17");
  EXPECT_EQ(lunar_new_year(2020).to_string(), "2020-01-25");
  EXPECT_EQ(lunar_new_year(2023).to_string(), "2023-01-22");
  EXPECT_EQ(lunar_new_year(2024).to_string(), "2024-02-10");
  EXPECT_EQ(lunar_new_year(2025).to_string(), "2025-01-29");
  EXPECT_EQ(lunar_new_year(2026).to_string(), "2026-02-17");
  EXPECT_EQ(lunar_new_year(2027).to_string(), "2027-02-06");
}

TEST(Lunar, HungKingsDayIsTenthOfThirdMonth) {
  EXPECT_EQ(lunar_to_solar(10, 3, 2023)->to_string(), "2023-04-29");
  EXPECT_EQ(lunar_to_solar(10, 3, 2024)->to_string(), "2024-04-18");
  EXPECT_EQ(lunar_to_solar(10, 3, 2025)->to_string(), "2025-04-07");
  EXPECT_EQ(lunar_to_solar(10, 3, 2026)->to_string(), "2026-04-26");
}

TEST(Lunar, LeapMonthOnlyWhereItExists) {
  // 2023 had a leap second month (tháng 2 nhuận) starting 2023-03-22.
  EXPECT_EQ(lunar_to_solar(1, 2, 2023, true)->to_string(), "2023-03-22");
  EXPECT_FALSE(lunar_to_solar(1, 3, 2023, true));
  EXPECT_FALSE(lunar_to_solar(1, 2, 2024, true));
}

TEST(WorkingCalendar, WeekendsAndFixedHolidaysAreDaysOff) {
  WorkingCalendar cal;
  EXPECT_TRUE(cal.is_working_day(d("2025-04-29")));   // Tuesday
  EXPECT_FALSE(cal.is_working_day(d("2025-04-30")));  // Ngày Chiến thắng
  EXPECT_FALSE(cal.is_working_day(d("2025-05-01")));  // Quốc tế lao động
  EXPECT_FALSE(cal.is_working_day(d("2025-05-03")));  // Saturday
  EXPECT_FALSE(cal.is_working_day(d("2025-04-07")));  // Giỗ Tổ, computed
  EXPECT_FALSE(cal.is_working_day(d("2025-09-02")));  // Quốc khánh
  EXPECT_FALSE(cal.is_working_day(d("2025-09-01")));  // its adjacent day in 2025
}

TEST(WorkingCalendar, TetIsFiveDaysAroundLunarNewYear) {
  WorkingCalendar cal;
  // Tết 2026 is Tuesday 17 February: 16 (30 Tết) to 20 February are off.
  EXPECT_TRUE(cal.is_working_day(d("2026-02-13")));
  for (const char* day : {"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"}) {
    EXPECT_FALSE(cal.is_working_day(d(day))) << day;
  }
  EXPECT_TRUE(cal.is_working_day(d("2026-02-23")));
}

TEST(WorkingCalendar, HolidayOnAWeekendIsCompensatedNextWorkingDay) {
  WorkingCalendar cal;
  // 2022-01-01 was a Saturday; Monday 3 January was off.
  EXPECT_FALSE(cal.is_working_day(d("2022-01-03")));
  EXPECT_TRUE(cal.is_working_day(d("2022-01-04")));
}

TEST(WorkingCalendar, ConfigurationSwapsAndOverridesDays) {
  CalendarRules rules;
  rules.extra_holidays = {d("2025-05-02")};      // bridged Friday
  rules.extra_working_days = {d("2025-04-26")};  // make-up Saturday
  rules.holidays_by_year[2026] = {d("2026-01-01")};
  WorkingCalendar cal(rules);
  EXPECT_FALSE(cal.is_working_day(d("2025-05-02")));
  EXPECT_TRUE(cal.is_working_day(d("2025-04-26")));
  EXPECT_TRUE(cal.is_working_day(d("2026-02-18")));  // Tết no longer listed for 2026
  EXPECT_FALSE(cal.is_working_day(d("2026-01-01")));
}

TEST(Deadline, WorkingDaysCountFromTheNextDayAndSkipDaysOff) {
  WorkingCalendar cal;
  // Assigned Thursday 2025-04-24: Fri 25, Mon 28, Tue 29, (30/4, 1/5 off), Fri 2 May.
  EXPECT_EQ(resolve_deadline(DeadlineSpec::working_days(4), d("2025-04-24"), cal)->to_string(),
            "2025-05-02");
  EXPECT_EQ(resolve_deadline(DeadlineSpec::working_days(1), d("2025-04-25"), cal)->to_string(),
            "2025-04-28");
}

TEST(Deadline, DayPeriodEndingOnAHolidayMovesToNextWorkingDay) {
  WorkingCalendar cal;
  // 2025-04-20 + 10 days = 2025-04-30 (holiday), 1/5 holiday, 3-4/5 weekend → Friday 2025-05-02.
  EXPECT_EQ(resolve_deadline(DeadlineSpec::days(10), d("2025-04-20"), cal)->to_string(),
            "2025-05-02");
  // Ending on an ordinary weekday stays there.
  EXPECT_EQ(resolve_deadline(DeadlineSpec::days(30), d("2025-02-20"), cal)->to_string(),
            "2025-03-24");  // 22 March is a Saturday → Monday 24
}

TEST(Deadline, PeriodEndingInsideTetEndsAfterTet) {
  WorkingCalendar cal;
  // 2026-02-06 + 10 days = 2026-02-16 (30 Tết) → first working day after Tết, Monday 23.
  EXPECT_EQ(resolve_deadline(DeadlineSpec::days(10), d("2026-02-06"), cal)->to_string(),
            "2026-02-23");
  // 5 working days from Thursday 2026-02-12: 13, (Tết 16-20 off, weekend), 23, 24, 25, 26.
  EXPECT_EQ(resolve_deadline(DeadlineSpec::working_days(5), d("2026-02-12"), cal)->to_string(),
            "2026-02-26");
}

TEST(Deadline, NoneAndDateAndOutOfRangePeriods) {
  WorkingCalendar cal;
  EXPECT_FALSE(resolve_deadline(DeadlineSpec::none(), d("2025-01-02"), cal));
  EXPECT_EQ(resolve_deadline(DeadlineSpec::on(d("2025-03-01")), d("2025-01-02"), cal),
            d("2025-03-01"));
  EXPECT_THROW(resolve_deadline(DeadlineSpec::days(0), d("2025-01-02"), cal), ValidationError);
  EXPECT_THROW(resolve_deadline(DeadlineSpec::working_days(kMaxDeadlineWorkingDays + 1),
                                d("2025-01-02"), cal),
               ValidationError);
}

// Counting and adding working days read precomputed counts; they must agree with walking the
// calendar day by day, across years, Tết and the configured swaps.
TEST(WorkingCalendar, CountsAgreeWithWalkingDayByDay) {
  CalendarRules rules;
  rules.extra_working_days = {*Date::parse("2025-02-08")};
  rules.extra_holidays = {*Date::parse("2025-02-10")};
  const WorkingCalendar calendar(rules);
  std::mt19937 rng(11);
  const Date first = *Date::parse("1990-01-01");
  for (int i = 0; i < 3000; ++i) {
    const Date start = first + static_cast<int>(rng() % 38000);  // leaves room before 2101
    const int n = static_cast<int>(rng() % 800);
    Date walked = start;
    for (int left = n; left > 0;) {
      walked = walked + 1;
      left -= calendar.is_working_day(walked) ? 1 : 0;
    }
    ASSERT_EQ(calendar.add_working_days(start, n), walked) << start.to_string() << " + " << n;
    const Date to = start + static_cast<int>(rng() % 1000);
    int counted = 0;
    for (Date d = start + 1; d <= to; d = d + 1) {
      counted += calendar.is_working_day(d) ? 1 : 0;
    }
    ASSERT_EQ(calendar.working_days_between(start, to), counted) << start.to_string();
    ASSERT_EQ(calendar.working_days_between(to, start), 0) << "none when `to` is not after";
  }
  EXPECT_TRUE(calendar.is_working_day(*Date::parse("2025-02-08"))) << "a Saturday made working";
  EXPECT_FALSE(calendar.is_working_day(*Date::parse("2025-02-10"))) << "an extra holiday";
  // Beyond the calendar's years only weekends are days off (a deadline on 2100-12-31 is
  // reminded in 2101): 2101-01-01 is a Saturday, 2101-01-03 a Monday.
  EXPECT_FALSE(calendar.is_working_day(d("2101-01-01")));
  EXPECT_TRUE(calendar.is_working_day(d("2101-01-03")));
  EXPECT_EQ(calendar.add_working_days(d("2100-12-31"), 1), d("2101-01-03"));
  EXPECT_EQ(calendar.working_days_between(d("2100-12-31"), d("2101-01-09")), 5);
}

// The computed rules against the published lunar dates: Tết is the eve of mùng 1 and the four
// days after it, Giỗ Tổ is 10/3 lunar; National Day has a second day from 2021 (Labour Code
// 2019) and Vietnamese Culture Day is a day off from 2026, not made up when it falls on a weekend.
TEST(WorkingCalendar, ComputedRulesFollowThePublishedLunarDates) {
  struct Year {
    int year;
    const char* tet;  // mùng 1 Tết, as the Vietnamese calendar publishes it
    const char* hung_kings;
  };
  const Year years[] = {
      {2015, "2015-02-19", "2015-04-28"}, {2016, "2016-02-08", "2016-04-16"},
      {2017, "2017-01-28", "2017-04-06"}, {2018, "2018-02-16", "2018-04-25"},
      {2019, "2019-02-05", "2019-04-14"}, {2020, "2020-01-25", "2020-04-02"},
      {2021, "2021-02-12", "2021-04-21"}, {2022, "2022-02-01", "2022-04-10"},
      {2023, "2023-01-22", "2023-04-29"}, {2024, "2024-02-10", "2024-04-18"},
      {2025, "2025-01-29", "2025-04-07"}, {2026, "2026-02-17", "2026-04-26"},
  };
  for (const auto& y : years) {
    std::vector<Date> tet;
    std::vector<Date> hung;
    std::vector<Date> national;
    for (const auto& h : WorkingCalendar::statutory_holidays(y.year)) {
      if (h.name == "Tết Nguyên đán") {
        tet.push_back(h.date);
      } else if (h.name == "Giỗ Tổ Hùng Vương") {
        hung.push_back(h.date);
      } else if (h.name == "Quốc khánh") {
        national.push_back(h.date);
      }
      EXPECT_FALSE(h.source.empty()) << h.date.to_string();
    }
    const Date first = d(y.tet);
    EXPECT_EQ(tet, (std::vector<Date>{first - 1, first, first + 1, first + 2, first + 3}))
        << y.year;
    EXPECT_EQ(hung, std::vector<Date>{d(y.hung_kings)}) << y.year;
    EXPECT_EQ(national.size(), y.year >= 2021 ? 2u : 1u) << y.year;
  }
  const WorkingCalendar computed;
  EXPECT_TRUE(computed.is_working_day(d("2025-11-24")));   // before Nghị quyết 28/2026/QH16
  EXPECT_FALSE(computed.is_working_day(d("2028-11-24")));  // a Friday
  // 24/11/2029 is a Saturday: no day in lieu on Monday 26.
  EXPECT_TRUE(computed.is_working_day(d("2029-11-26")));
  // 2/9/2020 was a Wednesday and the Code of 2012 gave one day: 1 and 3 September were worked.
  EXPECT_TRUE(computed.is_working_day(d("2020-09-01")));
  EXPECT_TRUE(computed.is_working_day(d("2020-09-03")));
}

TEST(WorkingCalendar, FromOctoberNextYearWithoutAListIsNamed) {
  CalendarRules rules;
  rules.official_years[2026].days_off = {{d("2026-02-16"), "Tết Nguyên đán", "Thông báo"}};
  const WorkingCalendar calendar(rules);
  EXPECT_EQ(calendar.next_year_without_list(d("2025-09-30")), std::nullopt);  // before October
  EXPECT_EQ(calendar.next_year_without_list(d("2025-10-01")), std::nullopt);  // 2026 is listed
  EXPECT_EQ(calendar.next_year_without_list(d("2026-09-30")), std::nullopt);
  EXPECT_EQ(calendar.next_year_without_list(d("2026-10-01")), 2027);
  EXPECT_EQ(calendar.next_year_without_list(d("2026-12-31")), 2027);
  rules.holidays_by_year[2027] = {d("2027-01-01")};  // the configuration gives the year
  EXPECT_EQ(WorkingCalendar(rules).next_year_without_list(d("2026-10-01")), std::nullopt);
}

// A year with an official list follows it exactly: its days off, days in lieu included, and its
// worked Saturdays; nothing is computed on top.
TEST(WorkingCalendar, AnOfficialYearReplacesTheComputedOne) {
  CalendarRules rules;
  rules.official_years[2025].days_off = {{d("2025-01-27"), "Tết Nguyên đán", "TB"},
                                         {d("2025-05-02"), "Nghỉ hoán đổi", "TB"}};
  rules.official_years[2025].working_days = {{d("2025-04-26"), "Làm bù", "TB"}};
  const WorkingCalendar calendar(rules);
  EXPECT_FALSE(calendar.is_working_day(d("2025-01-27")));
  EXPECT_FALSE(calendar.is_working_day(d("2025-05-02")));
  EXPECT_TRUE(calendar.is_working_day(d("2025-04-26")));
  EXPECT_TRUE(calendar.is_working_day(d("2025-01-29")));  // not listed: worked
  EXPECT_TRUE(calendar.is_working_day(d("2025-02-03")));  // no day in lieu computed
  ASSERT_EQ(calendar.worked_weekend_days(2025).size(), 1u);
  EXPECT_EQ(calendar.worked_weekend_days(2025)[0].source, "TB");
  EXPECT_FALSE(calendar.is_working_day(d("2024-02-12")));  // 2024 still computed (Tết)
}
