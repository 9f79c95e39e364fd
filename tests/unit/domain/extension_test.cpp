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

// A pending request can be decided only while its task is open, led by the unit that asked and
// still due on the date the request asks to move; each other case names its own reason, the
// task's state first.
TEST(ExtensionRules, APendingRequestLapsesWhenItsTaskMovesOn) {
  ExtensionRequest r;
  r.task_id = 7;
  r.unit_id = 1;
  r.current_due_on = d("2025-03-31");
  r.proposed_due_on = d("2025-04-30");
  const Task task = open_task("2025-03-31");
  EXPECT_EQ(lapse_of(r, task), ExtensionClosure::none);

  const std::pair<LifecycleState, ExtensionClosure> states[] = {
      {LifecycleState::reported, ExtensionClosure::task_reported},
      {LifecycleState::done, ExtensionClosure::task_done},
      {LifecycleState::cancelled, ExtensionClosure::task_cancelled},
      {LifecycleState::suspended, ExtensionClosure::task_suspended},
  };
  for (const auto& [state, closure] : states) {
    Task t = task;
    t.state = state;
    t.lead_unit_id = 2;  // also another unit: the state is what the unit is told
    EXPECT_EQ(lapse_of(r, t), closure) << to_string(state);
  }
  Task other_unit = task;
  other_unit.lead_unit_id = 2;
  EXPECT_EQ(lapse_of(r, other_unit), ExtensionClosure::lead_unit_changed);
  Task moved = task;
  moved.due_on = d("2025-04-15");
  EXPECT_EQ(lapse_of(r, moved), ExtensionClosure::deadline_changed);
  Task no_deadline = task;
  no_deadline.due_on.reset();
  EXPECT_EQ(lapse_of(r, no_deadline), ExtensionClosure::deadline_changed);

  // Only a pending request lapses: a decided one stays as it was decided.
  for (auto state : {ExtensionState::approved, ExtensionState::rejected, ExtensionState::withdrawn,
                     ExtensionState::closed}) {
    ExtensionRequest decided = r;
    decided.state = state;
    EXPECT_EQ(lapse_of(decided, moved), ExtensionClosure::none) << to_string(state);
  }
}

// The per-task limit counts what units asked and did not take back; neither a request that
// closed itself nor a deadline the Office set directly uses up a unit's requests.
TEST(ExtensionRules, OnlyAUnitsOwnLiveRequestsCountTowardsTheLimit) {
  ExtensionRequest r;
  for (auto state : {ExtensionState::pending, ExtensionState::approved, ExtensionState::rejected}) {
    r.state = state;
    EXPECT_TRUE(counts_towards_limit(r)) << to_string(state);
  }
  for (auto state : {ExtensionState::withdrawn, ExtensionState::closed}) {
    r.state = state;
    EXPECT_FALSE(counts_towards_limit(r)) << to_string(state);
  }
  r.state = ExtensionState::approved;
  r.origin = ExtensionOrigin::office;
  EXPECT_FALSE(counts_towards_limit(r));
}
