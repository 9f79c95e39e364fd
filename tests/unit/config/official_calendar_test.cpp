// The official calendars shipped in config/calendar/: each file valid, and the days of several
// years as the Government's notices give them, through the calendar a default configuration
// builds.
#include "dondoc/config/official_calendar.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "dondoc/config/config.hpp"
#include "dondoc/domain/calendar.hpp"

using dondoc::config::read_official_calendar;
using dondoc::config::shipped_calendar_files;
using dondoc::domain::Date;
using dondoc::domain::WorkingCalendar;

namespace {

Date d(const char* iso) {
  return *Date::parse(iso);
}

// The calendar of a configuration that says nothing about the calendar.
const WorkingCalendar& default_calendar() {
  static const WorkingCalendar calendar(dondoc::config::Config{}.calendar);
  return calendar;
}

void expect_off(std::initializer_list<const char*> days) {
  for (const char* day : days) {
    EXPECT_FALSE(default_calendar().is_working_day(d(day))) << day << " should be a day off";
  }
}

void expect_working(std::initializer_list<const char*> days) {
  for (const char* day : days) {
    EXPECT_TRUE(default_calendar().is_working_day(d(day))) << day << " should be worked";
  }
}

}  // namespace

TEST(OfficialCalendar, ShippedFilesAreValid) {
  ASSERT_GE(shipped_calendar_files().size(), 12u);
  for (const auto& file : shipped_calendar_files()) {
    const auto read = read_official_calendar(std::string(file.content), std::string(file.path));
    for (const auto& p : read.problems) {
      ADD_FAILURE() << p.to_string();
    }
    EXPECT_EQ(file.path, "/" + std::to_string(read.year) + ".yaml");
    EXPECT_FALSE(read.days.days_off.empty()) << file.path;
    for (const auto& day : read.days.days_off) {
      EXPECT_FALSE(day.source.empty()) << day.date.to_string();
    }
  }
  const auto& years = dondoc::config::shipped_official_years();
  for (int year = 2015; year <= 2026; ++year) {
    EXPECT_TRUE(years.contains(year)) << year;
  }
}

// Thông báo 6150/TB-BLĐTBXH: Tết from Saturday 25 January to Sunday 2 February 2025, Friday 2 May
// swapped for Saturday 26 April, National Day 30 August to 2 September. The computed rules would
// have given Monday 3 February off and 27 January worked.
TEST(OfficialCalendar, Year2025FollowsItsNotice) {
  expect_off({"2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-05-02",
              "2025-09-01", "2025-09-02"});
  expect_working({"2025-01-24", "2025-02-03", "2025-04-26", "2025-05-05"});
  const WorkingCalendar computed;  // no shipped list: what the rules alone give
  EXPECT_FALSE(computed.is_working_day(d("2025-02-03")));
  EXPECT_TRUE(computed.is_working_day(d("2025-01-27")));
}

TEST(OfficialCalendar, Years2023And2024And2026FollowTheirNotices) {
  // 2023 (5034/TB-LĐTBXH): Tết 20–26 January; Giỗ Tổ and 30/4 on a weekend, made up 2 and 3 May;
  // National Day on Friday 1 and Saturday 2 September, made up Monday 4.
  expect_off({"2023-01-20", "2023-01-25", "2023-01-26", "2023-05-02", "2023-05-03", "2023-09-01",
              "2023-09-04"});
  expect_working({"2023-01-19", "2023-01-27", "2023-09-05"});
  // 2024 (5015 and 1570/TB-LĐTBXH): Tết 8–14 February; Monday 29 April swapped for Saturday
  // 4 May; National Day 2 and 3 September.
  expect_off({"2024-02-08", "2024-02-14", "2024-04-29", "2024-09-03"});
  expect_working({"2024-02-15", "2024-05-04", "2024-09-04"});
  // 2026 (12729/VPCP-KGVX, 9441/TB-BNV, Nghị quyết 28/2026/QH16): 2 January swapped for
  // 10 January, Tết 16–20 February, Giỗ Tổ on Sunday 26 April made up on the 27th, 31 August
  // swapped for 22 August, and Vietnamese Culture Day on 24 November.
  expect_off({"2026-01-02", "2026-02-16", "2026-02-20", "2026-04-27", "2026-08-31", "2026-09-01",
              "2026-11-24"});
  expect_working({"2026-01-10", "2026-02-23", "2026-08-22", "2026-11-25"});
}

// 2015–2020, under the Labour Code of 2012 (one day for National Day). Tết as each year's
// notice gives it: 2015 nine days, 15–23 February, Monday 16 swapped for Saturday 14 and Monday 23
// in lieu of Saturday 21, with 2 January swapped for 27 December 2014 and 29 April for 25 April;
// 2016 (4659/TB-LĐTBXH) 8–12 February with the 12th in lieu of Sunday the 7th;
// 2017 26 January–1 February; 2018 14–20 February; 2019 4–8 February, 31 December 2018 swapped for
// 5 January and 29 April for 4 May; 2020 23–29 January.
TEST(OfficialCalendar, Years2015To2020FollowTheirNotices) {
  expect_off({"2015-01-02", "2015-02-16", "2015-02-17", "2015-02-20", "2015-02-23", "2015-04-28",
              "2015-04-29", "2015-09-02"});
  expect_working({"2015-02-13", "2015-02-14", "2015-02-24", "2015-04-25", "2015-09-03"});
  expect_off({"2016-02-08", "2016-02-12", "2016-04-18", "2016-05-02", "2016-05-03"});
  expect_working({"2016-02-05", "2016-02-15", "2016-09-05"});
  expect_off({"2017-01-02", "2017-01-26", "2017-02-01", "2017-04-06", "2017-05-02", "2017-09-04"});
  expect_working({"2017-01-25", "2017-02-02", "2017-09-01"});
  expect_off({"2018-02-14", "2018-02-20", "2018-04-25", "2018-09-03", "2018-12-31"});
  expect_working({"2018-02-13", "2018-02-21", "2018-08-31"});
  expect_off({"2019-02-04", "2019-02-08", "2019-04-15", "2019-04-29", "2019-04-30"});
  expect_working({"2019-01-05", "2019-02-11", "2019-05-04", "2019-09-03"});
  expect_off({"2020-01-23", "2020-01-29", "2020-04-02", "2020-09-02"});
  expect_working({"2020-01-22", "2020-01-30", "2020-09-03"});
}

// Outside Tết and the swaps the notices made, a year's list is the Labour Code's holidays and days
// in lieu; the computed rules derive those from the lunar calendar (Giỗ Tổ is the 10th of the
// third lunar month). The two agreeing on every other day checks the lists and the lunar dates
// against each other.
TEST(OfficialCalendar, ShippedListsAgreeWithTheComputedRulesAwayFromTetAndSwaps) {
  const WorkingCalendar computed;
  const std::set<std::string> swapped = {"2015-04-25", "2015-04-29", "2018-12-31", "2019-04-29",
                                         "2019-05-04"};
  for (int year = 2015; year <= 2020; ++year) {
    const Date last = d((std::to_string(year) + "-12-31").c_str());
    for (Date day = d((std::to_string(year) + "-03-01").c_str()); day <= last; ++day) {
      if (swapped.contains(day.to_string())) {
        continue;
      }
      EXPECT_EQ(default_calendar().is_working_day(day), computed.is_working_day(day))
          << day.to_string();
    }
  }
}

TEST(OfficialCalendar, TheConfigurationStillOverridesAYear) {
  auto result = dondoc::config::load_config_text(
      "calendar:\n  years:\n    2025: [2025-01-01, 2025-02-03]\n  working_days: [2025-05-03]\n",
      "dondoc.yaml");
  ASSERT_TRUE(result.ok());
  const WorkingCalendar calendar(result.config.calendar);
  EXPECT_FALSE(calendar.is_working_day(d("2025-02-03")));  // the configuration's list
  EXPECT_TRUE(calendar.is_working_day(d("2025-01-27")));   // the notice's Tết no longer applies
  EXPECT_TRUE(calendar.is_working_day(d("2025-05-03")));   // an added working Saturday
  EXPECT_FALSE(calendar.is_working_day(d("2024-04-29")));  // other years keep their lists
}

TEST(OfficialCalendar, EveryProblemOfAFileIsListedWithItsLine) {
  const auto read = read_official_calendar(
      "year: 2027\n"
      "sources:\n"
      "  tb: \"Thông báo\"\n"
      "  spare: \"Công văn không dùng\"\n"
      "days_off:\n"
      "  - {date: 2027-02-06, name: \"Tết\", source: tb}\n"
      "  - {date: 2026-12-31, name: \"Cuối năm\", source: tb}\n"
      "  - {date: 2027-02-08, name: \"Tết\", source: tb}\n"
      "  - {date: 2027-02-08, name: \"Tết\", source: tb}\n"
      "  - {date: 2027-02-09, name: \"Tết\", source: nd}\n"
      "  - {date: 2027-02-30, name: \"Tết\", source: tb}\n"
      "working_days:\n"
      "  - {date: 2027-02-01, name: \"Làm bù\", source: tb, note: x}\n",
      "2027.yaml");
  std::vector<std::string> found;
  for (const auto& p : read.problems) {
    found.push_back(p.to_string());
  }
  const std::vector<std::string> expected = {
      "2027.yaml:6:12: days_off[0].date: 2027-02-06 is a Saturday or Sunday, already a day off",
      "2027.yaml:7:12: days_off[1].date: 2026-12-31 is not in 2027",
      "2027.yaml:9:12: days_off[3].date: 2027-02-08 is listed twice",
      "2027.yaml:10:47: days_off[4].source: 'nd' is not one of the keys under sources",
      "2027.yaml:11:12: days_off[5].date: must be a real date as YYYY-MM-DD",
      "2027.yaml:13:54: working_days[0].note: unknown key; allowed here: date, name, source",
      "2027.yaml:13:12: working_days[0].date: 2027-02-01 is not a Saturday or Sunday",
      "2027.yaml:4:10: sources.spare: is not used by any day",
  };
  EXPECT_EQ(found, expected);
}
