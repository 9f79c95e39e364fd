// The leader in charge of a task (lãnh đạo phụ trách) and the key tasks (nhiệm vụ trọng tâm):
// who may set them, what a leader in charge must be, and how the summary counts them as of a
// past date (rebuilt from history like every other field).
#include <gtest/gtest.h>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/reports.hpp"
#include "dondoc/service/services.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using domain::Date;
using dondoc::testing::at;

namespace {

class LeaderInCharge : public ::testing::Test {
 protected:
  LeaderInCharge() {
    store_ = dondoc::testing::open_test_store(dir_);
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    store_->write([&](storage::WriteTx& tx) {
      auto user = [&](const char* login, domain::Role role, std::optional<domain::UnitId> unit,
                      bool active) {
        domain::User u;
        u.login = login;
        u.display_name = login;
        u.role = role;
        u.unit_id = unit;
        u.active = active;
        return tx.insert_user(u);
      };
      pho1_ = user("phochutich1", domain::Role::leader, std::nullopt, true);
      pho2_ = user("phochutich2", domain::Role::leader, std::nullopt, true);
      retired_ = user("phochutich.cu", domain::Role::leader, std::nullopt, false);
      office_user_ = user("vanphong", domain::Role::office, std::nullopt, true);
    });
    service::UnitService units(*ctx_);
    sxd_ =
        units.create(system_, {"SXD", "Sở Xây dựng", domain::UnitKind::department, {}, pho1_}).id;
    stc_ = units.create(system_, {"STC", "Sở Tài chính", domain::UnitKind::department, {}}).id;
  }

  domain::TaskId task(domain::UnitId lead) {
    service::NewTask t;
    t.title = "Nhiệm vụ " + std::to_string(++count_);
    t.assigned_on = Date::parse("2025-06-02");
    t.lead_unit_id = lead;
    t.deadline = domain::DeadlineSpec::on(*Date::parse("2025-07-31"));
    return tasks().create(system_, t).task.id;
  }
  domain::Task get(domain::TaskId id) { return tasks().get(system_, id).task; }
  service::Actor actor(domain::UserId id, domain::Role role, const char* name) {
    service::Actor a;
    a.user_id = id;
    a.name = name;
    a.role = role;
    return a;
  }
  domain::Summary summary_as_of(const char* day, std::optional<std::int64_t> leader = {}) {
    return service::ReportService(*ctx_)
        .summary(system_, {*Date::parse("2025-06-01"), *Date::parse("2025-06-30"), Date::parse(day),
                           service::GroupBy::historic, leader})
        .summary;
  }

  service::Actor system_ = service::Actor::system();
  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{at("2025-06-02T09:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::ServiceContext> ctx_;
  service::TaskService tasks() const { return service::TaskService(*ctx_); }
  domain::UserId pho1_ = 0, pho2_ = 0, retired_ = 0, office_user_ = 0;
  domain::UnitId sxd_ = 0, stc_ = 0;
  int count_ = 0;
};

}  // namespace

TEST_F(LeaderInCharge, ANewTaskFollowsItsUnitsLeaderUnlessItNamesAnother) {
  EXPECT_EQ(get(task(sxd_)).leader_id, pho1_);
  EXPECT_FALSE(get(task(stc_)).leader_id) << "nobody is in charge of STC";
  service::NewTask named;
  named.title = "Báo cáo chuyên đề";
  named.lead_unit_id = sxd_;
  named.leader_id = pho2_;
  EXPECT_EQ(tasks().create(system_, named).task.leader_id, pho2_);
  // The history says who was in charge from the start.
  const auto history = tasks().history(system_, task(sxd_));
  bool recorded = false;
  for (const auto& c : history.at(0).changes) {
    recorded = recorded || (c.field == "leader_id" && c.to == std::to_string(pho1_));
  }
  EXPECT_TRUE(recorded);
}

TEST_F(LeaderInCharge, OnlyAnActiveLeaderCanBeInCharge) {
  for (auto who : {office_user_, retired_, domain::UserId{999}}) {
    service::NewTask t;
    t.title = "Nhiệm vụ thử";
    t.lead_unit_id = stc_;
    t.leader_id = who;
    EXPECT_THROW(tasks().create(system_, t), domain::ValidationError) << who;
    service::UnitPatch p;
    p.leader_id = who;
    EXPECT_THROW(service::UnitService(*ctx_).update(system_, stc_, p), domain::ValidationError);
  }
  const auto id = task(sxd_);
  service::TaskPatch clear;
  clear.leader_id = std::optional<std::int64_t>{};
  EXPECT_FALSE(tasks().update(system_, id, clear, std::nullopt).task.leader_id);
  service::TaskPatch again;
  again.leader_id = pho2_;
  EXPECT_EQ(tasks().update(system_, id, again, std::nullopt).task.leader_id, pho2_);
  // Locking a leader later leaves their tasks as they are (nothing is lost): an edit of
  // something else still goes through; only a new choice of leader is checked.
  store_->write([&](storage::WriteTx& tx) {
    auto u = *tx.find_user(pho2_);
    u.active = false;
    tx.update_user(u);
  });
  service::TaskPatch retitle;
  retitle.title = "Nhiệm vụ đã đổi tên";
  EXPECT_EQ(tasks().update(system_, id, retitle, std::nullopt).task.leader_id, pho2_);
}

TEST_F(LeaderInCharge, TheOfficeOrALeaderMarksKeyTasksAUnitCannot) {
  const auto id = task(sxd_);
  const auto leader = actor(pho1_, domain::Role::leader, "phochutich1");
  const auto office = actor(office_user_, domain::Role::office, "vanphong");
  service::Actor unit;
  unit.user_id = 77;
  unit.name = "chuyenvien.sxd";
  unit.role = domain::Role::unit;
  unit.unit_id = sxd_;
  EXPECT_THROW(tasks().act(unit, id, service::TaskAction::mark_key, {}, std::nullopt),
               domain::Forbidden);
  EXPECT_TRUE(
      tasks().act(leader, id, service::TaskAction::mark_key, {}, std::nullopt).task.key_task);
  EXPECT_THROW(tasks().act(office, id, service::TaskAction::mark_key, {}, std::nullopt),
               domain::Conflict)
      << "already a key task";
  EXPECT_FALSE(
      tasks().act(office, id, service::TaskAction::unmark_key, {}, std::nullopt).task.key_task);
  storage::TaskQuery q;
  q.key_task = true;
  q.limit = 10;
  std::int64_t key_tasks = -1;
  store_->read([&](storage::ReadTx& tx) { key_tasks = tx.list_tasks(q).total; });
  EXPECT_EQ(key_tasks, 0);
}

// A task marked key on 10 June counts among the key tasks of a report as of 10 June, not of one
// as of 9 June; a task moved from one leader to another on 10 June counts as the first one's
// before that day and the second one's after.
TEST_F(LeaderInCharge, ReportsAsOfAPastDateCountKeyTasksAndLeadersAsTheyWere) {
  const auto marked = task(stc_);
  const auto moved = task(sxd_);
  task(sxd_);
  clock_.set(at("2025-06-10T10:00:00+07:00"));
  tasks().act(system_, marked, service::TaskAction::mark_key, {}, std::nullopt);
  service::TaskPatch p;
  p.leader_id = pho2_;
  tasks().update(system_, moved, p, std::nullopt);

  EXPECT_EQ(summary_as_of("2025-06-09").key_tasks.total().total, 0);
  EXPECT_EQ(summary_as_of("2025-06-10").key_tasks.total().total, 1);
  EXPECT_EQ(summary_as_of("2025-06-10").all.total().total, 3);
  EXPECT_EQ(summary_as_of("2025-06-09", pho1_).all.total().total, 2);
  EXPECT_EQ(summary_as_of("2025-06-09", pho2_).all.total().total, 0);
  EXPECT_EQ(summary_as_of("2025-06-10", pho1_).all.total().total, 1);
  EXPECT_EQ(summary_as_of("2025-06-10", pho2_).all.total().total, 1);
}
