// The reminder policy as a pure function: the series before, on and after a deadline on the
// Vietnamese working calendar, the working-hours window, urgent tasks, completion and extensions.
#include "dondoc/domain/reminder.hpp"

#include <gtest/gtest.h>

#include "fake_clock.hpp"

using namespace dondoc::domain;
using namespace std::chrono_literals;
using dondoc::testing::at;

namespace {

const WorkingCalendar kCalendar;
const FixedOffsetZone kHanoi{"Asia/Ho_Chi_Minh", 7h};

Task open_task(const char* due) {
  Task t;
  t.id = 1;
  t.title = "Báo cáo kết quả thực hiện";
  t.assigned_on = *Date::parse("2025-03-03");
  t.lead_unit_id = 1;
  t.due_on = Date::parse(due);
  return t;
}

// "kind day" for each reminder from `from` on, `count` of them.
std::vector<std::string> series(const Task& t, const ReminderPolicy& p, Instant from, int count) {
  std::vector<std::string> out;
  Instant after = from;
  for (int i = 0; i < count; ++i) {
    auto r = next_reminder(t, p, kCalendar, kHanoi, after);
    if (!r) {
      break;
    }
    out.push_back(std::string(to_string(r->kind)) + " " + r->day.to_string());
    after = r->at;
  }
  return out;
}

}  // namespace

// Due Monday 5 May 2025, after the 30/4 and 1/5 holidays and a weekend.
TEST(ReminderPolicy, TheSeriesSkipsWeekendsAndHolidays) {
  const Task t = open_task("2025-05-05");
  EXPECT_EQ(
      series(t, ReminderPolicy{}, at("2025-04-01T00:00:00+07:00"), 8),
      (std::vector<std::string>{"due_soon 2025-04-22", "due_soon 2025-04-28", "due_soon 2025-05-02",
                                "due_today 2025-05-05", "overdue 2025-05-06", "overdue 2025-05-09",
                                "escalated 2025-05-12", "overdue 2025-05-14"}));
}

TEST(ReminderPolicy, RemindersGoOutWhenTheWindowOpensAndEachHasItsOwnInstant) {
  const Task t = open_task("2025-05-05");
  auto r = next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, at("2025-05-04T12:00:00+07:00"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ReminderKind::due_today);
  EXPECT_EQ(r->at, at("2025-05-05T07:30:01+07:00"));
  EXPECT_EQ(r->occurrence, "2025-05-05/0");
  auto o = next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, r->at);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->occurrence, "2025-05-05/o1");
  EXPECT_EQ(o->at, at("2025-05-06T07:30:00+07:00"));
}

// Due Tuesday 4 February 2025, right after Tết as the Labour Code computes it without a yearly
// decision: 28 January to 1 February, and Monday 3 February for the Saturday.
TEST(ReminderPolicy, TetIsNotAWorkingDay) {
  const Task t = open_task("2025-02-04");
  EXPECT_EQ(series(t, ReminderPolicy{}, at("2025-01-01T00:00:00+07:00"), 3),
            (std::vector<std::string>{"due_soon 2025-01-17", "due_soon 2025-01-23",
                                      "due_soon 2025-01-27"}));
}

TEST(ReminderPolicy, UrgentTasksDoNotWaitForTheWindow) {
  Task t = open_task("2025-05-05");
  t.priority = Priority::urgent;
  auto r = next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, at("2025-05-05T06:00:00+07:00"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ReminderKind::overdue);
  EXPECT_EQ(r->at, at("2025-05-06T00:00:00+07:00"));
  ReminderPolicy strict;
  strict.urgent_bypasses_hours = false;
  EXPECT_EQ(next_reminder(t, strict, kCalendar, kHanoi, at("2025-05-05T06:00:00+07:00"))->at,
            at("2025-05-05T07:30:01+07:00"));
}

TEST(ReminderPolicy, CompletionSuspensionAndNoDeadlineStopTheSeries) {
  Task t = open_task("2025-05-05");
  const Instant before = at("2025-04-01T00:00:00+07:00");
  ASSERT_TRUE(next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, before));
  t.state = LifecycleState::reported;
  t.completed_on = Date::parse("2025-04-10");
  EXPECT_FALSE(next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, before));
  t.state = LifecycleState::suspended;
  EXPECT_FALSE(next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, before));
  t = open_task("2025-05-05");
  t.due_on.reset();
  EXPECT_FALSE(next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, before));
}

TEST(ReminderPolicy, AnExtensionStartsANewSeriesForTheNewDeadline) {
  Task t = open_task("2025-05-05");
  const Instant now = at("2025-05-03T09:00:00+07:00");
  EXPECT_EQ(next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, now)->occurrence, "2025-05-05/0");
  t.original_due_on = t.due_on;
  t.due_on = Date::parse("2025-06-05");
  t.extension_count = 1;
  auto r = next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, now);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ReminderKind::due_soon);
  EXPECT_EQ(r->occurrence, "2025-06-05/7");
  EXPECT_EQ(r->day, *Date::parse("2025-05-27"));
}

TEST(ReminderPolicy, OverdueRemindersKeepComingLongAfterTheDeadline) {
  ReminderPolicy once;
  once.overdue_every_working_days = 0;
  once.escalate_after_working_days = 0;
  const Task t = open_task("2025-05-05");
  EXPECT_FALSE(next_reminder(t, once, kCalendar, kHanoi, at("2025-05-07T00:00:00+07:00")));
  // A year on, the next repetition is found without walking the whole series.
  auto r = next_reminder(t, ReminderPolicy{}, kCalendar, kHanoi, at("2026-05-05T12:00:00+07:00"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, ReminderKind::overdue);
  EXPECT_LT(r->day - *Date::parse("2026-05-05"), 8);
  EXPECT_GE(r->day, *Date::parse("2026-05-05"));
}

TEST(WorkingHoursWindow, HeldUntilTheNextWorkingMorning) {
  const WorkingHours h;
  auto open = [&](const char* t) { return next_window_opening(at(t), h, kCalendar, kHanoi); };
  EXPECT_EQ(open("2025-03-11T10:00:00+07:00"), at("2025-03-11T10:00:00+07:00"));
  EXPECT_EQ(open("2025-03-11T06:00:00+07:00"), at("2025-03-11T07:30:00+07:00"));
  EXPECT_EQ(open("2025-03-14T17:30:00+07:00"), at("2025-03-17T07:30:00+07:00"));  // Fri → Mon
  EXPECT_EQ(open("2025-03-15T10:00:00+07:00"), at("2025-03-17T07:30:00+07:00"));  // Sat
  EXPECT_EQ(open("2025-01-28T10:00:00+07:00"), at("2025-02-04T07:30:00+07:00"));  // Tết
}
