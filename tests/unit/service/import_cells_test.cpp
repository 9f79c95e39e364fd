// The cells of a task register, as office staff write them.
#include "import_cells.hpp"

#include <gtest/gtest.h>

using namespace dondoc;
using domain::Date;
using domain::DeadlineSpec;

namespace {

std::string date_problem(const std::string& text) {
  std::string problem;
  EXPECT_FALSE(service::parse_date_cell(text, problem).has_value()) << text;
  return problem;
}

std::optional<DeadlineSpec> deadline(const std::string& text, std::string* problem = nullptr) {
  std::string p;
  auto d = service::parse_deadline_cell(text, p);
  if (problem) {
    *problem = p;
  }
  return d;
}

domain::Unit unit(domain::UnitId id, const char* code, const char* name) {
  domain::Unit u;
  u.id = id;
  u.code = code;
  u.name = name;
  return u;
}

}  // namespace

TEST(ImportCells, DatesAsRegistersWriteThem) {
  std::string problem;
  for (const char* text : {"05/03/2025", "5/3/2025", "05.03.2025", "5-3-2025", "2025-03-05"}) {
    EXPECT_EQ(service::parse_date_cell(text, problem), Date::parse("2025-03-05")) << text;
  }
  EXPECT_EQ(date_problem("31/02/2025"), "is not a real date");
  EXPECT_NE(date_problem("5/3/25").find("dd/mm/yyyy"), std::string::npos) << "two-digit years";
  EXPECT_NE(date_problem("tháng 3").find("dd/mm/yyyy"), std::string::npos);
  EXPECT_NE(date_problem("05/03/2025 08:00").find("dd/mm/yyyy"), std::string::npos);
}

TEST(ImportCells, DeadlinesAsDatesOrPeriods) {
  EXPECT_EQ(deadline("")->kind, DeadlineSpec::Kind::none);
  EXPECT_EQ(deadline("30/06/2025")->date, Date::parse("2025-06-30"));
  const auto working = deadline("10 NGÀY LÀM VIỆC");
  ASSERT_TRUE(working);
  EXPECT_EQ(working->kind, DeadlineSpec::Kind::working_days);
  EXPECT_EQ(working->count, 10);
  EXPECT_EQ(deadline("15 ngay lam viec")->count, 15) << "without diacritics";
  EXPECT_EQ(deadline("30 ngày")->kind, DeadlineSpec::Kind::days);
  EXPECT_EQ(deadline("3 working days")->kind, DeadlineSpec::Kind::working_days);
  std::string problem;
  EXPECT_FALSE(deadline("0 ngày", &problem));
  EXPECT_NE(problem.find("between 1 and"), std::string::npos);
  EXPECT_FALSE(deadline("mười ngày", &problem));
  EXPECT_NE(problem.find("10 ngày làm việc"), std::string::npos);
  EXPECT_FALSE(deadline("10 tuần", &problem));
}

TEST(ImportCells, Priorities) {
  EXPECT_EQ(service::parse_priority_cell(""), domain::Priority::normal);
  EXPECT_EQ(service::parse_priority_cell("Thường"), domain::Priority::normal);
  EXPECT_EQ(service::parse_priority_cell("HỎA TỐC"), domain::Priority::urgent);
  EXPECT_EQ(service::parse_priority_cell("Thượng khẩn"), domain::Priority::urgent);
  EXPECT_EQ(service::parse_priority_cell("urgent"), domain::Priority::urgent);
  EXPECT_FALSE(service::parse_priority_cell("gấp lắm"));
}

TEST(ImportCells, UnitsByCodeOrNameAndWhyNot) {
  const domain::Unit sxd = unit(1, "SXD", "Sở Xây dựng");
  domain::Unit sgtvt = unit(2, "SGTVT", "Sở Giao thông vận tải");
  sgtvt.active = false;
  sgtvt.successor_id = 1;
  const domain::Unit twin_a = unit(3, "UBND-A", "UBND xã Hòa Bình");
  const domain::Unit twin_b = unit(4, "UBND-B", "UBND xã Hoà Bình");  // the mark placed the old way
  const service::UnitDirectory units({sxd, sgtvt, twin_a, twin_b});
  std::string problem;
  EXPECT_EQ(units.resolve("sxd", problem), 1);
  EXPECT_EQ(units.resolve("so xay  dung", problem), 1);
  EXPECT_FALSE(units.resolve("SGTVT", problem));
  EXPECT_EQ(
      problem,
      "\"Sở Giao thông vận tải\" is no longer active; its work went to \"Sở Xây dựng\" (SXD)");
  EXPECT_FALSE(units.resolve("UBND xã Hòa Bình", problem));
  EXPECT_NE(problem.find("codes UBND-A, UBND-B"), std::string::npos) << problem;
  EXPECT_FALSE(units.resolve("", problem));
  EXPECT_FALSE(units.resolve("Sở Du lịch", problem));
  EXPECT_NE(problem.find("not the code or name"), std::string::npos);
}
