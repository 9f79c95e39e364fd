// Bulk registration through the real daemon and the real command line: the sample register of
// docs/ imports as documented, a file with a bad row registers nothing and says where it is
// wrong (row and column, as problem+json or as FILE:ROW lines), and sending it twice registers it
// once.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon.hpp"
#include "http_client.hpp"
#include "python_server.hpp"
#include "seed_scene_daemon.hpp"
#include "sql_text.hpp"
#include "temp_dir.hpp"

using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::python_output;
using dondoc::testing::read_file;
using dondoc::testing::run_dondocd;
using dondoc::testing::sql_text;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

// A daemon on Monday 24 November 2025 with an admin, an office user and the units the sample
// register names, as `dondocd demo` has them.
void start_with_units(Daemon& d) {
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-11-24T09:00:00+07:00");
  HttpClient admin(d.base_url(), d.admin_token());
  for (const auto& [code, name] :
       {std::pair{"SXD", "Sở Xây dựng"}, std::pair{"STC", "Sở Tài chính"},
        std::pair{"SYT", "Sở Y tế"}, std::pair{"SCT", "Sở Công Thương"},
        std::pair{"SNNMT", "Sở Nông nghiệp và Môi trường"},
        std::pair{"SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"}}) {
    ASSERT_EQ(admin
                  .post_json("/api/v1/units",
                             json{{"code", code}, {"name", name}, {"kind", "department"}}.dump())
                  .status,
              201);
  }
}

dondoc::testing::Reply post_csv(HttpClient& c, const std::string& path, const std::string& csv) {
  return c.request("POST", path, csv, {"Content-Type: text/csv; charset=utf-8"});
}

long task_count(HttpClient& c) {
  const auto r = c.get("/api/v1/tasks?limit=1");
  return r.status == 200 ? json::parse(r.body).at("total").get<long>() : -1;
}

}  // namespace

TEST(Import, TheSampleRegisterThroughTheApiOnceAndOnlyOnce) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\n");
  start_with_units(d);
  HttpClient office(d.base_url(), d.office_token());
  const std::string sample = read_file(DONDOC_SOURCE_DIR "/docs/import-sample.csv");

  const auto dry = post_csv(office, "/api/v1/tasks/import?dry_run=true", sample);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(json::parse(dry.body).at("count"), 3);
  EXPECT_EQ(task_count(office), 0);

  const auto r = post_csv(office, "/api/v1/tasks/import", sample);
  ASSERT_EQ(r.status, 201) << r.body;
  const json body = json::parse(r.body);
  ASSERT_EQ(body.at("rows").size(), 3u);
  EXPECT_EQ(body.at("rows")[0].at("row"), 2);
  const json& first = body.at("rows")[0].at("task");
  // 10 working days from Tuesday 25 November 2025: 25–28 November, 1–5 and 8 December.
  EXPECT_EQ(first.at("due_on"), "2025-12-08");
  EXPECT_EQ(first.at("priority"), "urgent");
  EXPECT_EQ(first.at("source_ref"), "125/TB-UBND");
  const auto stored = office.get("/api/v1/tasks/" + std::to_string(first.at("id").get<long>()));
  ASSERT_EQ(stored.status, 200);
  EXPECT_EQ(json::parse(stored.body).at("title"),
            "Rà soát tiến độ giải ngân vốn đầu tư công các dự án giao thông trọng điểm");
  EXPECT_EQ(json::parse(body.at("rows")[1].at("task").dump()).at("coordinating_unit_ids").size(),
            2u);
  EXPECT_EQ(task_count(office), 3);

  const auto again = post_csv(office, "/api/v1/tasks/import", sample);
  ASSERT_EQ(again.status, 400) << again.body;
  EXPECT_EQ(again.headers.at("content-type"), "application/problem+json");
  const json problem = json::parse(again.body);
  ASSERT_EQ(problem.at("errors").size(), 3u);
  EXPECT_EQ(problem.at("errors")[0].at("row"), 2);
  EXPECT_NE(problem.at("errors")[0].at("message").get<std::string>().find("already registered"),
            std::string::npos);
  EXPECT_EQ(task_count(office), 3);

  EXPECT_EQ(office.post_json("/api/v1/tasks/import", "{}").status, 415);
  HttpClient unit(d.base_url(), d.token_for("cv.sxd", "unit", "SXD"));
  EXPECT_EQ(post_csv(unit, "/api/v1/tasks/import", sample).status, 403);
  EXPECT_EQ(post_csv(office, "/api/v1/tasks/import?dry_run=maybe", sample).status, 400);
}

TEST(Import, ABadRowRegistersNothingThroughTheApiOrTheCommandLine) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\n");
  start_with_units(d);
  HttpClient office(d.base_url(), d.office_token());
  // Semicolons, as Excel writes CSV in the Vietnamese locale.
  const std::string csv =
      "Nội dung nhiệm vụ;Đơn vị chủ trì;Thời hạn\r\n"
      "Kiểm tra an toàn công trình;Sở Xây dựng;15/12/2025\r\n"
      "Báo cáo quyết toán;Sở Tài chánh;30 ngày\r\n"
      "Rà soát cơ sở y tế;SYT;31/11/2025\r\n";
  const auto r = post_csv(office, "/api/v1/tasks/import", csv);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(json::parse(r.body).at("detail").get<std::string>().find("nothing was registered"),
            std::string::npos);
  const json errors = json::parse(r.body).at("errors");
  ASSERT_EQ(errors.size(), 2u) << r.body;
  EXPECT_EQ(errors[0].at("row"), 3);
  EXPECT_EQ(errors[0].at("field"), "Đơn vị chủ trì");
  EXPECT_EQ(errors[1].at("row"), 4);
  EXPECT_EQ(errors[1].at("field"), "Thời hạn");
  EXPECT_EQ(errors[1].at("message"), "is not a real date");
  EXPECT_EQ(task_count(office), 0);

  // The same file from the command line, while the daemon runs.
  const std::string file = dir.file("giao-ban.csv");
  std::ofstream(file, std::ios::binary) << csv;
  std::string out;
  EXPECT_EQ(run_dondocd("import " + file + " --config " + d.config_path(), out), 64);
  EXPECT_NE(out.find(file + ":3: Đơn vị chủ trì: \"Sở Tài chánh\" is not the code or name"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(file + ":4: Thời hạn: is not a real date"), std::string::npos) << out;
  EXPECT_NE(out.find("nothing was registered"), std::string::npos) << out;
  EXPECT_EQ(task_count(office), 0);

  // The command line runs on the real clock: the day of assignment is given.
  std::ofstream(file, std::ios::binary)
      << "Nội dung nhiệm vụ;Đơn vị chủ trì;Ngày giao;Thời hạn\n"
      << "Kiểm tra an toàn công trình;Sở Xây dựng;24/11/2025;15/12/2025\n";
  // A dry run with the report the period would show after it.
  ASSERT_EQ(run_dondocd("import " + file + " --config " + d.config_path() +
                            " --dry-run --report-from 2025-11-01 --report-to 2025-11-30"
                            " --report-as-of 2025-11-30",
                        out),
            0)
      << out;
  EXPECT_NE(
      out.find("Giao mới trong kỳ: 1 (đã hoàn thành 0, đang thực hiện 1, trong đó quá hạn 0)"),
      std::string::npos)
      << out;
  EXPECT_EQ(task_count(office), 0);
  EXPECT_EQ(run_dondocd("import " + file + " --config " + d.config_path() +
                            " --report-from 2025-11-01 --report-to 2025-11-30",
                        out),
            64)
      << "without --dry-run: " << out;
  ASSERT_EQ(run_dondocd("import " + file + " --config " + d.config_path(), out), 0) << out;
  EXPECT_NE(out.find("row 2: task 1, due 15/12/2025: Kiểm tra an toàn công trình"),
            std::string::npos)
      << out;
  EXPECT_EQ(task_count(office), 1) << "the daemon sees what the command registered";
}

// `dondocd import` runs with the whole configuration, as the daemon would: the operator's
// reminder schedule, address, webhooks, templates and sender domain shape what it queues.
TEST(Import, TheCommandLineUsesTheConfiguredRemindersLinksWebhooksAndTemplates) {
  TempDir dir;
  const auto template_file = dir.file("giao-viec.txt");
  std::ofstream(template_file) << "Subject: [UBND tỉnh] Giao việc: {{title}}\n\n"
                                  "Kính gửi {{lead_unit}},\nXem chi tiết: {{link}}\n";
  Daemon daemon(dir.path().string(),
                "reminders:\n"
                "  before_working_days: [2]\n"
                "  templates:\n"
                "    task_assigned: " +
                    template_file +
                    "\n"
                    "web:\n"
                    "  base_url: https://dondoc.example.vn\n"
                    "smtp:\n"
                    "  from_address: vanphong@ubnd.example.vn\n"
                    "webhooks:\n"
                    "  endpoints:\n"
                    "    - name: van-phong\n"
                    "      url: http://127.0.0.1:9/hooks/van-phong\n"
                    "      secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  daemon.start();
  HttpClient admin(daemon.base_url(), daemon.admin_token());
  ASSERT_EQ(admin
                .post_json("/api/v1/units", R"({"code":"SXD","name":"Sở Xây dựng","kind":)"
                                            R"("department","emails":["vanthu.sxd@example.vn"]})")
                .status,
            201);
  ASSERT_EQ(daemon.stop(), 0);
  // Due on Friday 14 June 2030, a week with no holiday: two working days before is Wednesday.
  const auto csv = dir.file("giao-ban.csv");
  std::ofstream(csv) << "Số ký hiệu,Nội dung nhiệm vụ,Đơn vị chủ trì,Thời hạn\n"
                        "46/TB-UBND,Rà soát quy hoạch,SXD,14/06/2030\n";
  std::string out;
  ASSERT_EQ(run_dondocd("import " + csv + " --config " + daemon.config_path(), out), 0) << out;

  const auto db = daemon.database_path();
  EXPECT_EQ(sql_text(db,
                     "SELECT subject FROM outbox WHERE channel = 'email' AND "
                     "event = 'task_assigned'"),
            "[UBND tỉnh] Giao việc: Rà soát quy hoạch");
  EXPECT_NE(sql_text(db, "SELECT body_text FROM outbox WHERE channel = 'email'")
                .find("Xem chi tiết: https://dondoc.example.vn/tasks/1"),
            std::string::npos);
  EXPECT_NE(sql_text(db, "SELECT message_id FROM outbox WHERE channel = 'email'")
                .find("@ubnd.example.vn>"),
            std::string::npos);
  EXPECT_EQ(sql_text(db, "SELECT recipient FROM outbox WHERE channel = 'webhook'"), "van-phong");
  EXPECT_NE(sql_text(db, "SELECT body_text FROM outbox WHERE channel = 'webhook'")
                .find("https://dondoc.example.vn/tasks/1"),
            std::string::npos);
  // The first reminder: 2 working days before, when the working day opens (07:30, UTC+7).
  EXPECT_EQ(sql_text(db,
                     "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', next_reminder_at / 1000, "
                     "'unixepoch') FROM tasks WHERE id = 1"),
            "2030-06-12T00:30:00Z");
}

// A register kept in Excel: the seed-004 register written as a workbook by openpyxl (dates as
// real dates, in two formats; line breaks in cells), imported through the API and the command
// line, reported as of 15/02/2025 with the meeting's figures. A bad row is refused with Excel's
// row number and the column's header; a ZIP that is not a workbook, with what is wrong.
TEST(Import, ARegisterKeptInExcel) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\n");
  dondoc::testing::start_after_the_meeting(d);
  const std::string register_csv = dondoc::testing::seed_scene_csv();
  const std::string csv_file = dir.file("so-theo-doi.csv");
  std::ofstream(csv_file, std::ios::binary) << register_csv;
  const std::string book = dir.file("so-theo-doi.xlsx");
  python_output("write_xlsx.py", csv_file + " " + book + " --datetime-column 'Ngày hoàn thành'");
  const std::string bytes = read_file(book);
  ASSERT_EQ(bytes.substr(0, 2), "PK");
  const std::string xlsx_type =
      "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  HttpClient office(d.base_url(), d.office_token());
  const auto r = office.request("POST", "/api/v1/tasks/import", bytes, {xlsx_type});
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 2000);
  EXPECT_EQ(json::parse(r.body).at("rows").size(), 60U + 134 + 494);
  const json report = json::parse(
      office.get("/api/v1/reports/summary?from=2025-01-01&to=2025-02-15&as_of=2025-02-15").body);
  const auto figures = [](const json& c) {
    return std::vector<int>{
        c.at("total"), c.at("done_on_time").get<int>() + c.at("done_late").get<int>(),
        c.at("open_on_time").get<int>() + c.at("open_overdue").get<int>(), c.at("open_overdue")};
  };
  EXPECT_EQ(figures(report.at("carried_over")), (std::vector<int>{134, 113, 21, 5}));
  EXPECT_EQ(figures(report.at("new")), (std::vector<int>{494, 356, 137, 2}));

  // The same workbook from the command line, in a dry run: every row checked, none registered
  // twice (they are all registered already).
  std::string out;
  EXPECT_EQ(run_dondocd("import " + book + " --dry-run --config " + d.config_path(), out), 64);
  EXPECT_NE(out.find(book + ":2: "), std::string::npos) << out.substr(0, 500);
  EXPECT_NE(out.find("already registered"), std::string::npos);

  // A bad row: Excel's row number, the column as its header names it.
  const std::string bad_csv = dir.file("sai.csv");
  std::ofstream(bad_csv, std::ios::binary)
      << "Số ký hiệu,Nội dung nhiệm vụ,Đơn vị chủ trì,Ngày giao,Thời hạn\n"
         "88/TB-UBND,Kiểm tra an toàn công trình,SXD,03/02/2025,28/02/2025\n"
         "88/TB-UBND,Báo cáo quyết toán,Sở Tài chánh,03/02/2025,28/02/2025\n";
  const std::string bad_book = dir.file("sai.xlsx");
  python_output("write_xlsx.py", bad_csv + " " + bad_book);
  const auto bad = office.request("POST", "/api/v1/tasks/import", read_file(bad_book), {xlsx_type});
  ASSERT_EQ(bad.status, 400) << bad.body;
  const json errors = json::parse(bad.body).at("errors");
  ASSERT_EQ(errors.size(), 1U) << bad.body;
  EXPECT_EQ(errors[0].at("row"), 3);
  EXPECT_EQ(errors[0].at("field"), "Đơn vị chủ trì");

  // A ZIP archive that is not a workbook.
  const std::string zip = dir.file("not-a-book.zip");
  python_output("write_xlsx.py", "--zip-without-workbook " + zip);
  const auto not_book = office.request("POST", "/api/v1/tasks/import", read_file(zip), {xlsx_type});
  ASSERT_EQ(not_book.status, 400) << not_book.body;
  EXPECT_NE(not_book.body.find("xl/workbook.xml"), std::string::npos) << not_book.body;
  EXPECT_EQ(task_count(office), 60 + 134 + 494 + 0);
}
