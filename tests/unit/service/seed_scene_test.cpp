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
#include "service_world.hpp"

using namespace dondoc;
using domain::Date;

namespace {

struct Kind {
  int count;
  const char* assigned_from;  // spread over 40 days from here
  const char* due;            // "" : 60 days after assignment
  const char* state;
  const char* settled;  // completion or cancellation date, spread over 30 days from here
};

std::string scene_csv() {
  const std::vector<Kind> kinds = {
      // 2024: finished before the period (not carried over), and the 134 carried over.
      {60, "2024-09-01", "", "Đã hoàn thành", "2024-11-15"},
      {113, "2024-10-01", "2025-03-31", "Đã hoàn thành", "2025-01-03"},
      {16, "2024-11-01", "2025-03-31", "Đang thực hiện", ""},
      {5, "2024-11-01", "2025-01-31", "Đang thực hiện", ""},
      // 2025: the 494 new ones.
      {356, "2025-01-02", "2025-03-31", "Đã hoàn thành", "2025-01-15"},
      {135, "2025-01-02", "2025-03-31", "Đang thực hiện", ""},
      {2, "2025-01-02", "2025-02-10", "Đang thực hiện", ""},
      {1, "2025-01-02", "2025-03-31", "Đã hủy", "2025-02-03"},
  };
  std::ostringstream csv;
  csv << "Số ký hiệu,Nội dung nhiệm vụ,Đơn vị chủ trì,Ngày giao,Thời hạn,Trạng thái,"
         "Ngày hoàn thành,Văn bản báo cáo hoàn thành,Ngày hủy,Lý do hủy\n";
  int n = 0;
  const char* const units[] = {"SXD", "SYT", "STC", "SNNMT"};
  for (const auto& k : kinds) {
    for (int i = 0; i < k.count; ++i, ++n) {
      const Date assigned = *Date::parse(k.assigned_from) + i % 40;
      const Date due = *k.due ? *Date::parse(k.due) : assigned + 60;
      csv << n % 50 + 1 << "/TB-UBND,Nhiệm vụ số " << n + 1 << ',' << units[n % 4] << ','
          << domain::vn_date(assigned) << ',' << domain::vn_date(due) << ',' << k.state << ',';
      // Never before its own assignment.
      const std::string settled =
          *k.settled ? domain::vn_date(std::max(*Date::parse(k.settled) + i % 30, assigned)) : "";
      if (std::string(k.state) == "Đã hoàn thành") {
        csv << settled << ',' << n + 1 << "/BC,,\n";
      } else if (std::string(k.state) == "Đã hủy") {
        csv << ",," << settled << ",Đã lồng ghép vào nhiệm vụ khác\n";
      } else {
        csv << ",,,\n";
      }
    }
  }
  return csv.str();
}

}  // namespace

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
  ASSERT_EQ(importer.import(system, scene_csv()).rows.size(), 60U + 134U + 494U);

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
