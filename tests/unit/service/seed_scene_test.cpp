// The scene of a real monthly meeting (seed 004): "134 tasks carried over from 2024, 113 done, 21
// in progress (5 overdue); 494 new tasks from 1 January to 15 February 2025, 356 done, 137 in
// progress (2 overdue)". The register is written here as a CSV with its history, imported five
// days after the meeting, and reported as of 15/02/2025 as things were; the register as it stood
// that day (before the import) had none of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "dondoc/service/reports.hpp"
#include "dondoc/service/task_import.hpp"
#include "dondoc/service/units.hpp"
#include "seed_scene.hpp"
#include "service_world.hpp"

using namespace dondoc;
using domain::Date;

TEST(SeedScene, TheMeetingOf15February2025FromARegisterImportedAfterIt) {
  dondoc::testing::ServiceWorld world("2025-02-20T09:00:00+07:00");
  service::ServiceContext& ctx = world.ctx;
  const auto system = service::Actor::system();
  service::UnitService units(ctx);
  for (const auto& [code, name] :
       {std::pair{"SXD", "Sở Xây dựng"}, std::pair{"SYT", "Sở Y tế"},
        std::pair{"STC", "Sở Tài chính"}, std::pair{"SNNMT", "Sở Nông nghiệp và Môi trường"}}) {
    units.create(system, {code, name, domain::UnitKind::department, {}});
  }
  service::TaskService tasks(ctx);
  service::TaskImporter importer(ctx, tasks);
  ASSERT_EQ(importer.import(system, dondoc::testing::seed_scene_csv()).rows.size(),
            60U + 134U + 494U);

  service::ReportService reports(ctx);
  service::SummaryRequest meeting{*Date::parse("2025-01-01"), *Date::parse("2025-02-15"),
                                  *Date::parse("2025-02-15")};
  const auto s = reports.summary(system, meeting).summary.all;
  EXPECT_EQ(s.carried_over.total, 134);
  EXPECT_EQ(s.carried_over.done_on_time + s.carried_over.done_late, 113);
  EXPECT_EQ(s.carried_over.open_on_time + s.carried_over.open_overdue, 21);
  EXPECT_EQ(s.carried_over.open_overdue, 5);
  EXPECT_EQ(s.fresh.total, 494);
  EXPECT_EQ(s.fresh.done_on_time + s.fresh.done_late, 356);
  EXPECT_EQ(s.fresh.open_on_time + s.fresh.open_overdue, 137);
  EXPECT_EQ(s.fresh.open_overdue, 2);
  EXPECT_EQ(reports.overdue(system, meeting.as_of, {}).lines.size(), 7U);

  meeting.basis = domain::AsOfBasis::recorded;
  EXPECT_EQ(reports.summary(system, meeting).summary.all.total().total, 0)
      << "the register of 15/02 did not have it yet";
}
