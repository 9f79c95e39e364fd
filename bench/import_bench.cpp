// Issue 16: a province's register brought in with its history by `dondocd import`, the real
// binary, into a database that holds its units and nothing else. Targets for 100,000 tasks: under
// 30 s, in one transaction, peak RSS under 128 MiB. The baseline, in the same run on the same
// disk: raw SQLiteCpp writing the rows dondoc keeps for such a register (each task, its units,
// one history entry per change) in one transaction, synchronous=FULL, from values already parsed.
//
//   import_bench [--tasks N] [--rounds N] [--keep DIR]
// --keep leaves the register, the units' database and its config in DIR, to profile by hand.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "daemon.hpp"
#include "dondoc/domain/date.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

using Clock = std::chrono::steady_clock;
using dondoc::domain::Date;
using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::TempDir;
namespace fs = std::filesystem;

namespace {

constexpr int kUnits = 60;
// The register's last day: every date of the register is by then, in the past.
const char* const kToday = "2025-12-31";

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string unit_code(int u) {
  return "S" + std::to_string(100 + u);
}

std::string dmy(Date d) {
  char text[16];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", d.day(), d.month(), d.year());
  return text;
}

// One task of the register, as written in the file.
struct Row {
  Date assigned;
  Date due;
  std::vector<std::pair<Date, Date>> extensions;  // decided on, new deadline
  std::optional<Date> completed;
  std::optional<Date> cancelled;
  int unit = 0;
  std::vector<int> coordinating;
};

// Three years of a province: most tasks done (a document reporting each), some cancelled, one in
// five extended once or twice, a few with coordinating units, the rest open.
std::vector<Row> make_register(int count) {
  std::mt19937 rng(16);
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const Date today = *Date::parse(kToday);
  const Date first = *Date::parse("2023-01-03");
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    Row r;
    r.assigned = first + pick(today - first - 20);
    r.due = r.assigned + 10 + pick(80);
    r.unit = 1 + pick(kUnits);
    if (pick(4) == 0) {
      r.coordinating.push_back(1 + (r.unit + pick(kUnits - 1)) % kUnits);
    }
    Date due = r.due;
    Date last = r.assigned;
    for (int e = pick(5) == 0 ? 1 + pick(2) : 0; e > 0; --e) {
      const Date decided = last + 1 + pick(20);
      if (today < decided) {
        break;
      }
      due = due + 5 + pick(40);
      r.extensions.emplace_back(decided, due);
      last = decided;
    }
    const Date settled = last + pick(std::max(1, due - last + 40));
    const int outcome = pick(20);
    if (!(today < settled)) {
      if (outcome < 16) {
        r.completed = settled;
      } else if (outcome < 17) {
        r.cancelled = settled;
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string register_csv(const std::vector<Row>& rows) {
  std::ostringstream csv;
  csv << "Số ký hiệu,Ngày văn bản,Nội dung nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Ngày giao,"
         "Thời hạn,Trạng thái,Ngày hoàn thành,Văn bản báo cáo hoàn thành,Ngày hủy,Lý do hủy,"
         "Gia hạn\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    // A document assigns a few tasks, to different units.
    csv << i / 4 + 1 << "/TB-UBND," << dmy(r.assigned) << ",Triển khai nhiệm vụ số " << i + 1
        << " theo chỉ đạo của Chủ tịch UBND tỉnh," << unit_code(r.unit) << ",";
    for (std::size_t c = 0; c < r.coordinating.size(); ++c) {
      csv << (c ? ";" : "") << unit_code(r.coordinating[c]);
    }
    csv << ',' << dmy(r.assigned) << ',' << dmy(r.due) << ',';
    if (r.completed) {
      csv << "Đã hoàn thành," << dmy(*r.completed) << ',' << i + 1 << "/BC-SXD,,,";
    } else if (r.cancelled) {
      csv << "Đã hủy,,," << dmy(*r.cancelled) << ",Không còn phù hợp,";
    } else {
      csv << "Đang thực hiện,,,,,";
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

// A database with the province's units and nothing else, made through the real daemon.
void make_units_database(const std::string& dir) {
  Daemon d(dir, "log:\n  level: warn\nauth:\n  rate_limit_per_minute: 0\n");
  const std::string admin = d.admin_token();
  d.start();
  HttpClient client(d.base_url(), admin);
  for (int u = 1; u <= kUnits; ++u) {
    const auto r =
        client.post_json("/api/v1/units", nlohmann::json{{"code", unit_code(u)},
                                                         {"name", "Sở số " + std::to_string(u)},
                                                         {"kind", "department"}}
                                              .dump());
    if (r.status != 201) {
      std::fprintf(stderr, "creating a unit: %ld %s\n", r.status, r.body.c_str());
      std::exit(1);
    }
  }
  d.stop();
}

struct ImportRun {
  double seconds = 0;
  long peak_rss_kib = 0;
  std::string log;
};

// `dondocd import FILE --config CONFIG`, its output to a file; the wall time and the peak RSS the
// kernel kept for the child.
ImportRun run_import(const std::string& config, const std::string& csv, const std::string& out) {
  const auto t0 = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl(DONDOCD_BINARY, DONDOCD_BINARY, "import", csv.c_str(), "--config", config.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  ImportRun run;
  run.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  run.peak_rss_kib = usage.ru_maxrss;
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  run.log = text.str();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "dondocd import failed:\n%s\n",
                 run.log.substr(run.log.size() > 4000 ? run.log.size() - 4000 : 0).c_str());
    std::exit(1);
  }
  return run;
}

// The baseline: the rows dondoc keeps for the register, written by raw SQLiteCpp into the same
// schema in one transaction (WAL, synchronous=FULL), from values already parsed.
double raw_insert_seconds(const std::string& path, const std::vector<Row>& rows) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  std::vector<std::int64_t> unit_ids;
  {
    SQLite::Statement q(db, "SELECT id FROM units ORDER BY code");
    while (q.executeStep()) {
      unit_ids.push_back(q.getColumn(0).getInt64());
    }
  }
  const auto t0 = Clock::now();
  SQLite::Transaction tx(db);
  SQLite::Statement task(
      db,
      "INSERT INTO tasks (title, source_ref, source_date, assigner, assigned_on, lead_unit_id, "
      "due_on, priority, state, completed_on, original_due_on, extension_count, version, "
      "search_text, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, ?, 'normal', ?, ?, ?, ?, "
      "?, ?, 0, 0)");
  SQLite::Statement unit(db, "INSERT INTO task_units (task_id, unit_id, role) VALUES (?, ?, ?)");
  SQLite::Statement event(db,
                          "INSERT INTO task_events (task_id, at, actor, kind, changes, "
                          "effective_on) VALUES (?, 0, 'system', ?, ?, ?)");
  const auto add_event = [&](std::int64_t id, const char* kind, const std::string& changes,
                             Date on) {
    event.reset();
    event.bind(1, id);
    event.bind(2, kind);
    event.bind(3, changes);
    event.bind(4, on.to_string());
    event.exec();
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const std::string title =
        "Triển khai nhiệm vụ số " + std::to_string(i + 1) + " theo chỉ đạo của Chủ tịch UBND tỉnh";
    const Date due = r.extensions.empty() ? r.due : r.extensions.back().second;
    task.reset();
    task.bind(1, title);
    task.bind(2, std::to_string(i / 4 + 1) + "/TB-UBND");
    task.bind(3, r.assigned.to_string());
    task.bind(4, r.assigned.to_string());
    task.bind(5, unit_ids[static_cast<std::size_t>(r.unit - 1)]);
    task.bind(6, due.to_string());
    task.bind(7, r.completed ? "done" : r.cancelled ? "cancelled" : "open");
    if (r.completed) {
      task.bind(8, r.completed->to_string());
    } else {
      task.bind(8);
    }
    if (r.extensions.empty()) {
      task.bind(9);
    } else {
      task.bind(9, r.due.to_string());
    }
    task.bind(10, static_cast<int>(r.extensions.size()));
    task.bind(11, static_cast<int>(1 + r.extensions.size() + (r.completed ? 2 : 0) +
                                   (r.cancelled ? 1 : 0)));
    task.bind(12, title);
    task.exec();
    const auto id = db.getLastInsertRowid();
    const auto add_unit = [&](int u, const char* role) {
      unit.reset();
      unit.bind(1, id);
      unit.bind(2, unit_ids[static_cast<std::size_t>(u - 1)]);
      unit.bind(3, role);
      unit.exec();
    };
    add_unit(r.unit, "lead");
    for (int c : r.coordinating) {
      add_unit(c, "coordinating");
    }
    add_event(id, "created", R"([{"field":"title","from":null,"to":")" + title + R"("}])",
              r.assigned);
    Date before = r.due;
    for (const auto& [decided, new_due] : r.extensions) {
      add_event(id, "updated",
                R"([{"field":"due_on","from":")" + before.to_string() + R"(","to":")" +
                    new_due.to_string() + R"("}])",
                decided);
      before = new_due;
    }
    if (r.completed) {
      add_event(id, "completion_reported",
                R"([{"field":"state","from":"open","to":"reported"},{"field":"completed_on",)"
                R"("from":null,"to":")" +
                    r.completed->to_string() + R"("}])",
                *r.completed);
      add_event(id, "confirmed", R"([{"field":"state","from":"reported","to":"done"}])",
                *r.completed);
    } else if (r.cancelled) {
      add_event(id, "cancelled", R"([{"field":"state","from":"open","to":"cancelled"}])",
                *r.cancelled);
    }
  }
  tx.commit();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// How many times dondocd synced the WAL while importing `csv` into a copy of the units'
// database, counted with strace; -1 without strace. Compared with the count for a one-row
// register, it says how many commits the import made.
int wal_syncs(const std::string& units_dir, const std::string& work, const std::string& csv) {
  if (std::system("command -v strace > /dev/null") != 0) {
    return -1;
  }
  fs::create_directories(work);
  fs::copy_file(units_dir + "/dondoc.db", work + "/dondoc.db");
  std::ifstream in(units_dir + "/dondoc.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::ofstream(work + "/dondoc.yaml")
      << std::regex_replace(text.str(), std::regex(units_dir), work);
  const std::string trace = work + "/strace.txt";
  const std::string command = "strace -f -y -e trace=fsync,fdatasync -o " + trace + " " +
                              DONDOCD_BINARY + " import " + csv + " --config " + work +
                              "/dondoc.yaml > /dev/null 2>&1";
  if (std::system(command.c_str()) != 0) {
    return -1;
  }
  std::ifstream lines(trace);
  int syncs = 0;
  for (std::string line; std::getline(lines, line);) {
    syncs += line.find("-wal>") != std::string::npos ? 1 : 0;
  }
  fs::remove_all(work);
  return syncs;
}

long long count_of(const std::string& path, const char* sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

}  // namespace

int main(int argc, char** argv) {
  int n = 100000;
  int rounds = 3;
  std::string keep;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--tasks") {
      n = std::stoi(argv[i + 1]);
    } else if (a == "--rounds") {
      rounds = std::stoi(argv[i + 1]);
    } else if (a == "--keep") {
      keep = argv[i + 1];
    }
  }
  TempDir dir;
  const std::string units_dir = (dir.path() / "units").string();
  fs::create_directories(units_dir);
  make_units_database(units_dir);
  const auto rows = make_register(n);
  const std::string csv_path = (dir.path() / "register.csv").string();
  {
    std::ofstream out(csv_path, std::ios::binary);
    out << register_csv(rows);
  }
  if (!keep.empty()) {
    fs::create_directories(keep);
    for (const char* name : {"dondoc.db", "dondoc.yaml"}) {
      fs::copy_file(units_dir + "/" + name, keep + "/" + name,
                    fs::copy_options::overwrite_existing);
    }
    fs::copy_file(csv_path, keep + "/register.csv", fs::copy_options::overwrite_existing);
  }
  long long changes = 0;
  for (const Row& r : rows) {
    changes +=
        static_cast<long long>(r.extensions.size()) + (r.completed ? 2 : 0) + (r.cancelled ? 1 : 0);
  }
  std::printf(
      "a register of %d tasks over three years, %lld changes in their history, %.1f MiB "
      "of CSV\n",
      n, changes, static_cast<double>(fs::file_size(csv_path)) / (1024 * 1024));

  std::vector<double> dondoc_s, raw_s, rss_mib;
  for (int round = 0; round < rounds; ++round) {
    // Each round starts from the database of units alone, for dondocd and for the baseline.
    const std::string round_dir = (dir.path() / ("round" + std::to_string(round))).string();
    fs::create_directories(round_dir);
    fs::copy_file(units_dir + "/dondoc.db", round_dir + "/dondoc.db");
    std::string config;
    {
      std::ifstream in(units_dir + "/dondoc.yaml");
      std::stringstream text;
      text << in.rdbuf();
      config = std::regex_replace(text.str(), std::regex(units_dir), round_dir);
    }
    std::ofstream(round_dir + "/dondoc.yaml") << config;
    const ImportRun run =
        run_import(round_dir + "/dondoc.yaml", csv_path, round_dir + "/import.out");
    const long long tasks = count_of(round_dir + "/dondoc.db", "SELECT count(*) FROM tasks");
    if (tasks != n) {
      std::fprintf(stderr, "dondocd registered %lld tasks, not %d\n", tasks, n);
      return 1;
    }
    dondoc_s.push_back(run.seconds);
    rss_mib.push_back(static_cast<double>(run.peak_rss_kib) / 1024);

    const std::string raw_path = round_dir + "/raw.db";
    fs::copy_file(units_dir + "/dondoc.db", raw_path);
    raw_s.push_back(raw_insert_seconds(raw_path, rows));
    std::printf("round %d: dondocd import %.1f s (peak RSS %.1f MiB), raw SQLite %.2f s\n",
                round + 1, run.seconds, rss_mib.back(), raw_s.back());
    fs::remove_all(round_dir);
  }
  const double t = median(dondoc_s);
  const double rss = median(rss_mib);
  std::printf("\nimport of %d tasks with their history, medians of %d rounds:\n", n, rounds);
  std::printf(
      "  dondocd import (the whole process: read, check, register): %6.1f s (target < 30 "
      "s: %s)\n",
      t, t < 30 ? "met" : "NOT met");
  std::printf("  baseline: raw SQLite, the same rows in one transaction:    %6.2f s (ratio %.1f)\n",
              median(raw_s), t / median(raw_s));
  // One transaction: the import syncs the WAL as often as a register of one row does.
  const std::string one_row_path = (dir.path() / "one-row.csv").string();
  std::ofstream(one_row_path) << register_csv({rows.front()});
  const int syncs_all = wal_syncs(units_dir, (dir.path() / "syncs-all").string(), csv_path);
  const int syncs_one = wal_syncs(units_dir, (dir.path() / "syncs-one").string(), one_row_path);
  if (syncs_all < 0 || syncs_one < 0) {
    std::printf("  transactions: not measured (strace is not installed)\n");
  } else {
    std::printf(
        "  WAL syncs (strace): %d for the register, %d for a register of one row (target: "
        "one transaction: %s)\n",
        syncs_all, syncs_one, syncs_all == syncs_one ? "met" : "NOT met");
  }
  std::printf("  peak RSS of dondocd import: %.1f MiB (target < 128 MiB: %s)\n", rss,
              rss < 128 ? "met" : "NOT met");
  return 0;
}
