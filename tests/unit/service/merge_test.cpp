// Unit reorganisations: the Department of Transport merged into Construction, as in the seeds.
// Its unfinished tasks move, each move in history; finished ones stay; reports group by the
// historic unit or today's, and name the old one "(nay là ...)".
#include <gtest/gtest.h>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/reports.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using domain::Date;
using dondoc::testing::at;

namespace {

class MergeTest : public ::testing::Test {
 protected:
  MergeTest() {
    store_ = dondoc::testing::open_test_store(dir_);
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    service::UnitService units(*ctx_);
    sgtvt_ =
        units.create(system_, {"SGTVT", "Sở Giao thông vận tải", domain::UnitKind::department, {}})
            .id;
    sxd_ = units.create(system_, {"SXD", "Sở Xây dựng", domain::UnitKind::department, {}}).id;
    syt_ = units.create(system_, {"SYT", "Sở Y tế", domain::UnitKind::department, {}}).id;
  }

  domain::TaskId task(domain::UnitId lead, std::vector<domain::UnitId> coordinating,
                      const char* due) {
    service::NewTask t;
    t.title = "Nhiệm vụ " + std::to_string(++count_);
    t.assigner = "Chủ tịch UBND tỉnh";
    t.assigned_on = Date::parse("2025-06-02");
    t.lead_unit_id = lead;
    t.coordinating_unit_ids = std::move(coordinating);
    t.deadline = domain::DeadlineSpec::on(*Date::parse(due));
    return service::TaskService(*ctx_).create(system_, t).task.id;
  }

  domain::Task get(domain::TaskId id) { return service::TaskService(*ctx_).get(system_, id).task; }

  service::Actor system_ = service::Actor::system();
  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{at("2025-06-02T09:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::ServiceContext> ctx_;
  domain::UnitId sgtvt_ = 0;
  domain::UnitId sxd_ = 0;
  domain::UnitId syt_ = 0;
  int count_ = 0;
};

}  // namespace

TEST(TransferUnits, MovesLeadAndCoordinatorsWithoutDuplicates) {
  domain::Task t;
  t.lead_unit_id = 1;
  t.coordinating_unit_ids = {2, 3, 4};
  EXPECT_TRUE(domain::transfer_units(t, {1, 3}, 2));
  EXPECT_EQ(t.lead_unit_id, 2);
  EXPECT_EQ(t.coordinating_unit_ids, (std::vector<domain::UnitId>{4}))
      << "the successor leads, so it is not also a coordinator";
  domain::Task u;
  u.lead_unit_id = 5;
  u.coordinating_unit_ids = {1, 6};
  EXPECT_TRUE(domain::transfer_units(u, {1}, 7));
  EXPECT_EQ(u.coordinating_unit_ids, (std::vector<domain::UnitId>{7, 6}));
  EXPECT_FALSE(domain::transfer_units(u, {9}, 7));
}

TEST_F(MergeTest, OpenTasksMoveFinishedOnesStayAndReportsShowBothViews) {
  const auto open = task(sgtvt_, {syt_}, "2025-06-20");
  const auto coordinated = task(syt_, {sgtvt_, sxd_}, "2025-06-25");
  const auto done = task(sgtvt_, {}, "2025-06-10");
  service::TaskService tasks(*ctx_);
  service::ActionInput report;
  report.completion_ref = "15/BC-SGTVT";
  tasks.act(system_, done, service::TaskAction::report_completion, report, std::nullopt);
  tasks.act(system_, done, service::TaskAction::confirm, {}, std::nullopt);

  clock_.set(at("2025-07-01T08:00:00+07:00"));
  const auto r = service::UnitService(*ctx_).merge(
      system_, {{sgtvt_}, sxd_, std::nullopt, std::nullopt, "Quyết định 1234/QĐ-UBND"});
  EXPECT_EQ(r.tasks_moved, 2);
  EXPECT_EQ(r.successor.id, sxd_);
  EXPECT_EQ(get(open).lead_unit_id, sxd_);
  EXPECT_EQ(get(open).coordinating_unit_ids, (std::vector<domain::UnitId>{syt_}));
  EXPECT_EQ(get(coordinated).coordinating_unit_ids, (std::vector<domain::UnitId>{sxd_}));
  EXPECT_EQ(get(done).lead_unit_id, sgtvt_) << "a finished task keeps the unit that did it";
  const auto old = service::UnitService(*ctx_).get(system_, sgtvt_);
  EXPECT_FALSE(old.active);
  EXPECT_EQ(old.successor_id, sxd_);
  const auto history = tasks.history(system_, open);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().kind, domain::EventKind::units_merged);
  EXPECT_EQ(history.back().note,
            "Hợp nhất vào Sở Xây dựng từ ngày 2025-07-01 (Quyết định 1234/QĐ-UBND)");

  service::ReportService reports(*ctx_);
  const Date june1 = *Date::parse("2025-06-01");
  const Date june30 = *Date::parse("2025-06-30");
  // As of the end of June, before the merge: the tasks were the Department of Transport's.
  const auto june = reports.summary(system_, {june1, june30, june30});
  EXPECT_EQ(june.summary.by_lead_unit.at(sgtvt_).fresh.total, 2);
  EXPECT_EQ(june.unit_names.at(sgtvt_), "Sở Giao thông vận tải (nay là Sở Xây dựng)");
  // Today, by historic unit: the finished task stays with Transport, the open one is
  // Construction's now; by current unit: all of Transport's work is Construction's.
  const auto historic = reports.summary(system_, {june1, june30, std::nullopt});
  EXPECT_EQ(historic.summary.by_lead_unit.at(sgtvt_).fresh.total, 1);
  EXPECT_EQ(historic.summary.by_lead_unit.at(sxd_).fresh.total, 1);
  const auto current =
      reports.summary(system_, {june1, june30, std::nullopt, service::GroupBy::current});
  EXPECT_EQ(current.summary.by_lead_unit.count(sgtvt_), 0u);
  EXPECT_EQ(current.summary.by_lead_unit.at(sxd_).fresh.total, 2);
  EXPECT_EQ(current.unit_names.at(sxd_), "Sở Xây dựng");
}

TEST_F(MergeTest, RefusesWhatCannotBeMerged) {
  service::UnitService units(*ctx_);
  auto refusal = [&](service::MergeUnits m) -> std::string {
    try {
      units.merge(system_, std::move(m));
    } catch (const domain::ValidationError& e) {
      return e.errors().front().field + ": " + e.errors().front().message;
    } catch (const domain::Conflict& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(refusal({{}, sxd_, std::nullopt, std::nullopt, ""}),
            "unit_ids: is required: the units merged away");
  EXPECT_EQ(refusal({{sgtvt_}, std::nullopt, std::nullopt, std::nullopt, ""}),
            "into: give either into (an existing unit) or new_unit (one to create)");
  EXPECT_EQ(refusal({{sxd_}, sxd_, std::nullopt, std::nullopt, ""}),
            "into: unit 2 cannot be merged into itself");
  EXPECT_EQ(refusal({{sgtvt_}, sxd_, std::nullopt, Date::parse("2025-06-03"), ""}),
            "effective_on: is after today (2025-06-02); record a merge on the day it takes effect "
            "or later");
  EXPECT_EQ(refusal({{99}, sxd_, std::nullopt, std::nullopt, ""}),
            "unit_ids: unit 99 does not exist");
  EXPECT_EQ(refusal({{sgtvt_}, sxd_, std::nullopt, std::nullopt, ""}), "");
  EXPECT_EQ(refusal({{syt_}, sgtvt_, std::nullopt, std::nullopt, ""}),
            "into: unit 1 (Sở Giao thông vận tải) is inactive");
  EXPECT_EQ(refusal({{sgtvt_}, syt_, std::nullopt, std::nullopt, ""}),
            "unit 1 (Sở Giao thông vận tải) is inactive already");
  // Into a new unit.
  const auto r = units.merge(
      system_, {{syt_},
                std::nullopt,
                service::NewUnit{"SYTDS", "Sở Y tế và Dân số", domain::UnitKind::department, {}},
                std::nullopt,
                ""});
  EXPECT_EQ(r.successor.name, "Sở Y tế và Dân số");
  EXPECT_EQ(units.get(system_, syt_).successor_id, r.successor.id);
}

// A rename is kept in the unit's history, and a report as of a date before it names the unit as
// it was then, with today's name beside it.
TEST_F(MergeTest, ARenameKeepsTheOldNameInHistoryAndInReportsAsOfBefore) {
  const auto overdue = task(syt_, {}, "2025-06-20");
  service::UnitService units(*ctx_);
  clock_.set(at("2025-07-01T08:00:00+07:00"));
  service::UnitPatch rename;
  rename.name = "Sở Y tế và Dân số";
  rename.note = "Quyết định 77/QĐ-UBND";
  units.update(system_, syt_, rename);
  clock_.set(at("2025-07-02T08:00:00+07:00"));
  rename.name = "Sở Y tế và Dân số tỉnh";
  rename.note = "";
  units.update(system_, syt_, rename);
  service::UnitPatch nothing;
  nothing.name = "Sở Y tế và Dân số tỉnh";
  units.update(system_, syt_, nothing);

  const auto history = units.history(system_, syt_);
  ASSERT_EQ(history.size(), 3U) << "an update that changes nothing is not history";
  EXPECT_EQ(history[0].kind, domain::UnitEventKind::created);
  EXPECT_EQ(history[1].kind, domain::UnitEventKind::updated);
  EXPECT_EQ(history[1].note, "Quyết định 77/QĐ-UBND");
  EXPECT_EQ(history[1].changes,
            (std::vector<domain::FieldChange>{{"name", "Sở Y tế", "Sở Y tế và Dân số"}}));
  EXPECT_EQ(history[1].at, at("2025-07-01T08:00:00+07:00"));

  service::ReportService reports(*ctx_);
  const Date june1 = *Date::parse("2025-06-01");
  const Date june30 = *Date::parse("2025-06-30");
  EXPECT_EQ(reports.summary(system_, {june1, june30, june30}).unit_names.at(syt_),
            "Sở Y tế (nay là Sở Y tế và Dân số tỉnh)");
  EXPECT_EQ(
      reports.summary(system_, {june1, june30, Date::parse("2025-07-01")}).unit_names.at(syt_),
      "Sở Y tế và Dân số (nay là Sở Y tế và Dân số tỉnh)");
  EXPECT_EQ(reports.summary(system_, {june1, june30, std::nullopt}).unit_names.at(syt_),
            "Sở Y tế và Dân số tỉnh");
  EXPECT_EQ(reports.summary(system_, {june1, june30, june30, service::GroupBy::current})
                .unit_names.at(syt_),
            "Sở Y tế và Dân số tỉnh");
  const auto appendix = reports.overdue(system_, june30, service::GroupBy::historic);
  ASSERT_EQ(appendix.lines.size(), 1U);
  EXPECT_EQ(appendix.lines[0].task_id, overdue);
  EXPECT_EQ(appendix.lines[0].lead_unit, "Sở Y tế (nay là Sở Y tế và Dân số tỉnh)");
}

TEST_F(MergeTest, AMergerIsInTheHistoryOfEveryUnitItTouches) {
  clock_.set(at("2025-07-01T08:00:00+07:00"));
  service::UnitService units(*ctx_);
  units.merge(system_, {{sgtvt_}, sxd_, std::nullopt, std::nullopt, "Quyết định 1234/QĐ-UBND"});
  const auto merged = units.history(system_, sgtvt_);
  ASSERT_EQ(merged.size(), 2U);
  EXPECT_EQ(merged[1].kind, domain::UnitEventKind::merged);
  EXPECT_EQ(merged[1].changes, (std::vector<domain::FieldChange>{
                                   {"active", "true", "false"},
                                   {"successor_id", std::nullopt, std::to_string(sxd_)}}));
  const auto successor = units.history(system_, sxd_);
  ASSERT_EQ(successor.size(), 2U);
  EXPECT_EQ(successor[1].kind, domain::UnitEventKind::absorbed);
  EXPECT_EQ(successor[1].note,
            "Tiếp nhận Sở Giao thông vận tải từ ngày 2025-07-01 (Quyết định 1234/QĐ-UBND)");
  EXPECT_THROW(units.history(system_, 99), domain::NotFound);
}
