// The dondocd command line, run as a user would.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "daemon.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

using dondoc::testing::run_dondocd;
using dondoc::testing::TempDir;

TEST(Cli, CheckConfigPrintsEveryProblemWithFileLineColumn) {
  TempDir dir;
  const auto path = dir.file("bad.yaml");
  std::ofstream(path) << "listen:\n  port: 99999\ndatabase:\n  durability: sometimes\nlogs: {}\n";
  std::string out;
  EXPECT_NE(run_dondocd("check-config " + path, out), 0);
  EXPECT_NE(out.find(path + ":2:9: listen.port: 99999 is out of range; allowed 0 to 65535"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(path + ":4:15: database.durability: 'sometimes' is not one of: full, normal"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(path + ":5:1: logs: unknown key"), std::string::npos) << out;
}

TEST(Cli, CheckConfigAcceptsTheShippedFile) {
  std::string out;
  EXPECT_EQ(run_dondocd("check-config " DONDOC_SOURCE_DIR "/config/dondoc.yaml", out), 0) << out;
}

// `dondocd calendar YEAR` prints the year's days and their sources: the shipped list for 2025,
// the computed rules for a year without one, and the configuration on top.
TEST(Cli, CalendarPrintsEachDayAndWhereItComesFrom) {
  std::string out;
  ASSERT_EQ(run_dondocd("calendar 2025", out), 0) << out;
  EXPECT_NE(out.find("theo danh sách chính thức (config/calendar/2025.yaml)"), std::string::npos)
      << out;
  EXPECT_NE(out.find("Thứ Hai 27/01/2025  Tết Nguyên đán [2]"), std::string::npos) << out;
  EXPECT_EQ(out.find("03/02/2025"), std::string::npos) << out;
  const auto worked = out.find("Ngày làm việc vào thứ Bảy, Chủ nhật:\n  Thứ Bảy 26/04/2025");
  EXPECT_NE(worked, std::string::npos) << out;
  EXPECT_NE(out.find("[2] Thông báo 6150/TB-BLĐTBXH"), std::string::npos) << out;

  // The shipped lists start in 2015; before it the rules answer.
  ASSERT_EQ(run_dondocd("calendar 2014", out), 0) << out;
  EXPECT_NE(out.find("tính theo Bộ luật Lao động; chưa có danh sách chính thức"), std::string::npos)
      << out;
  EXPECT_NE(out.find("Thứ Năm 30/01/2014  Tết Nguyên đán"), std::string::npos) << out;

  TempDir dir;
  const auto path = dir.file("dondoc.yaml");
  std::ofstream(path) << "calendar:\n  holidays: [2025-12-31]\n";
  ASSERT_EQ(run_dondocd("calendar 2025 --config " + path, out), 0) << out;
  EXPECT_NE(out.find("Thứ Tư 31/12/2025  Ngày nghỉ theo quyết định"), std::string::npos) << out;
  EXPECT_NE(out.find("cấu hình: calendar.holidays"), std::string::npos) << out;
  EXPECT_NE(run_dondocd("calendar 1989", out), 0);
}

// From 1 October the daemon warns that next year has no official list yet.
TEST(Cli, ServeWarnsFromOctoberWhenNextYearHasNoCalendar) {
  for (const auto& [start, warned] :
       {std::pair{"2026-09-30T09:00:00+07:00", false}, {"2026-10-01T09:00:00+07:00", true}}) {
    TempDir dir;
    dondoc::testing::Daemon daemon(dir.path().string());
    daemon.start(std::string("--clock-start ") + start);
    daemon.stop();
    EXPECT_EQ(daemon.log().find("event=calendar_year_missing year=2027") != std::string::npos,
              warned)
        << start << "\n"
        << daemon.log();
  }
}

TEST(Cli, ServeRefusesABadConfigWithTheSameMessages) {
  TempDir dir;
  const auto path = dir.file("bad.yaml");
  std::ofstream(path) << "http:\n  max_page_size: 0\n";
  std::string out;
  EXPECT_EQ(run_dondocd("serve --config " + path, out), 2);
  EXPECT_NE(out.find(path + ":2:18: http.max_page_size: 0 is out of range; allowed 1 to 10000"),
            std::string::npos)
      << out;
}

// Message templates are checked with the config: an unknown event or file in the config, and a
// template that cannot be used, each with where it is; serve refuses to start the same way.
TEST(Cli, TemplatesAreCheckedBeforeStarting) {
  TempDir dir;
  const auto good = dir.file("overdue.txt");
  std::ofstream(good) << "Subject: [UBND tỉnh] {{headline}}: {{title}}\n\n{{facts}}\n";
  const auto bad = dir.file("assigned.txt");
  std::ofstream(bad) << "Subject: Giao việc: {{title}}\n\nKính gửi {{don_vi}},\n";
  const auto path = dir.file("dondoc.yaml");
  std::ofstream(path) << "reminders:\n  templates:\n    overdue: " << good
                      << "\n    qua_han: " << good << "\n    due_today: " << dir.file("none.txt")
                      << "\n";
  std::string out;
  EXPECT_NE(run_dondocd("check-config " + path, out), 0);
  EXPECT_NE(out.find(path + ":4:5: reminders.templates.qua_han: 'qua_han' is not an event"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(path + ":5:16: reminders.templates.due_today: '" + dir.file("none.txt") +
                     "' is not a readable file"),
            std::string::npos)
      << out;
  std::ofstream(path) << "reminders:\n  templates:\n    overdue: " << good
                      << "\n    task_assigned: " << bad << "\n";
  EXPECT_NE(run_dondocd("check-config " + path, out), 0);
  EXPECT_NE(out.find(bad + ":3: reminders.templates.task_assigned: unknown placeholder {{don_vi}}"),
            std::string::npos)
      << out;
  EXPECT_EQ(run_dondocd("serve --config " + path, out), 2);
  EXPECT_NE(out.find(bad + ":3: reminders.templates.task_assigned: unknown placeholder {{don_vi}}"),
            std::string::npos)
      << out;
  std::ofstream(path) << "reminders:\n  templates:\n    overdue: " << good << "\n";
  EXPECT_EQ(run_dondocd("check-config " + path, out), 0) << out;
}

TEST(Cli, ServeRefusesADatabaseFromANewerDondoc) {
  TempDir dir;
  const auto db_path = dir.file("dondoc.db");
  std::string out;
  const auto cfg = dir.file("c.yaml");
  std::ofstream(cfg) << "listen: {port: 0}\ndatabase: {path: " << db_path << "}\n";
  ASSERT_EQ(run_dondocd("migrate --config " + cfg, out), 0) << out;
  EXPECT_NE(out.find("schema version 0 -> 18"), std::string::npos) << out;
  sqlite3* db = nullptr;
  sqlite3_open(db_path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version = 19", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_EQ(run_dondocd("serve --config " + cfg, out), 1);
  EXPECT_NE(out.find("schema version 19, newer than this dondocd supports (18)"), std::string::npos)
      << out;
}

TEST(Cli, VersionAndHelp) {
  std::string out;
  EXPECT_EQ(run_dondocd("version", out), 0);
  EXPECT_EQ(out.rfind("dondocd ", 0), 0u) << out;
  for (const char* cmd :
       {"--help", "serve --help", "check-config --help", "migrate --help", "version --help"}) {
    EXPECT_EQ(run_dondocd(cmd, out), 0) << cmd;
    EXPECT_NE(out.find("Usage"), std::string::npos) << cmd << ": " << out;
  }
  EXPECT_NE(run_dondocd("", out), 0);
  EXPECT_NE(run_dondocd("frobnicate", out), 0);
}

// The operator manages accounts on the server: the first admin, listing, deactivating,
// revoking; each with effect on the running daemon's next request.
TEST(Cli, UsersAndTokensAreManagedOnTheServer) {
  TempDir dir;
  dondoc::testing::Daemon d(dir.path().string(), "log:\n  level: warn\n");
  d.start();
  const std::string cfg = " -c " + d.config_path();
  std::string out;
  ASSERT_EQ(
      run_dondocd("user add --login admin --name 'Quản trị hệ thống' --role admin" + cfg, out), 0)
      << out;
  EXPECT_EQ(run_dondocd("user add --login admin --name 'Trùng' --role admin" + cfg, out), 64);
  EXPECT_NE(out.find("login 'admin' is already taken"), std::string::npos) << out;
  EXPECT_EQ(run_dondocd("user add --login x --name X --role unit" + cfg, out), 64);
  EXPECT_NE(out.find("unit_id: is required for role unit"), std::string::npos) << out;
  EXPECT_EQ(run_dondocd("user add --login y --name Y --role chief" + cfg, out), 64);

  ASSERT_EQ(run_dondocd("token issue admin" + cfg, out), 0) << out;
  // The token is alone on the last line.
  std::string last = out.substr(0, out.find_last_not_of('\n') + 1);
  last = last.substr(last.rfind('\n') + 1);
  const std::string token = dondoc::testing::token_in(out);
  ASSERT_EQ(last, token);
  dondoc::testing::HttpClient admin(d.base_url(), token);
  EXPECT_EQ(admin.get("/api/v1/me").status, 200);

  ASSERT_EQ(run_dondocd("token issue admin --label 'máy chủ báo cáo'" + cfg, out), 0) << out;
  const std::string second = dondoc::testing::token_in(out);
  const std::string second_id = second.substr(4, second.find('_', 4) - 4);
  dondoc::testing::HttpClient reporting(d.base_url(), second);
  // A write first: the daemon remembers the token and trusts it without reading it again,
  // as long as no account changes.
  ASSERT_EQ(
      reporting
          .post_json("/api/v1/units", R"({"code":"SXD","name":"Sở Xây dựng","kind":"department"})")
          .status,
      201);
  ASSERT_EQ(run_dondocd("token revoke " + second_id + cfg, out), 0) << out;
  EXPECT_EQ(
      reporting
          .post_json("/api/v1/units", R"({"code":"STC","name":"Sở Tài chính","kind":"department"})")
          .status,
      401)
      << "a revoked token writes nothing more";
  EXPECT_EQ(reporting.get("/api/v1/me").status, 401);
  EXPECT_EQ(admin.get("/api/v1/me").status, 200) << "revoking one token leaves the others";
  EXPECT_EQ(run_dondocd("token revoke 999" + cfg, out), 64);

  ASSERT_EQ(
      run_dondocd("user add --login lanhdao --name 'Chánh Văn phòng' --role leader" + cfg, out), 0);
  ASSERT_EQ(run_dondocd("user list" + cfg, out), 0) << out;
  EXPECT_NE(out.find("admin\tadmin"), std::string::npos) << out;
  EXPECT_NE(out.find("lanhdao\tleader"), std::string::npos) << out;
  ASSERT_EQ(
      admin.post_json("/api/v1/units", R"({"code":"SNV","name":"Sở Nội vụ","kind":"department"})")
          .status,
      201);
  ASSERT_EQ(run_dondocd("user deactivate admin" + cfg, out), 0) << out;
  EXPECT_EQ(
      admin.post_json("/api/v1/units", R"({"code":"SYT","name":"Sở Y tế","kind":"department"})")
          .status,
      401);
  EXPECT_EQ(admin.get("/api/v1/me").status, 401);
  EXPECT_EQ(admin.get("/api/v1/units/2").status, 401);
  ASSERT_EQ(run_dondocd("user list" + cfg, out), 0);
  EXPECT_NE(out.find("deactivated"), std::string::npos) << out;
  EXPECT_EQ(d.stop(), 0);
}

// `dondocd demo` fills an empty database with two years of a province, played through the
// services: the reports have something to say at once, add up, and show the 2025 merger.
TEST(Cli, DemoLoadsAProvinceOnceAndItsReportsAddUp) {
  TempDir dir;
  const auto config = dir.file("dondoc.yaml");
  std::ofstream(config) << "database:\n  path: " << dir.file("demo.db") << "\n";
  std::string out;
  // Played up to a fixed day, so that 2025 and the merger of 1 March 2025 are always inside it.
  ASSERT_EQ(run_dondocd("demo --until 2026-06-30 --config " + config, out), 0) << out;
  EXPECT_NE(out.find("28 units and "), std::string::npos) << out;
  ASSERT_EQ(run_dondocd("report summary --config " + config +
                            " --from 2025-01-01 --to 2025-12-31 --as-of 2025-12-31",
                        out),
            0)
      << out;
  const auto json_at = out.find('{');
  ASSERT_NE(json_at, std::string::npos) << out;
  const nlohmann::json s = nlohmann::json::parse(out.substr(json_at));
  const auto& total = s.at("total");
  EXPECT_GT(total.at("total").get<int>(), 300) << "about a thousand tasks over two years";
  EXPECT_GT(total.at("done_late").get<int>(), 0);
  EXPECT_GT(s.at("extensions").at("approved").get<int>(), 0);
  int sum = 0;
  bool merged_name = false;
  for (const auto& u : s.at("by_lead_unit")) {
    sum += u.at("total").at("total").get<int>();
    merged_name = merged_name || u.at("unit") == "Sở Giao thông vận tải (nay là Sở Xây dựng)";
  }
  EXPECT_EQ(sum, total.at("total").get<int>());
  EXPECT_TRUE(merged_name) << s.at("by_lead_unit").dump();
  // Issue 15's features are in it: key tasks, leaders in charge, no stale extension request.
  EXPECT_GT(s.at("key_tasks").at("total").at("total").get<int>(), 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("demo.db").c_str(), &db), SQLITE_OK);
  auto count = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    const int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
  };
  EXPECT_EQ(count("SELECT count(*) FROM extension_requests r JOIN tasks t ON t.id = r.task_id "
                  "WHERE r.state = 'pending' AND (t.state <> 'open' OR t.due_on <> "
                  "r.current_due_on OR t.lead_unit_id <> r.unit_id)"),
            0)
      << "a request the leaders can no longer decide";
  EXPECT_GT(count("SELECT count(*) FROM extension_requests WHERE state = 'closed'"), 0);
  EXPECT_EQ(count("SELECT count(DISTINCT leader_id) FROM units WHERE leader_id IS NOT NULL"), 4);
  EXPECT_GT(count("SELECT count(*) FROM tasks WHERE leader_id IS NOT NULL"), 300);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE email <> ''"), 0) << "a demo sends nothing";
  // Periodic series made their tasks month by month, and the merger moved them with the rest.
  EXPECT_EQ(count("SELECT count(*) FROM task_series WHERE state = 'active'"), 5);
  EXPECT_GT(count("SELECT count(*) FROM tasks WHERE series_id IS NOT NULL AND state = 'done'"), 40);
  EXPECT_EQ(count("SELECT count(*) FROM task_series s JOIN units u ON u.id = s.lead_unit_id "
                  "WHERE NOT u.active"),
            0)
      << "a series still led by a merged unit";
  // Coordinating units' own deadlines: most input sent on time, some late, some still owed.
  EXPECT_GT(count("SELECT count(*) FROM contributions WHERE sent_on <= due_on"), 20);
  EXPECT_GT(count("SELECT count(*) FROM contributions WHERE sent_on > due_on"), 5);
  EXPECT_GT(count("SELECT count(*) FROM contributions WHERE sent_on IS NULL"), 5);
  sqlite3_close(db);
  EXPECT_EQ(run_dondocd("demo --config " + config, out), 64) << out;
  EXPECT_NE(out.find("the demo loads only into an empty one"), std::string::npos) << out;
}
