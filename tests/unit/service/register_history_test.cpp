// A register of 5,000 tasks over three years, brought in with its history in one file, then
// reported on for each of its 36 months, as things were at the end of each month. The figures
// the report must give are computed here from the rows alone, without the services.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "dondoc/service/reports.hpp"
#include "dondoc/service/task_import.hpp"
#include "dondoc/service/units.hpp"
#include "service_world.hpp"

using namespace dondoc;
using domain::BucketCounts;
using domain::Date;

namespace {

const char* const kUnits[] = {"SXD", "SYT", "STC", "SGDDT", "UBND-TP"};

// One row of the register, as the test wrote it.
struct Row {
  Date assigned;
  Date due;
  std::vector<std::pair<Date, Date>> extensions;  // decided on, new deadline
  std::optional<Date> completed;
  std::optional<Date> cancelled;
  std::optional<Date> suspended;
};

std::string dmy(Date d) {
  return domain::vn_date(d);
}

std::vector<Row> make_register(unsigned seed, Date first, Date today, int count) {
  std::mt19937 rng(seed);
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  std::vector<Row> rows;
  const int span = today - first - 20;
  for (int i = 0; i < count; ++i) {
    Row r;
    r.assigned = first + pick(span);
    r.due = r.assigned + 10 + pick(80);
    Date due = r.due;
    Date last_decided = r.assigned;
    // Up to two extensions, each decided after the last and before today.
    for (int e = pick(5) == 0 ? 1 + pick(2) : 0; e > 0; --e) {
      const Date decided = last_decided + 1 + pick(20);
      if (today < decided) {
        break;
      }
      due = due + 5 + pick(40);
      r.extensions.emplace_back(decided, due);
      last_decided = decided;
    }
    const int outcome = pick(20);
    const Date earliest = last_decided;  // nothing settles before the last extension
    const Date settled = earliest + pick(std::max(1, due - earliest + 40));
    if (!(today < settled)) {
      if (outcome < 14) {
        r.completed = settled;
      } else if (outcome < 16) {
        r.cancelled = settled;
      } else if (outcome < 17) {
        r.suspended = settled;
      }
    }
    rows.push_back(r);
  }
  return rows;
}

std::string register_csv(const std::vector<Row>& rows) {
  std::ostringstream csv;
  csv << "Số ký hiệu,Nội dung nhiệm vụ,Đơn vị chủ trì,Ngày giao,Thời hạn,Trạng thái,"
         "Ngày hoàn thành,Văn bản báo cáo hoàn thành,Ngày tạm dừng,Ngày hủy,Lý do hủy,Gia hạn\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    csv << (i % 97 + 1) << "/TB-UBND,Nhiệm vụ số " << i + 1 << ',' << kUnits[i % 5] << ','
        << dmy(r.assigned) << ',' << dmy(r.due) << ',';
    if (r.completed) {
      csv << "Đã hoàn thành," << dmy(*r.completed) << ',' << i + 1 << "/BC,,,,";
    } else if (r.cancelled) {
      csv << "Đã hủy,,,," << dmy(*r.cancelled) << ",Không còn phù hợp,";
    } else if (r.suspended) {
      csv << "Tạm dừng,,," << dmy(*r.suspended) << ",,,";  // "Ngày tạm dừng" is column 9
    } else {
      csv << "Đang thực hiện,,,,,,";
    }
    csv << '"';
    for (std::size_t e = 0; e < r.extensions.size(); ++e) {
      csv << (e ? "\n" : "") << dmy(r.extensions[e].first) << "; " << dmy(r.extensions[e].second)
          << "; " << i + 1 << "/UBND-VP";
    }
    csv << "\"\n";
  }
  return csv.str();
}

// What the report for [from, to] as of `to` must say, as things were, from the rows alone.
domain::SummaryLine expected(const std::vector<Row>& rows, Date from, Date to) {
  domain::SummaryLine line;
  for (const Row& r : rows) {
    if (to < r.assigned) {
      continue;
    }
    const auto by = [](const std::optional<Date>& d, Date day) { return d && !(day < *d); };
    if (r.assigned < from && (by(r.completed, from - 1) || by(r.cancelled, from - 1))) {
      continue;  // finished before the period
    }
    Date due = r.due;
    for (const auto& [decided, new_due] : r.extensions) {
      if (!(to < decided)) {
        due = new_due;
      }
    }
    domain::Bucket b = domain::Bucket::open_on_time;
    if (by(r.completed, to)) {
      b = *r.completed <= due ? domain::Bucket::done_on_time : domain::Bucket::done_late;
    } else if (by(r.cancelled, to)) {
      b = domain::Bucket::cancelled;
    } else if (by(r.suspended, to)) {
      b = domain::Bucket::suspended;
    } else if (due < to) {
      b = domain::Bucket::open_overdue;
    }
    (r.assigned < from ? line.carried_over : line.fresh).add(b);
  }
  return line;
}

}  // namespace

TEST(RegisterHistory, FiveThousandTasksOverThreeYearsReportEachMonthAsTheRowsSay) {
  dondoc::testing::ServiceWorld world("2025-01-15T09:00:00+07:00");
  service::ServiceContext& ctx = world.ctx;
  const auto system = service::Actor::system();
  service::UnitService units(ctx);
  for (const char* code : kUnits) {
    units.create(system, {code, std::string("Đơn vị ") + code, domain::UnitKind::department, {}});
  }
  const Date first = *Date::parse("2022-01-01");
  const auto rows = make_register(16, first, ctx.today(), service::kMaxImportRows);
  service::TaskService tasks(ctx);
  service::TaskImporter importer(ctx, tasks);
  const auto result = importer.import(system, register_csv(rows));
  ASSERT_EQ(result.rows.size(), rows.size());

  service::ReportService reports(ctx);
  int with_carried_over = 0;
  for (int month = 0; month < 36; ++month) {
    const Date from = *Date::from_ymd(2022 + month / 12, month % 12 + 1, 1);
    const Date to = month == 35
                        ? *Date::parse("2024-12-31")
                        : *Date::from_ymd(2022 + (month + 1) / 12, (month + 1) % 12 + 1, 1) - 1;
    const auto got = reports.summary(system, {from, to, to}).summary.all;
    const auto want = expected(rows, from, to);
    EXPECT_EQ(got.carried_over, want.carried_over) << from.to_string();
    EXPECT_EQ(got.fresh, want.fresh) << from.to_string();
    with_carried_over += want.carried_over.total > 0 ? 1 : 0;
    ASSERT_FALSE(HasFailure()) << "stopping at the first month that differs";
  }
  EXPECT_GE(with_carried_over, 30);
}
