// Benchmarks of issue 5's reports, in process over a real SQLite file, beside the raw SQL
// GROUP BY over the same rows measured in the same run:
//   - the period summary over 1,000,000 tasks with history, as of today (target < 1 s) and as
//     of a past date (target within 3x of today's);
//   - the XLSX export of an overdue appendix of 10,000 rows (target < 1 s).
//
//   report_bench [--tasks N] [--rounds N] [--db FILE]
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "dondoc/http/report_formats.hpp"
#include "dondoc/service/reports.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"

using namespace dondoc;
using Clock = std::chrono::steady_clock;
using domain::Date;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

const domain::FixedOffsetZone kZone{"Asia/Ho_Chi_Minh", std::chrono::hours(7)};
const Date kFirst = *Date::parse("2024-01-02");
const Date kToday = *Date::parse("2025-12-31");

std::int64_t millis_at(Date d, int hour) {
  return domain::to_unix_millis(kZone.start_of(d) + std::chrono::hours(hour));
}

// Two years of a province: `n` tasks over 60 units and three assigners, each with its creation
// event; three in four finished (reported, then confirmed, with their events), one in ten
// extended once (an approval event moving the deadline); the rest open, many overdue.
void seed(const std::string& path, int n) {
  {
    storage::SqliteOptions o;
    o.path = path;
    storage::open_sqlite_store(o);  // the schema
  }
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA synchronous = OFF");
  db.exec("PRAGMA journal_mode = OFF");
  SQLite::Transaction tx(db);
  for (int u = 1; u <= 60; ++u) {
    db.exec("INSERT INTO units (code, name, kind, created_at, updated_at) VALUES ('U" +
            std::to_string(u) + "', 'Sở số " + std::to_string(u) + "', 'department', 0, 0)");
  }
  SQLite::Statement task(
      db,
      "INSERT INTO tasks (title, source_ref, assigner, assigned_on, lead_unit_id, due_on, "
      "priority, state, completed_on, original_due_on, extension_count, version, search_text, "
      "created_at, updated_at) VALUES (?, '45/TB-UBND', ?, ?, ?, ?, 'normal', ?, ?, ?, ?, 1, '', "
      "?, ?)");
  SQLite::Statement lead(db,
                         "INSERT INTO task_units (task_id, unit_id, role) VALUES (?, ?, 'lead')");
  SQLite::Statement event(db,
                          "INSERT INTO task_events (task_id, at, actor, kind, changes) VALUES (?, "
                          "?, 'vanphong', ?, ?)");
  const char* assigners[] = {"Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh",
                             "Chánh Văn phòng UBND tỉnh"};
  std::mt19937 rng(5);
  const int span = kToday - kFirst;
  auto add_event = [&](std::int64_t id, std::int64_t at, const char* kind,
                       const std::string& changes) {
    event.reset();
    event.bind(1, id);
    event.bind(2, at);
    event.bind(3, kind);
    event.bind(4, changes);
    event.exec();
  };
  for (int i = 0; i < n; ++i) {
    const Date assigned = kFirst + static_cast<int>(rng() % static_cast<unsigned>(span));
    const Date first_due = assigned + 5 + static_cast<int>(rng() % 40);
    const bool extended = rng() % 10 == 0;
    const Date due = extended ? first_due + 20 : first_due;
    const bool finished = rng() % 4 != 0;
    const Date completed = assigned + 3 + static_cast<int>(rng() % 60);
    const bool done = finished && !(kToday < completed);
    const int unit = 1 + static_cast<int>(rng() % 60);
    task.reset();
    task.bind(1, "Nhiệm vụ số " + std::to_string(i + 1));
    task.bind(2, assigners[rng() % 3]);
    task.bind(3, assigned.to_string());
    task.bind(4, unit);
    task.bind(5, due.to_string());
    task.bind(6, done ? "done" : "open");
    if (done) {
      task.bind(7, completed.to_string());
    } else {
      task.bind(7);
    }
    if (extended) {
      task.bind(8, first_due.to_string());
    } else {
      task.bind(8);
    }
    task.bind(9, extended ? 1 : 0);
    // updated_at is the instant of the latest change, as the services keep it.
    std::int64_t updated = millis_at(assigned, 9);
    if (extended) {
      updated = std::max(updated, millis_at(first_due - 3, 10));
    }
    if (done) {
      updated = std::max(updated, millis_at(completed, 16));
    }
    task.bind(10, millis_at(assigned, 9));
    task.bind(11, updated);
    task.exec();
    const auto id = db.getLastInsertRowid();
    lead.reset();
    lead.bind(1, id);
    lead.bind(2, unit);
    lead.exec();
    add_event(id, millis_at(assigned, 9), "created",
              R"([{"field":"title","from":null,"to":"Nhiệm vụ"}])");
    if (extended) {
      add_event(id, millis_at(first_due - 3, 10), "extension_approved",
                R"([{"field":"due_on","from":")" + first_due.to_string() + R"(","to":")" +
                    due.to_string() + R"("},{"field":"original_due_on","from":null,"to":")" +
                    first_due.to_string() +
                    R"("},{"field":"extension_count","from":"0","to":"1"}])");
    }
    if (done) {
      add_event(id, millis_at(completed, 14), "completion_reported",
                R"([{"field":"state","from":"open","to":"reported"},{"field":"completed_on",)"
                R"("from":null,"to":")" +
                    completed.to_string() + R"("}])");
      add_event(id, millis_at(completed, 16), "confirmed",
                R"([{"field":"state","from":"reported","to":"done"}])");
    }
  }
  tx.commit();
  db.exec("ANALYZE");
}

// How many tasks a report must rebuild from their history, counted here with SQL from what
// dondoc's rule reads (updated_at against the end of as_of and the start of the period), to
// explain the figures.
long long rebuilt(const std::string& path, const service::SummaryRequest& r) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  const Date as_of = r.as_of.value_or(kToday);
  SQLite::Statement q(db,
                      "SELECT count(*) FROM tasks WHERE created_at < :cutoff AND (updated_at >= "
                      ":cutoff OR (assigned_on < :from AND updated_at >= :start))");
  q.bind(":cutoff", domain::to_unix_millis(kZone.start_of(as_of + 1)));
  q.bind(":from", r.from.to_string());
  q.bind(":start", domain::to_unix_millis(kZone.start_of(r.from)));
  q.executeStep();
  return q.getColumn(0).getInt64();
}

double raw_group_by_ms(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  db.exec("PRAGMA temp_store = MEMORY");  // as dondoc's connections: the sort stays in memory
  const auto t0 = Clock::now();
  SQLite::Statement q(db,
                      "SELECT lead_unit_id, state, due_on < '2025-12-31', count(*) FROM tasks "
                      "GROUP BY 1, 2, 3");
  std::int64_t total = 0;
  while (q.executeStep()) {
    total += q.getColumn(3).getInt64();
  }
  const double ms = ms_since(t0);
  if (total == 0) {
    std::printf("no rows?\n");
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 1000000;
  int rounds = 5;
  std::string db_path;  // --db: keep the seeded database there, and reuse it next time
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--tasks") {
      n = std::stoi(argv[i + 1]);
    } else if (a == "--rounds") {
      rounds = std::stoi(argv[i + 1]);
    } else if (a == "--db") {
      db_path = argv[i + 1];
    }
  }
  dondoc::testing::TempDir dir;
  const std::string path = db_path.empty() ? dir.file("province.db") : db_path;
  if (!std::filesystem::exists(path)) {
    const auto t_seed = Clock::now();
    seed(path, n);
    std::printf("seeded %d tasks with their history in %.1f s\n\n", n, ms_since(t_seed) / 1000);
  }

  storage::SqliteOptions o;
  o.path = path;
  auto store = storage::open_sqlite_store(o);
  dondoc::testing::FakeClock clock{kZone.start_of(kToday) + std::chrono::hours(12)};
  domain::WorkingCalendar calendar;
  service::ServiceContext ctx{*store, clock, kZone, calendar, domain::ClassifyPolicy{}, 50, 200};
  service::ReportService reports(ctx);
  // The same report counted in one part, on one thread, for comparison.
  service::ServiceContext one_part_ctx = ctx;
  one_part_ctx.report_parts = 1;
  service::ReportService one_part(one_part_ctx);
  const auto system = service::Actor::system();
  const service::SummaryRequest now{*Date::parse("2025-01-01"), kToday, std::nullopt};
  const service::SummaryRequest past{*Date::parse("2025-01-01"), *Date::parse("2025-06-30"),
                                     *Date::parse("2025-06-30")};
  std::vector<double> raw, current, as_of, current_one_part;
  std::int64_t total_now = 0;
  std::int64_t total_past = 0;
  for (int r = 0; r < rounds; ++r) {
    raw.push_back(raw_group_by_ms(path));
    auto t0 = Clock::now();
    total_now = reports.summary(system, now).summary.all.total().total;
    current.push_back(ms_since(t0));
    t0 = Clock::now();
    if (one_part.summary(system, now).summary.all.total().total != total_now) {
      std::printf("the report counted in one part differs!\n");
      return 1;
    }
    current_one_part.push_back(ms_since(t0));
    t0 = Clock::now();
    total_past = reports.summary(system, past).summary.all.total().total;
    as_of.push_back(ms_since(t0));
  }
  std::printf(
      "summary 2025-01-01..2025-12-31 as of today (%lld tasks counted): %8.0f ms median "
      "(target < 1,000 ms), counted in %d parts\n",
      static_cast<long long>(total_now), median(current), ctx.report_parts);
  std::printf("  the same in one part, on one thread                     : %8.0f ms\n",
              median(current_one_part));
  std::printf(
      "  baseline: raw SQLite GROUP BY unit, state, overdue       : %8.0f ms, ratio "
      "%.1f\n",
      median(raw), median(current) / median(raw));
  std::printf(
      "summary 2025-01-01..2025-06-30 as of 2025-06-30 (%lld tasks): %8.0f ms median, "
      "%.2fx today's (target < 3x)\n",
      static_cast<long long>(total_past), median(as_of), median(as_of) / median(current));
  std::printf("  tasks rebuilt from their history: %lld as of today, %lld as of 2025-06-30\n",
              rebuilt(path, now), rebuilt(path, past));

  // The XLSX export of a 10,000-row appendix.
  service::OverdueReport appendix;
  appendix.as_of = kToday;
  for (int i = 0; i < 10000; ++i) {
    service::OverdueLine l;
    l.number = i + 1;
    l.task_id = i + 1;
    l.source_ref = std::to_string(100 + i % 900) + "/TB-UBND";
    l.source_date = kToday - 200 - i % 100;
    l.title = "Hoàn thành giải phóng mặt bằng dự án đường tỉnh số " + std::to_string(i);
    l.lead_unit = "Sở Giao thông vận tải (nay là Sở Xây dựng)";
    l.due_on = kToday - 30 - i % 90;
    l.days_overdue = 30 + i % 90;
    l.working_days_overdue = 20 + i % 60;
    l.extension_count = i % 3;
    appendix.lines.push_back(std::move(l));
  }
  std::vector<double> xlsx;
  std::size_t bytes = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    bytes = http::render_overdue(appendix, http::ReportFormat::xlsx, http::Letterhead{}).size();
    xlsx.push_back(ms_since(t0));
  }
  std::printf(
      "XLSX of a 10,000-row overdue appendix (%zu bytes): %8.0f ms median (target < "
      "1,000 ms)\n",
      bytes, median(xlsx));
  return 0;
}
