// The rules a new extension request must meet (docs/design.md, "The domain"), as a pure function of
// the task, the dates and the policy.
#include "dondoc/domain/extension.hpp"

#include <gtest/gtest.h>

#include "dondoc/domain/errors.hpp"

using namespace dondoc::domain;

namespace {

Date d(const char* iso) {
  return *Date::parse(iso);
}

Task open_task(const char* due) {
  Task t;
  t.id = 7;
  t.title = "Báo cáo tình hình giải ngân";
  t.assigned_on = d("2025-01-02");
  t.lead_unit_id = 1;
  t.due_on = d(due);
  return t;
}

const WorkingCalendar kCalendar;

}  // namespace

TEST(ExtensionRules, TheLastOnTimeDayCountsWorkingDaysBackSkippingWeekendsAndHolidays) {
  // Due Monday 2025-05-05: back over Friday 2 May, 1 May and 30 April (holidays) and the weekend.
  EXPECT_EQ(last_on_time_request_day(d("2025-05-05"), 1, kCalendar), d("2025-05-02"));
  EXPECT_EQ(last_on_time_request_day(d("2025-05-05"), 2, kCalendar), d("2025-04-29"));
  EXPECT_EQ(last_on_time_request_day(d("2025-05-05"), 0, kCalendar), d("2025-05-05"));
  // Due right after Tết 2025 (holidays 25 January to 2 February): the lead time reaches back
  // before it.
  EXPECT_EQ(last_on_time_request_day(d("2025-02-04"), 3, kCalendar), d("2025-01-23"));
}

TEST(ExtensionRules, OnTimeLateAndRefused) {
  const ExtensionPolicy flag{3, 3, LateRequestPolicy::flag};
  const Task t = open_task("2025-05-05");
  EXPECT_FALSE(check_new_extension(t, d("2025-06-05"), "Chờ vốn", d("2025-04-28"), 0, false,
                                   kCalendar, flag));
  EXPECT_FALSE(check_new_extension(t, d("2025-06-05"), "Chờ vốn", d("2025-04-25"), 0, false,
                                   kCalendar, flag));
  // 29 April is the last day 3 working days before 5 May; 2 May is late.
  EXPECT_TRUE(check_new_extension(t, d("2025-06-05"), "Chờ vốn", d("2025-05-02"), 0, false,
                                  kCalendar, flag));
  const ExtensionPolicy refuse{3, 3, LateRequestPolicy::refuse};
  EXPECT_THROW(check_new_extension(t, d("2025-06-05"), "Chờ vốn", d("2025-05-02"), 0, false,
                                   kCalendar, refuse),
               Conflict);
  EXPECT_FALSE(check_new_extension(t, d("2025-06-05"), "Chờ vốn", d("2025-04-25"), 0, false,
                                   kCalendar, refuse));
}

TEST(ExtensionRules, WhatATaskMustBeAndWhatARequestMustSay) {
  const ExtensionPolicy policy{};
  const Date today = d("2025-03-03");
  Task t = open_task("2025-05-05");
  EXPECT_THROW(check_new_extension(t, d("2025-06-05"), "x", today, 0, true, kCalendar, policy),
               Conflict);  // one pending at a time
  EXPECT_THROW(check_new_extension(t, d("2025-06-05"), "x", today, 3, false, kCalendar, policy),
               Conflict);  // max_per_task
  try {
    check_new_extension(t, d("2025-05-05"), "", today, 0, false, kCalendar, policy);
    FAIL() << "a date not later than the deadline and a blank reason must be refused";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 2u);
    EXPECT_EQ(e.errors()[0].field, "proposed_due_on");
    EXPECT_EQ(e.errors()[1].field, "reason");
  }
  t.due_on.reset();
  EXPECT_THROW(check_new_extension(t, d("2025-06-05"), "x", today, 0, false, kCalendar, policy),
               Conflict);  // no deadline to extend
  t = open_task("2025-05-05");
  t.state = LifecycleState::reported;
  t.completed_on = today;
  EXPECT_THROW(check_new_extension(t, d("2025-06-05"), "x", today, 0, false, kCalendar, policy),
               Conflict);  // only open tasks
}
