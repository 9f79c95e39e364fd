#include "dondoc/domain/recurrence.hpp"

#include <gtest/gtest.h>

#include <random>

#include "dondoc/domain/errors.hpp"

using namespace dondoc::domain;

namespace {

Date d(const char* iso) {
  return *Date::parse(iso);
}

RecurrenceRule monthly_on(int day, const char* starts_on) {
  RecurrenceRule r;
  r.day = day;
  r.starts_on = d(starts_on);
  return r;
}

std::vector<std::string> dues(const std::vector<Occurrence>& list) {
  std::vector<std::string> out;
  for (const auto& o : list) {
    out.push_back(o.due_on.to_string());
  }
  return out;
}

// The deadlines of a rule found the slow way: every day from before the start to the end is
// looked at on its own, and kept when it is the rule's day of a month the rule is due in.
std::vector<Occurrence> brute_force(const RecurrenceRule& rule, const WorkingCalendar& calendar,
                                    Date until) {
  const int months = months_in_period(rule.frequency);
  auto due_month = [&](int month) { return (month - 1) % months == rule.month_of_period - 1; };
  auto days_in = [](Date day) {
    int n = 0;
    for (Date x = day - static_cast<int>(day.day() - 1); x.month() == day.month(); ++x) {
      ++n;
    }
    return n;
  };
  auto working_in = [&](Date day) {
    int n = 0;
    for (Date x = day - static_cast<int>(day.day() - 1); x.month() == day.month(); ++x) {
      n += calendar.is_working_day(x) ? 1 : 0;
    }
    return n;
  };
  // The rule's target day of the month holding `day`, before any roll.
  auto target_of = [&](Date day) {
    const int target = std::min(rule.day, days_in(day));
    return day - static_cast<int>(day.day()) + target;
  };
  std::vector<Occurrence> out;
  int working_seen = 0;
  const Date early = rule.starts_on - 70;
  for (Date day = early - static_cast<int>(early.day() - 1); day <= until; ++day) {
    if (day.day() == 1) {
      working_seen = 0;
    }
    const bool working = calendar.is_working_day(day);
    working_seen += working ? 1 : 0;
    bool is_due = false;
    Date month_of_due = day;  // the month whose deadline this is
    if (rule.day_rule == DayRule::working_day) {
      // the n-th working day, or the last one of a month that has fewer
      is_due = working && due_month(static_cast<int>(day.month())) &&
               (working_seen == rule.day ||
                (working_in(day) < rule.day && working_seen == working_in(day)));
    } else if (day == target_of(day) && (rule.on_day_off == DayOffRoll::keep || working)) {
      is_due = due_month(static_cast<int>(day.month()));
    } else if (rule.on_day_off != DayOffRoll::keep && working) {
      // A rolled deadline: the nearest working day before (or after) a target that is off.
      const int step = rule.on_day_off == DayOffRoll::previous ? 1 : -1;
      Date x = day + step;
      while (!calendar.is_working_day(x) && x != target_of(x)) {
        x = x + step;
      }
      if (!calendar.is_working_day(x) && x == target_of(x)) {
        is_due = true;
        month_of_due = x;
        // the days between must all be off
        for (Date y = day + step; y != x; y = y + step) {
          is_due = is_due && !calendar.is_working_day(y);
        }
        is_due = is_due && due_month(static_cast<int>(x.month()));
      }
    }
    if (!is_due || day < rule.starts_on) {
      continue;
    }
    if (rule.ends_on && day > *rule.ends_on) {
      break;
    }
    if (rule.count && static_cast<int>(out.size()) == *rule.count) {
      break;
    }
    const int period_month = static_cast<int>(month_of_due.month()) -
                             (static_cast<int>(month_of_due.month()) - 1) % months;
    const Date period_start = *Date::from_ymd(month_of_due.year(), period_month, 1);
    out.push_back({std::min(std::max(period_start, rule.starts_on), day), day});
  }
  return out;
}

}  // namespace

TEST(Recurrence, MonthlyOnTheTwentiethAssignedAtTheStartOfEachMonth) {
  auto r = monthly_on(20, "2026-01-01");
  WorkingCalendar calendar;
  const auto list = occurrences(r, calendar, std::nullopt, 3);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0], (Occurrence{d("2026-01-01"), d("2026-01-20")}));
  EXPECT_EQ(list[1], (Occurrence{d("2026-02-01"), d("2026-02-20")}));
  EXPECT_EQ(list[2], (Occurrence{d("2026-03-01"), d("2026-03-20")}));
}

TEST(Recurrence, ADayOffIsKeptOrMovedToTheWorkingDayBeforeOrAfter) {
  WorkingCalendar calendar;
  auto r = monthly_on(20, "2026-06-01");  // 20/06/2026 is a Saturday
  EXPECT_EQ(occurrences(r, calendar, std::nullopt, 1)[0].due_on, d("2026-06-20"));
  r.on_day_off = DayOffRoll::previous;
  EXPECT_EQ(occurrences(r, calendar, std::nullopt, 1)[0].due_on, d("2026-06-19"));
  r.on_day_off = DayOffRoll::next;
  EXPECT_EQ(occurrences(r, calendar, std::nullopt, 1)[0].due_on, d("2026-06-22"));
}

TEST(Recurrence, AShortMonthEndsOnItsLastDay) {
  WorkingCalendar calendar;
  auto r = monthly_on(31, "2026-01-01");
  EXPECT_EQ(dues(occurrences(r, calendar, std::nullopt, 4)),
            (std::vector<std::string>{"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"}));
}

TEST(Recurrence, QuarterlyInTheLastMonthOfEachQuarter) {
  WorkingCalendar calendar;
  auto r = monthly_on(15, "2026-02-10");
  r.frequency = Frequency::quarterly;
  r.month_of_period = 3;
  const auto list = occurrences(r, calendar, std::nullopt, 4);
  EXPECT_EQ(dues(list),
            (std::vector<std::string>{"2026-03-15", "2026-06-15", "2026-09-15", "2026-12-15"}));
  EXPECT_EQ(list[0].assigned_on, d("2026-02-10"));  // not before the series starts
  EXPECT_EQ(list[1].assigned_on, d("2026-04-01"));
}

TEST(Recurrence, TheNthWorkingDayOfTheMonth) {
  WorkingCalendar calendar;
  auto r = monthly_on(5, "2026-03-01");
  r.day_rule = DayRule::working_day;
  // 01/03/2026 is a Sunday: the working days are 2, 3, 4, 5 and 6 March.
  EXPECT_EQ(occurrences(r, calendar, std::nullopt, 1)[0].due_on, d("2026-03-06"));
}

TEST(Recurrence, AfterAndEndsOnAndCountBoundTheList) {
  WorkingCalendar calendar;
  auto r = monthly_on(20, "2026-01-01");
  EXPECT_EQ(dues(occurrences(r, calendar, d("2026-04-20"), 2)),
            (std::vector<std::string>{"2026-05-20", "2026-06-20"}));
  r.ends_on = d("2026-03-19");
  EXPECT_EQ(occurrences(r, calendar, std::nullopt, 10).size(), 2u);
  r.ends_on.reset();
  r.count = 5;
  TaskSeries s;
  s.rule = r;
  s.generated = 3;
  s.last_due_on = d("2026-03-20");
  EXPECT_EQ(dues(upcoming(s, calendar, 10)),
            (std::vector<std::string>{"2026-04-20", "2026-05-20"}));
  s.state = SeriesState::stopped;
  EXPECT_TRUE(upcoming(s, calendar, 10).empty());
}

TEST(Recurrence, ValidationNamesEachBadField) {
  RecurrenceRule r = monthly_on(32, "2026-01-01");
  r.month_of_period = 2;
  r.ends_on = d("2025-12-31");
  r.count = 0;
  try {
    validate_rule(r);
    FAIL() << "accepted";
  } catch (const ValidationError& e) {
    std::set<std::string> fields;
    for (const auto& f : e.errors()) {
      fields.insert(f.field);
    }
    EXPECT_EQ(fields, (std::set<std::string>{"rule.day", "rule.month_of_period", "rule.ends_on",
                                             "rule.count"}));
  }
  r = monthly_on(24, "2026-01-01");
  r.day_rule = DayRule::working_day;
  r.on_day_off = DayOffRoll::next;
  EXPECT_THROW(validate_rule(r), ValidationError);
}

// Ten years of random rules over the working calendar (with its computed Tết and holidays and a
// configured swap), each deadline list checked against the day-by-day walk above.
TEST(Recurrence, TenYearsOfRandomRulesMatchADayByDayWalk) {
  CalendarRules rules;
  rules.extra_holidays = {d("2027-04-30"), d("2028-09-01")};
  rules.extra_working_days = {d("2027-05-08")};
  WorkingCalendar calendar(rules);
  std::mt19937 rng(20261205);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int round = 0; round < 300; ++round) {
    RecurrenceRule r;
    r.frequency = static_cast<Frequency>(pick(0, 3));
    r.month_of_period = pick(1, months_in_period(r.frequency));
    r.day_rule = static_cast<DayRule>(pick(0, 1));
    r.day = r.day_rule == DayRule::working_day ? pick(1, kMaxWorkingDayOfMonth) : pick(1, 31);
    r.on_day_off =
        r.day_rule == DayRule::working_day ? DayOffRoll::keep : static_cast<DayOffRoll>(pick(0, 2));
    r.starts_on = d("2024-01-01") + pick(0, 1500);
    const Date until = r.starts_on + 3652;
    r.ends_on = pick(0, 3) == 0 ? std::optional<Date>(r.starts_on + pick(0, 3652)) : until;
    if (pick(0, 3) == 0) {
      r.count = pick(1, 40);
    }
    validate_rule(r);
    auto expected = brute_force(r, calendar, until);
    auto got = occurrences(r, calendar, std::nullopt, 2000);
    if (r.count && got.size() > static_cast<std::size_t>(*r.count)) {
      got.resize(static_cast<std::size_t>(*r.count));
    }
    ASSERT_EQ(dues(got), dues(expected))
        << "round " << round << ": " << to_string(r.frequency) << " month " << r.month_of_period
        << " " << to_string(r.day_rule) << " " << r.day << " " << to_string(r.on_day_off)
        << " from " << r.starts_on.to_string();
    ASSERT_EQ(got, expected) << "assignment dates, round " << round;
    // Resuming after any deadline gives the rest of the list.
    if (got.size() > 2) {
      const std::size_t k = static_cast<std::size_t>(pick(0, static_cast<int>(got.size()) - 2));
      auto rest = occurrences(r, calendar, got[k].due_on, got.size() - k - 1);
      ASSERT_EQ(rest, std::vector<Occurrence>(got.begin() + static_cast<long>(k) + 1, got.end()));
    }
  }
}
