// Benchmarks of issue 4's scheduler, in process over a real SQLite file, each beside a baseline
// measured in the same run: the raw SQL the pass cannot do without.
//   - a pass when nothing is due over 1,000,000 tasks (target < 5 ms) vs the index lookup alone;
//   - a pass over the same tasks with 1 % due vs raw SQLiteCpp writing the same rows;
//   - a full pass over 20,000 due tasks with the leaders' digest (target < 1 s);
//   - with 1,000 periodic series (issue 15): the daemon's pass (the series pass, then the scan)
//     when nothing is due (target < 5 ms) vs the two index lookups alone, and the pass on the
//     day all 1,000 make their next task vs raw SQLiteCpp inserting the same task rows.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/scheduler/scanner.hpp"
#include "dondoc/service/series.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"

using namespace dondoc;
using Clock = std::chrono::steady_clock;
using dondoc::testing::at;

namespace {

const domain::Instant kDue = at("2025-04-22T07:30:00+07:00");  // a Tuesday

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::int64_t millis(domain::Instant t) {
  return domain::to_unix_millis(t);
}

// `n` open tasks of 40 units with an address each; every `due_every`-th task's reminder is due
// at kDue, the others' a month later. Today's digests are marked done unless `digests_due`.
void seed(const std::string& path, int n, int due_every, bool digests_due) {
  {
    storage::SqliteOptions o;
    o.path = path;
    storage::open_sqlite_store(o);  // the schema
  }
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA synchronous = OFF");
  SQLite::Transaction tx(db);
  for (int u = 1; u <= 40; ++u) {
    db.exec("INSERT INTO units (code, name, kind, emails, created_at, updated_at) VALUES ('U" +
            std::to_string(u) + "', 'Sở số " + std::to_string(u) + "', 'department', " +
            "'[\"vanthu" + std::to_string(u) + "@example.vn\"]', 0, 0)");
  }
  db.exec(
      "INSERT INTO users (login, display_name, email, role, created_at, updated_at) VALUES "
      "('chutich', 'Chủ tịch UBND tỉnh', 'chutich@example.vn', 'leader', 0, 0)");
  SQLite::Statement task(
      db,
      "INSERT INTO tasks (title, source_ref, assigned_on, lead_unit_id, due_on, priority, state, "
      "version, search_text, created_at, updated_at, next_reminder_at, reminded_through) VALUES "
      "(?, '45/TB-UBND', '2025-03-03', ?, '2025-05-05', 'normal', 'open', 1, '', 0, 0, ?, ?)");
  SQLite::Statement lead(db,
                         "INSERT INTO task_units (task_id, unit_id, role) VALUES (?, ?, 'lead')");
  const auto later = millis(kDue + std::chrono::hours(24 * 30));
  for (int i = 1; i <= n; ++i) {
    task.reset();
    task.bind(1, "Nhiệm vụ số " + std::to_string(i));
    task.bind(2, 1 + i % 40);
    task.bind(3, i % due_every == 0 ? millis(kDue) : later);
    task.bind(4, millis(kDue - std::chrono::hours(24 * 7)));
    task.exec();
    lead.reset();
    lead.bind(1, db.getLastInsertRowid());
    lead.bind(2, 1 + i % 40);
    lead.exec();
  }
  if (!digests_due) {
    db.exec(
        "INSERT INTO digest_state (kind, last_day) VALUES ('daily', '2025-04-22'), "
        "('weekly', '2025-04-21')");
  }
  tx.commit();
}

struct World {
  explicit World(const std::string& path) {
    storage::SqliteOptions o;
    o.path = path;
    store = storage::open_sqlite_store(o);
  }
  scheduler::PassResult pass(domain::Instant now) {
    clock.set(now);
    scheduler::ScannerOptions o;
    o.budget = std::chrono::milliseconds(600000);
    return scheduler::Scanner(*store, clock, zone, calendar, o).run_once();
  }
  dondoc::testing::FakeClock clock{kDue};
  domain::FixedOffsetZone zone{"Asia/Ho_Chi_Minh", std::chrono::hours(7)};
  domain::WorkingCalendar calendar;
  std::unique_ptr<storage::Store> store;
};

// What a pass must at least do for `due` tasks: read them by the index, queue a message each
// and move its schedule, in transactions of 500, synchronous=FULL.
double raw_pass_ms(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA synchronous = FULL");
  const auto t0 = Clock::now();
  for (;;) {
    SQLite::Transaction tx(db);
    SQLite::Statement due(db,
                          "SELECT id FROM tasks WHERE next_reminder_at IS NOT NULL AND "
                          "next_reminder_at <= ? ORDER BY next_reminder_at LIMIT 500");
    due.bind(1, millis(kDue));
    std::vector<std::int64_t> ids;
    while (due.executeStep()) {
      ids.push_back(due.getColumn(0).getInt64());
    }
    SQLite::Statement q(
        db,
        "INSERT INTO outbox (dedupe_key, channel, recipient, event, task_id, "
        "subject, body_text, message_id, state, next_attempt_at, created_at, "
        "queued_at) VALUES (?, 'email', 'vanthu@example.vn', 'due_soon', ?, "
        "'[Đôn đốc] Còn 3 ngày làm việc đến hạn', 'Nhiệm vụ', ?, 'queued', 0, 0, 0)");
    SQLite::Statement u(db,
                        "UPDATE tasks SET next_reminder_at = ?, reminded_through = ? WHERE id = ?");
    for (auto id : ids) {
      q.reset();
      q.bind(1, "raw/" + std::to_string(id));
      q.bind(2, id);
      q.bind(3, "<raw." + std::to_string(id) + "@example.vn>");
      q.exec();
      u.reset();
      u.bind(1, millis(kDue + std::chrono::hours(24 * 5)));
      u.bind(2, millis(kDue));
      u.bind(3, id);
      u.exec();
    }
    tx.commit();
    if (ids.size() < 500) {
      break;
    }
  }
  return ms_since(t0);
}

// 1,000 monthly series of 40 units, on days 1 to 28, started on 2 April 2025 with a 30-day
// horizon (so April's and May's tasks are made at once), then the reminder loop's pass: the
// series pass and the scan, as dondocd runs them, on a day with nothing due and on 2 May, when
// every series makes June's task.
void series_benchmarks() {
  dondoc::testing::TempDir dir;
  const auto path = dir.file("series.db");
  seed(path, 20000, 1000000, false);  // 20,000 tasks, none due
  storage::SqliteOptions o;
  o.path = path;
  auto store = storage::open_sqlite_store(o);
  dondoc::testing::FakeClock clock{at("2025-04-02T08:00:00+07:00")};
  domain::FixedOffsetZone zone{"Asia/Ho_Chi_Minh", std::chrono::hours(7)};
  domain::WorkingCalendar calendar;
  service::ServiceContext ctx{*store, clock, zone, calendar, domain::ClassifyPolicy{}, 50, 200};
  ctx.series_horizon_days = 30;
  service::SeriesService series(ctx);
  const auto t_seed = Clock::now();
  for (int i = 0; i < 1000; ++i) {
    service::NewSeries n;
    n.pattern.title = "Báo cáo định kỳ số " + std::to_string(i + 1);
    n.pattern.source_ref = "12/CT-UBND";
    n.pattern.lead_unit_id = 1 + i % 40;
    n.rule.day = 1 + i % 28;
    n.rule.on_day_off = domain::DayOffRoll::previous;
    series.create(service::Actor::system(), n);
  }
  std::printf("started 1,000 monthly series in %.1f s\n", ms_since(t_seed) / 1000);
  scheduler::ScannerOptions so;
  so.budget = std::chrono::milliseconds(600000);
  auto loop_pass = [&](domain::Instant now) {
    clock.set(now);
    const auto made = series.make_due_tasks();
    scheduler::Scanner(*store, clock, zone, calendar, so).run_once();
    return made;
  };
  const auto quiet = at("2025-04-10T09:00:00+07:00");
  loop_pass(quiet);  // the reminders of the tasks just made, sent once
  std::vector<double> idle, raw_idle;
  for (int i = 0; i < 21; ++i) {
    auto t0 = Clock::now();
    loop_pass(quiet);
    idle.push_back(ms_since(t0));
    t0 = Clock::now();
    store->read([&](storage::ReadTx& tx) {
      tx.earliest_reminder();
      tx.next_series_day();
    });
    raw_idle.push_back(ms_since(t0));
  }
  std::printf("pass with nothing due, 1,000 series     : %8.3f ms median (target < 5 ms)\n",
              median(idle));
  std::printf("  baseline: the two index lookups alone : %8.3f ms, ratio %.1f\n", median(raw_idle),
              median(idle) / median(raw_idle));
  clock.set(at("2025-05-02T00:00:30+07:00"));
  auto t0 = Clock::now();
  const auto made = series.make_due_tasks();
  const double busy = ms_since(t0);
  t0 = Clock::now();
  const auto scan = scheduler::Scanner(*store, clock, zone, calendar, so).run_once();
  const double scan_ms = ms_since(t0);
  std::printf(
      "series pass, the day 1,000 make a task   : %8.0f ms (%d tasks, each with its event,\n"
      "                                           notices and reminder schedule)\n",
      busy, made.tasks);
  std::printf("  then the scan of that day             : %8.0f ms (%d tasks, %d messages)\n",
              scan_ms, scan.tasks, scan.queued);
  store.reset();
  // What making a task must at least write: its row and its unit's, in one transaction.
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA synchronous = FULL");
  t0 = Clock::now();
  {
    SQLite::Transaction tx(db);
    SQLite::Statement task(
        db,
        "INSERT INTO tasks (title, source_ref, assigned_on, lead_unit_id, due_on, priority, "
        "state, version, search_text, created_at, updated_at) VALUES (?, '12/CT-UBND', "
        "'2025-06-01', ?, '2025-06-20', 'normal', 'open', 1, '', 0, 0)");
    SQLite::Statement lead(db,
                           "INSERT INTO task_units (task_id, unit_id, role) VALUES (?, ?, 'lead')");
    for (int i = 0; i < made.tasks; ++i) {
      task.reset();
      task.bind(1, "Báo cáo định kỳ số " + std::to_string(i + 1));
      task.bind(2, 1 + i % 40);
      task.exec();
      lead.reset();
      lead.bind(1, db.getLastInsertRowid());
      lead.bind(2, 1 + i % 40);
      lead.exec();
    }
    tx.commit();
  }
  const double raw = ms_since(t0);
  std::printf("  baseline: raw SQLiteCpp, same task rows: %8.0f ms, ratio %.1f\n\n", raw,
              busy / raw);
}

}  // namespace

int main(int argc, char** argv) {
  // --twenty-only: the 20,000-task pass alone, for profiling.
  // --series-only: the periodic series' part alone.
  const bool twenty_only = argc > 1 && std::string(argv[1]) == "--twenty-only";
  std::printf("dondoc scheduler benchmarks\n\n");
  if (!twenty_only) {
    series_benchmarks();
    if (argc > 1 && std::string(argv[1]) == "--series-only") {
      return 0;
    }
  }
  if (!twenty_only) {
    dondoc::testing::TempDir dir;
    const auto path = dir.file("million.db");
    const auto t_seed = Clock::now();
    seed(path, 1000000, 100, false);
    std::printf("seeded 1,000,000 open tasks (1 %% due) in %.1f s\n", ms_since(t_seed) / 1000);
    World w(path);
    std::vector<double> idle, raw_idle;
    for (int i = 0; i < 21; ++i) {
      auto t0 = Clock::now();
      w.pass(kDue - std::chrono::hours(1));
      idle.push_back(ms_since(t0));
      t0 = Clock::now();
      w.store->read([&](storage::ReadTx& tx) { tx.earliest_reminder(); });
      raw_idle.push_back(ms_since(t0));
    }
    std::printf("pass with nothing due, 1,000,000 tasks   : %8.3f ms median (target < 5 ms)\n",
                median(idle));
    std::printf("  baseline: the index lookup alone       : %8.3f ms, ratio %.1f\n",
                median(raw_idle), median(idle) / median(raw_idle));
    const auto t0 = Clock::now();
    const auto r = w.pass(kDue + std::chrono::minutes(1));
    const double busy = ms_since(t0);
    std::printf("pass with 1 %% due (%d tasks, %d messages): %8.0f ms\n", r.tasks, r.queued, busy);
    w.store.reset();
    dondoc::testing::TempDir dir2;
    const auto raw_path = dir2.file("raw.db");
    seed(raw_path, 1000000, 100, false);
    const double raw = raw_pass_ms(raw_path);
    std::printf("  baseline: raw SQLiteCpp, same rows     : %8.0f ms, ratio %.2f\n\n", raw,
                busy / raw);
  }
  std::vector<double> full, raw_full;
  int tasks = 0;
  int queued = 0;
  for (int round = 0; round < 3; ++round) {
    dondoc::testing::TempDir dir;
    const auto path = dir.file("twenty.db");
    seed(path, 20000, 1, true);
    World w(path);
    const auto t0 = Clock::now();
    const auto r = w.pass(kDue + std::chrono::minutes(1));
    full.push_back(ms_since(t0));
    tasks = r.tasks;
    queued = r.queued;
    w.store.reset();
    const auto raw_path = dir.file("raw.db");
    seed(raw_path, 20000, 1, true);
    raw_full.push_back(raw_pass_ms(raw_path));
  }
  std::printf(
      "full pass, 20,000 due tasks and the digests: %.0f ms median of 3 (target < 1,000 ms), "
      "%d tasks, %d messages\n  baseline: raw SQLiteCpp, same rows     : %8.0f ms, ratio %.2f\n",
      median(full), tasks, queued, median(raw_full), median(full) / median(raw_full));
  return 0;
}
