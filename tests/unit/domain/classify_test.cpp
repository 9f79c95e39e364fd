#include "dondoc/domain/classify.hpp"

#include <gtest/gtest.h>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/lifecycle.hpp"
#include "fake_clock.hpp"

using namespace dondoc::domain;
using namespace std::chrono_literals;

namespace {

Date d(const char* iso) {
  return *Date::parse(iso);
}

Task task_due(const char* due) {
  Task t;
  t.id = 1;
  t.title = "Báo cáo tiến độ giải ngân vốn đầu tư công";
  t.assigned_on = d("2025-02-20");
  t.lead_unit_id = 1;
  t.due_on = d(due);
  return t;
}

class ClassifyTest : public ::testing::Test {
 protected:
  WorkingCalendar calendar_;
  Classifier classifier_{calendar_, ClassifyPolicy{}};
};

}  // namespace

TEST_F(ClassifyTest, OnTimeThroughTheDeadlineDayOverdueFromTheNext) {
  Task t = task_due("2025-03-31");
  EXPECT_EQ(classifier_.classify(t, d("2025-03-31")), Timeliness::due_soon);
  EXPECT_EQ(classifier_.classify(t, d("2025-04-01")), Timeliness::overdue);
  EXPECT_EQ(classifier_.days_overdue(t, d("2025-04-01")), 1);
  EXPECT_EQ(classifier_.days_overdue(t, d("2025-03-31")), 0);
}

TEST_F(ClassifyTest, LocalMidnightDecidesNotUtcMidnight) {
  Task t = task_due("2025-03-31");
  dondoc::testing::FakeClock clock(dondoc::testing::at("2025-03-31T23:59:59+07:00"));
  FixedOffsetZone hanoi("Asia/Ho_Chi_Minh", 7h);
  EXPECT_EQ(classifier_.classify(t, hanoi.today(clock)), Timeliness::due_soon);
  clock.advance(1s);  // 00:00:00 on 1 April in Hanoi, still 31 March in UTC
  EXPECT_EQ(classifier_.classify(t, hanoi.today(clock)), Timeliness::overdue);
}

TEST_F(ClassifyTest, DueSoonCountsWorkingDays) {
  Task t = task_due("2025-05-02");  // Friday after the 30/4–1/5 holidays
  // From Monday 28 April: 29 (1), 2 May (2) → within 3 working days.
  EXPECT_EQ(classifier_.classify(t, d("2025-04-28")), Timeliness::due_soon);
  // From Wednesday 23 April: 24, 25, 28 → 2 May is beyond 3 working days.
  EXPECT_EQ(classifier_.classify(t, d("2025-04-23")), Timeliness::open_on_time);
}

TEST_F(ClassifyTest, NoDeadlineIsNeverOverdue) {
  Task t = task_due("2025-03-31");
  t.due_on.reset();
  EXPECT_EQ(classifier_.classify(t, d("2030-01-01")), Timeliness::no_deadline);
  EXPECT_EQ(classifier_.days_overdue(t, d("2030-01-01")), 0);
}

TEST_F(ClassifyTest, DoneOnTheDeadlineIsOnTimeAfterItIsLate) {
  Task t = task_due("2025-03-31");
  report_completion(t, d("2025-03-31"), "12/BC-SXD", d("2025-04-02"));
  confirm_completion(t, std::nullopt, std::nullopt, d("2025-04-03"));
  EXPECT_EQ(classifier_.classify(t, d("2025-06-01")), Timeliness::done_on_time);

  Task late = task_due("2025-03-31");
  report_completion(late, d("2025-04-04"), "", d("2025-04-04"));
  confirm_completion(late, std::nullopt, std::nullopt, d("2025-04-04"));
  EXPECT_EQ(classifier_.classify(late, d("2025-06-01")), Timeliness::done_late);
  EXPECT_EQ(classifier_.days_overdue(late, d("2025-06-01")), 4);
}

TEST_F(ClassifyTest, ReportedOnTimeStaysOnTimeWhileAwaitingConfirmation) {
  Task t = task_due("2025-03-31");
  report_completion(t, d("2025-03-28"), "", d("2025-03-28"));
  EXPECT_EQ(classifier_.classify(t, d("2025-04-15")), Timeliness::open_on_time);
  Task late = task_due("2025-03-31");
  report_completion(late, d("2025-04-03"), "", d("2025-04-03"));
  EXPECT_EQ(classifier_.classify(late, d("2025-04-15")), Timeliness::overdue);
  EXPECT_EQ(classifier_.days_overdue(late, d("2025-04-15")), 3);
}

TEST_F(ClassifyTest, SuspendedAndCancelledAreCountedApart) {
  Task t = task_due("2025-03-31");
  suspend(t);
  EXPECT_EQ(classifier_.classify(t, d("2025-05-01")), Timeliness::suspended);
  resume(t);
  EXPECT_EQ(classifier_.classify(t, d("2025-05-01")), Timeliness::overdue);
  cancel(t, "Nhiệm vụ không còn phù hợp");
  EXPECT_EQ(classifier_.classify(t, d("2025-05-01")), Timeliness::cancelled);
  EXPECT_EQ(classifier_.days_overdue(t, d("2025-05-01")), 0);
}

TEST_F(ClassifyTest, ExtensionPolicySwitchDecidesWhichDeadlineCounts) {
  Task t = task_due("2025-04-30");
  t.original_due_on = d("2025-03-31");
  t.extension_count = 1;
  report_completion(t, d("2025-04-15"), "", d("2025-04-15"));
  confirm_completion(t, std::nullopt, std::nullopt, d("2025-04-15"));
  EXPECT_EQ(classifier_.classify(t, d("2025-05-01")), Timeliness::done_on_time);
  Classifier strict(calendar_, ClassifyPolicy{3, false});
  EXPECT_EQ(strict.classify(t, d("2025-05-01")), Timeliness::done_late);
}

TEST(Lifecycle, ForbiddenTransitionsSayWhy) {
  Task t = task_due("2025-03-31");
  EXPECT_THROW(confirm_completion(t, std::nullopt, std::nullopt, d("2025-03-01")), ValidationError);
  EXPECT_THROW(reopen(t), Conflict);
  EXPECT_THROW(resume(t), Conflict);
  EXPECT_THROW(cancel(t, "  "), ValidationError);
  EXPECT_THROW(report_completion(t, d("2025-03-10"), "", d("2025-03-05")), ValidationError);
  EXPECT_THROW(report_completion(t, d("2025-02-01"), "", d("2025-03-05")), ValidationError);
  report_completion(t, d("2025-03-05"), "", d("2025-03-05"));
  try {
    report_completion(t, d("2025-03-05"), "", d("2025-03-05"));
    FAIL() << "reporting twice must be refused";
  } catch (const Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("it is reported"), std::string::npos) << e.what();
  }
  reopen(t);
  EXPECT_EQ(t.state, LifecycleState::open);
  EXPECT_FALSE(t.completed_on);
  cancel(t, "Thu hồi theo Văn bản 120/UBND-TH");
  EXPECT_THROW(cancel(t, "again"), Conflict);
  EXPECT_THROW(check_progress_note_allowed(t), Conflict);
}

TEST(TaskValidation, ReportsEveryProblemWithItsField) {
  Task t;
  t.assigned_on = d("2025-02-20");
  t.due_on = d("2025-02-01");
  t.lead_unit_id = 3;
  t.coordinating_unit_ids = {3, 4, 4};
  t.title = "Dòng một\nDòng hai";
  try {
    validate_task(t);
    FAIL();
  } catch (const ValidationError& e) {
    std::vector<std::string> fields;
    for (const auto& fe : e.errors()) {
      fields.push_back(fe.field);
    }
    EXPECT_EQ(fields, (std::vector<std::string>{"title", "due_on", "coordinating_unit_ids[0]",
                                                "coordinating_unit_ids[2]"}));
  }
}
