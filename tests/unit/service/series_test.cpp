// Periodic series through the service on a real store and an injected clock: tasks made a
// horizon ahead and never twice, a count that finishes the series, a change from a task on
// (earlier tasks kept, planned ones moved freely, assigned ones only with the deciding
// document), a stop, and who may do what.
#include <gtest/gtest.h>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/series.hpp"
#include "dondoc/service/services.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using domain::Date;
using dondoc::testing::at;

namespace {

Date day(const char* text) {
  return *Date::parse(text);
}

class Series : public ::testing::Test {
 protected:
  Series() {
    store_ = dondoc::testing::open_test_store(dir_);
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    ctx_->series_horizon_days = 10;
    service::UnitService units(*ctx_);
    stc_ = units.create(system_, {"STC", "Sở Tài chính", domain::UnitKind::department, {}}).id;
    sxd_ = units.create(system_, {"SXD", "Sở Xây dựng", domain::UnitKind::department, {}}).id;
  }

  // "Trước ngày 20 hằng tháng", the working day before when the 20th is a day off.
  service::NewSeries monthly(std::optional<int> count = std::nullopt) {
    service::NewSeries n;
    n.pattern.title = "Báo cáo tình hình giải ngân vốn đầu tư công";
    n.pattern.source_ref = "12/CT-UBND";
    n.pattern.lead_unit_id = stc_;
    n.rule.frequency = domain::Frequency::monthly;
    n.rule.day = 20;
    n.rule.on_day_off = domain::DayOffRoll::previous;
    n.rule.count = count;
    return n;
  }
  service::SeriesService series() { return service::SeriesService(*ctx_); }
  // The series' tasks as "index assigned_on due_on state".
  std::vector<std::string> tasks_of(domain::SeriesId id) {
    std::vector<std::string> out;
    for (const auto& v : series().get(system_, id).tasks) {
      const auto& t = v.task;
      out.push_back(std::to_string(t.series_index) + " " + t.assigned_on.to_string() + " " +
                    (t.due_on ? t.due_on->to_string() : "-") + " " +
                    std::string(domain::to_string(t.state)));
    }
    return out;
  }
  void set_today(const char* text) { clock_.set(zone_.start_of(day(text)) + 9h); }
  service::Actor unit_actor(domain::UnitId unit) {
    service::Actor a;
    a.user_id = 99;
    a.name = "vanthu";
    a.role = domain::Role::unit;
    a.unit_id = unit;
    return a;
  }

  service::Actor system_ = service::Actor::system();
  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{at("2025-01-02T09:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::ServiceContext> ctx_;
  domain::UnitId stc_ = 0, sxd_ = 0;
};

}  // namespace

TEST_F(Series, TasksAreMadeAHorizonAheadOfTheirPeriodAndNeverTwice) {
  const auto s = series().create(system_, monthly());
  EXPECT_EQ(tasks_of(s.series.id), std::vector<std::string>{"1 2025-01-02 2025-01-20 open"});
  EXPECT_EQ(s.series.next_generate_on, day("2025-01-22")) << "February's, 10 days before 1/2";

  set_today("2025-01-21");
  auto pass = series().make_due_tasks();
  EXPECT_EQ(pass.tasks, 0);
  EXPECT_EQ(pass.next_day, day("2025-01-22"));

  set_today("2025-01-22");
  pass = series().make_due_tasks();
  EXPECT_EQ(pass.tasks, 1);
  EXPECT_EQ(series().make_due_tasks().tasks, 0) << "the same day again makes nothing";
  EXPECT_EQ(tasks_of(s.series.id), (std::vector<std::string>{"1 2025-01-02 2025-01-20 open",
                                                             "2 2025-02-01 2025-02-20 open"}));

  // Down for three months: the pass catches up, each month once, in order.
  set_today("2025-05-05");
  EXPECT_EQ(series().make_due_tasks().tasks, 3);
  const auto made = tasks_of(s.series.id);
  ASSERT_EQ(made.size(), 5u);
  EXPECT_EQ(made[3], "4 2025-04-01 2025-04-18 open") << "20/4/2025 is a Sunday";
  EXPECT_EQ(made[4], "5 2025-05-01 2025-05-20 open");
  EXPECT_EQ(series().get(system_, s.series.id).series.next_generate_on, day("2025-05-22"));
}

TEST_F(Series, ACountFinishesTheSeries) {
  const auto s = series().create(system_, monthly(2));
  set_today("2025-03-30");
  series().make_due_tasks();
  const auto v = series().get(system_, s.series.id);
  EXPECT_EQ(v.tasks.size(), 2u);
  EXPECT_EQ(v.series.state, domain::SeriesState::finished);
  EXPECT_FALSE(v.series.next_generate_on);
  EXPECT_TRUE(v.upcoming.empty());
  EXPECT_FALSE(series().make_due_tasks().next_day) << "no series waits";
}

TEST_F(Series, AChangeReachesFromItsTaskOnMovingPlannedDeadlinesFreelyAndAssignedOnesByDecision) {
  ctx_->series_horizon_days = 40;  // February's task is made in January, still a plan
  const auto s = series().create(system_, monthly());
  const auto made = series().get(system_, s.series.id).tasks;
  ASSERT_EQ(made.size(), 2u);
  const auto first = made[0].task.id, second = made[1].task.id;

  // From the second task: the 25th instead of the 20th; the first keeps its deadline.
  service::SeriesChange c;
  c.from_task_id = second;
  c.rule = s.series.rule;
  c.rule->day = 25;
  c.note = "Theo Công văn 88/UBND-KT";
  const auto v = series().change(system_, s.series.id, c, s.series.version);
  EXPECT_EQ(tasks_of(s.series.id), (std::vector<std::string>{"1 2025-01-02 2025-01-20 open",
                                                             "2 2025-02-01 2025-02-25 open"}));
  EXPECT_EQ(service::TaskService(*ctx_).get(system_, second).task.extension_count, 0)
      << "a plan moved is no extension";
  EXPECT_EQ(v.upcoming.at(0).due_on, day("2025-03-25"));

  // From the first, already assigned: the deadline moves only with the deciding document.
  c.from_task_id = first;
  c.rule->day = 24;
  EXPECT_THROW(series().change(system_, s.series.id, c, std::nullopt), domain::ValidationError);
  EXPECT_EQ(tasks_of(s.series.id)[0], "1 2025-01-02 2025-01-20 open") << "nothing half-done";
  c.decision_ref = "15/TB-UBND";
  series().change(system_, s.series.id, c, std::nullopt);
  const auto moved = service::TaskService(*ctx_).get(system_, first).task;
  EXPECT_EQ(moved.due_on, day("2025-01-24"));
  EXPECT_EQ(moved.original_due_on, day("2025-01-20"));

  // A stale version is refused; a done task cannot be changed from.
  EXPECT_THROW(series().change(system_, s.series.id, c, s.series.version), domain::VersionMismatch);
  service::ActionInput done;
  done.completed_on = day("2025-01-02");
  service::TaskService(*ctx_).act(system_, first, service::TaskAction::confirm, done, std::nullopt);
  EXPECT_THROW(series().change(system_, s.series.id, c, std::nullopt), domain::Conflict);
}

TEST_F(Series, AStopCancelsOnlyWhatIsNotYetAssignedAndMakesNothingMore) {
  ctx_->series_horizon_days = 40;
  const auto s = series().create(system_, monthly());
  series().stop(system_, s.series.id, "Đã thay bằng báo cáo quý", std::nullopt);
  EXPECT_EQ(tasks_of(s.series.id), (std::vector<std::string>{"1 2025-01-02 2025-01-20 open",
                                                             "2 2025-02-01 2025-02-20 cancelled"}));
  set_today("2025-06-01");
  EXPECT_EQ(series().make_due_tasks().tasks, 0);
  EXPECT_THROW(series().stop(system_, s.series.id, "lần nữa", std::nullopt), domain::Conflict);
  service::SeriesChange c;
  c.from_task_id = series().get(system_, s.series.id).tasks[0].task.id;
  c.note = "đổi tên";
  c.pattern.title = "Tên mới";
  EXPECT_THROW(series().change(system_, s.series.id, c, std::nullopt), domain::Conflict);
}

TEST_F(Series, OnlyTheOfficeStartsOneAndAUnitSeesOnlyItsOwn) {
  const auto s = series().create(system_, monthly());
  EXPECT_THROW(series().create(unit_actor(stc_), monthly()), domain::Forbidden);
  EXPECT_EQ(series().get(unit_actor(stc_), s.series.id).tasks.size(), 1u);
  EXPECT_THROW(series().get(unit_actor(sxd_), s.series.id), domain::NotFound);
  EXPECT_EQ(series().list(unit_actor(sxd_), {}).total, 0);
  EXPECT_EQ(series().list(unit_actor(stc_), {}).total, 1);
}

TEST_F(Series, BadInputIsRefusedWithItsField) {
  auto bad = monthly();
  bad.rule.day = 32;
  try {
    series().create(system_, bad);
    FAIL() << "a 32nd day was taken";
  } catch (const domain::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("rule.day"), std::string::npos) << e.what();
  }
  auto ended = monthly();
  ended.starts_on = day("2025-03-01");
  ended.rule.ends_on = day("2025-03-10");
  EXPECT_THROW(series().create(system_, ended), domain::ValidationError) << "no deadline at all";
  auto merged = monthly();
  merged.pattern.lead_unit_id = 999;
  EXPECT_THROW(series().create(system_, merged), domain::ValidationError);
  EXPECT_EQ(series().list(system_, {}).total, 0) << "nothing half-done";
}

TEST_F(Series, AMergerHandsTheSeriesToTheSuccessor) {
  auto n = monthly();
  n.pattern.coordinating_unit_ids = {sxd_};
  const auto s = series().create(system_, n);
  service::UnitService(*ctx_).merge(system_,
                                    {{stc_}, sxd_, std::nullopt, day("2025-01-02"), "Sáp nhập"});
  const auto v = series().get(system_, s.series.id);
  EXPECT_EQ(v.series.pattern.lead_unit_id, sxd_);
  EXPECT_TRUE(v.series.pattern.coordinating_unit_ids.empty()) << "the lead is not its own helper";
  set_today("2025-01-22");
  EXPECT_EQ(series().make_due_tasks().failed, 0);
  EXPECT_EQ(series().get(system_, s.series.id).tasks.back().task.lead_unit_id, sxd_);
}
