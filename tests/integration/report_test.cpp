// The reports through the real daemon and the real command line: a small province where every
// figure can be worked out by hand, in JSON, CSV and HTML, and `dondocd report` giving the same
// bytes as the API.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon.hpp"
#include "http_client.hpp"
#include "python_server.hpp"
#include "temp_dir.hpp"

using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::python_output;
using dondoc::testing::run_dondocd;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

const std::string kBridge = "<b>Sửa chữa cầu Bến Thủy</b> & kè";
const std::string kFormula = "=HYPERLINK(\"http://x.example.vn\")";

// Thursday 10 April 2025, 09:00. Two departments; five tasks:
//  1 Sở GTVT, assigned 10/3, due 31/3, still open          carried over, overdue
//  2 Sở XD,   assigned 12/3, due 30/4, open                carried over, on time
//  3 Sở XD,   assigned 2/4,  due 8/4, open                 new, overdue
//  4 Sở GTVT, assigned 3/4,  due 20/4, done on 9/4         new, done on time
//  5 Sở GTVT, assigned 1/3,  due 20/3, cancelled today     carried over (open on 1/4), cancelled
void populate(Daemon& d) {
  HttpClient admin(d.base_url(), d.admin_token());
  for (const auto& [code, name] :
       {std::pair{"SGTVT", "Sở Giao thông vận tải"}, std::pair{"SXD", "Sở Xây dựng"}}) {
    ASSERT_EQ(admin
                  .post_json("/api/v1/units",
                             json{{"code", code}, {"name", name}, {"kind", "department"}}.dump())
                  .status,
              201);
  }
  HttpClient office(d.base_url(), d.office_token());
  auto task = [&](const std::string& title, int unit, const char* assigned, const char* due) {
    const auto r = office.post_json("/api/v1/tasks", json{{"title", title},
                                                          {"source_ref", "45/TB-UBND"},
                                                          {"source_date", "2025-03-01"},
                                                          {"assigner", "Chủ tịch UBND tỉnh"},
                                                          {"lead_unit_id", unit},
                                                          {"assigned_on", assigned},
                                                          {"due_on", due}}
                                                         .dump());
    ASSERT_EQ(r.status, 201) << r.body;
  };
  task(kBridge, 1, "2025-03-10", "2025-03-31");
  task("Quy hoạch khu đô thị mới", 2, "2025-03-12", "2025-04-30");
  task(kFormula, 2, "2025-04-02", "2025-04-08");
  task("Báo cáo an toàn giao thông quý I", 1, "2025-04-03", "2025-04-20");
  task("Khảo sát bến xe cũ", 1, "2025-03-01", "2025-03-20");
  const std::string unit_token = d.token_for("cv.sgtvt", "unit", "SGTVT");
  HttpClient unit(d.base_url(), unit_token);
  ASSERT_EQ(unit.post_json("/api/v1/tasks/4/report",
                           R"({"completion_ref":"112/BC-SGTVT","completed_on":"2025-04-09"})")
                .status,
            200);
  ASSERT_EQ(office.post_json("/api/v1/tasks/4/confirm", "{}").status, 200);
  ASSERT_EQ(office.post_json("/api/v1/tasks/5/cancel", R"({"reason":"Đã sáp nhập bến xe"})").status,
            200);
}

json counts(int total, int on_time, int late, int open, int overdue, int suspended, int cancelled,
            json rate) {
  return {{"total", total},         {"done_on_time", on_time}, {"done_late", late},
          {"open_on_time", open},   {"open_overdue", overdue}, {"suspended", suspended},
          {"cancelled", cancelled}, {"on_time_rate", rate}};
}

}  // namespace

TEST(Reports, TheMonthlyReportInJsonCsvAndHtml) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\n");
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-10T09:00:00+07:00");
  populate(d);
  HttpClient leader(d.base_url(), d.token_for("chutich", "leader"));

  const auto summary = leader.get("/api/v1/reports/summary?from=2025-04-01&to=2025-04-30");
  ASSERT_EQ(summary.status, 200) << summary.body;
  const json s = json::parse(summary.body);
  EXPECT_EQ(s.at("as_of"), "2025-04-10");
  EXPECT_EQ(s.at("carried_over"), counts(3, 0, 0, 1, 1, 0, 1, nullptr));
  EXPECT_EQ(s.at("new"), counts(2, 1, 0, 0, 1, 0, 0, 1.0));
  EXPECT_EQ(s.at("total"), counts(5, 1, 0, 1, 2, 0, 1, 1.0));
  ASSERT_EQ(s.at("by_lead_unit").size(), 2u);
  EXPECT_EQ(s.at("by_lead_unit")[0].at("unit"), "Sở Giao thông vận tải");
  EXPECT_EQ(s.at("by_lead_unit")[0].at("total"), counts(3, 1, 0, 0, 1, 0, 1, 1.0));
  EXPECT_EQ(s.at("by_lead_unit")[1].at("total"), counts(2, 0, 0, 1, 1, 0, 0, nullptr));
  EXPECT_EQ(s.at("by_assigner")[0].at("assigner"), "Chủ tịch UBND tỉnh");

  // As things were the day before: task 4 done that day (the unit's report is dated 9/4), task 5
  // not yet cancelled, so overdue with task 1.
  const json before = json::parse(
      leader.get("/api/v1/reports/summary?from=2025-04-01&to=2025-04-30&as_of=2025-04-09").body);
  EXPECT_EQ(before.at("basis"), "effective");
  EXPECT_EQ(before.at("carried_over"), counts(3, 0, 0, 1, 2, 0, 0, nullptr));
  EXPECT_EQ(before.at("new"), counts(2, 1, 0, 0, 1, 0, 0, 1.0));
  // The register as it stood that day: the tasks were entered on the 10th, so there were none.
  const json register_then =
      json::parse(leader
                      .get("/api/v1/reports/summary?from=2025-04-01&to=2025-04-30&as_of=2025-04-09"
                           "&basis=recorded")
                      .body);
  EXPECT_EQ(register_then.at("basis"), "recorded");
  EXPECT_EQ(register_then.at("total").at("total"), 0);
  const auto bad_basis = leader.get("/api/v1/reports/overdue?basis=today");
  EXPECT_EQ(bad_basis.status, 400);
  EXPECT_NE(bad_basis.body.find("basis"), std::string::npos) << bad_basis.body;
  const json overdue_then =
      json::parse(leader.get("/api/v1/reports/overdue?as_of=2025-04-09").body);
  EXPECT_EQ(overdue_then.at("total"), 3) << "tasks 1, 3 and 5";
  EXPECT_EQ(json::parse(leader.get("/api/v1/reports/overdue?as_of=2025-04-09&basis=recorded").body)
                .at("total"),
            0);

  const auto overdue = leader.get("/api/v1/reports/overdue");
  ASSERT_EQ(overdue.status, 200) << overdue.body;
  const json o = json::parse(overdue.body);
  ASSERT_EQ(o.at("total"), 2);
  EXPECT_EQ(o.at("items")[0].at("title"), kBridge);
  EXPECT_EQ(o.at("items")[0].at("days_overdue"), 10);
  // 1-4 April, then 8-10 April: Monday 7 April 2025 is Giỗ Tổ Hùng Vương.
  EXPECT_EQ(o.at("items")[0].at("working_days_overdue"), 7);
  EXPECT_EQ(o.at("items")[1].at("number"), 2);
  EXPECT_EQ(o.at("items")[1].at("days_overdue"), 2);

  const auto csv = leader.get("/api/v1/reports/overdue?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers.at("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.headers.at("content-disposition"),
            "inline; filename=\"nhiem-vu-qua-han_2025-04-10.csv\"");
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u) << "a byte-order mark for Excel";
  EXPECT_NE(csv.body.find("STT,\"Số, ký hiệu văn bản\",Ngày văn bản,Nội dung nhiệm vụ,Đơn vị "
                          "chủ trì,Đơn vị phối hợp,Lãnh đạo phụ trách,Thời hạn,Số ngày quá hạn,Số "
                          "ngày làm việc quá hạn,Số lần gia hạn,Đang đề nghị gia hạn,Tiến độ gần "
                          "nhất\r\n"),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find("1,45/TB-UBND,01/03/2025,<b>Sửa chữa cầu Bến Thủy</b> & kè,Sở Giao "
                          "thông vận tải,,,31/03/2025,10,7,0,Không,\r\n"),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(",\"'=HYPERLINK(\"\"http://x.example.vn\"\")\",Sở Xây dựng,"),
            std::string::npos)
      << "a title is never a formula: " << csv.body;

  const auto summary_csv =
      leader.get("/api/v1/reports/summary?from=2025-04-01&to=2025-04-30&format=csv");
  // Done and in progress, each beside its split.
  EXPECT_NE(summary_csv.body.find("Kỳ trước chuyển sang,3,0,0,0,2,1,1,0,1,\r\n"), std::string::npos)
      << summary_csv.body;
  EXPECT_NE(summary_csv.body.find("Giao mới trong kỳ,2,1,1,0,1,0,1,0,0,\"100,0\"\r\n"),
            std::string::npos)
      << summary_csv.body;

  const auto html = leader.get("/api/v1/reports/overdue?format=html");
  EXPECT_EQ(html.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("<td>&lt;b&gt;Sửa chữa cầu Bến Thủy&lt;/b&gt; &amp; kè</td>"),
            std::string::npos)
      << html.body;
  EXPECT_EQ(html.body.find("<b>Sửa"), std::string::npos);

  // The workbook: the summary and the appendix, read back with openpyxl.
  const auto xlsx = leader.get("/api/v1/reports/summary?from=2025-04-01&to=2025-04-30&format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.headers.at("content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const std::string book = dir.file("bao-cao.xlsx");
  std::ofstream(book, std::ios::binary) << xlsx.body;
  const json sheets = json::parse(python_output("read_xlsx.py", book));
  ASSERT_TRUE(sheets.contains("Tổng hợp")) << sheets.dump();
  ASSERT_TRUE(sheets.contains("Nhiệm vụ quá hạn")) << sheets.dump();
  bool found_new = false;
  for (const auto& row : sheets.at("Tổng hợp")) {
    if (!row.empty() && row.at(0) == "Giao mới trong kỳ") {
      EXPECT_EQ(row, (json{"Giao mới trong kỳ", 2, 1, 1, 0, 1, 0, 1, 0, 0, 100.0})) << row;
      found_new = true;
    }
  }
  EXPECT_TRUE(found_new) << sheets.at("Tổng hợp").dump();
  const auto& appendix = sheets.at("Nhiệm vụ quá hạn");
  EXPECT_EQ(appendix.at(0).at(0), "Danh mục nhiệm vụ quá hạn");
  // Dates are real dates; the leader in charge and the coordinating units are empty here.
  EXPECT_EQ(appendix.at(5),
            (json{1, "45/TB-UBND", "date:2025-03-01", kBridge, "Sở Giao thông vận tải", nullptr,
                  nullptr, "date:2025-03-31", 10, 7, 0, "Không"}))
      << appendix.dump();
  // Printed on A4 landscape, the appendix's column headings on every page, frozen below them.
  const json setup = json::parse(python_output("read_xlsx.py", book + " --setup"));
  for (const auto& [name, sheet] : setup.items()) {
    EXPECT_EQ(sheet.at("orientation"), "landscape") << name;
    EXPECT_EQ(sheet.at("paper"), 9) << name << ": A4";
  }
  EXPECT_EQ(setup.at("Nhiệm vụ quá hạn").at("title_rows"), "$5:$5") << setup.dump();
  EXPECT_EQ(setup.at("Nhiệm vụ quá hạn").at("freeze"), "A6") << setup.dump();
  EXPECT_EQ(setup.at("Tổng hợp").at("title_rows"), "$1:$2") << setup.dump();

  // Bad requests say what is wrong.
  const auto bad = leader.get("/api/v1/reports/summary?from=2025-04-31&format=pdf");
  EXPECT_EQ(bad.status, 400);
  const json problem = json::parse(bad.body);
  std::set<std::string> fields;
  for (const auto& e : problem.at("errors")) {
    fields.insert(e.at("field").get<std::string>());
  }
  EXPECT_EQ(fields, (std::set<std::string>{"from", "to", "format"})) << bad.body;
  // The JSON list may be cut to the longest overdue; the total still counts them all.
  const json first =
      json::parse(leader.get("/api/v1/reports/overdue?as_of=2025-04-10&limit=1").body);
  ASSERT_EQ(first.at("items").size(), 1u) << first.dump();
  const json whole = json::parse(leader.get("/api/v1/reports/overdue?as_of=2025-04-10").body);
  EXPECT_EQ(first.at("total"), whole.at("total"));
  EXPECT_EQ(first.at("items").at(0), whole.at("items").at(0));
  EXPECT_EQ(leader.get("/api/v1/reports/overdue?limit=1&format=csv").status, 400);
  EXPECT_EQ(leader.get("/api/v1/reports/overdue?limit=0").status, 400);

  // A unit user reads the overdue list confined to the tasks its unit leads.
  HttpClient unit(d.base_url(), d.token_for("cv.sgtvt", "unit", "SGTVT"));
  const auto own = unit.get("/api/v1/reports/overdue?as_of=2025-04-10");
  ASSERT_EQ(own.status, 200) << own.body;
  const json all_overdue = json::parse(leader.get("/api/v1/reports/overdue?as_of=2025-04-10").body);
  const json own_overdue = json::parse(own.body);
  const json sgtvt = json::parse(leader.get("/api/v1/units?q=SGTVT").body).at("items").at(0);
  std::size_t led = 0;
  for (const auto& item : all_overdue.at("items")) {
    led += item.at("lead_unit_id") == sgtvt.at("id") ? 1 : 0;
  }
  EXPECT_GT(led, 0u) << all_overdue.dump();
  EXPECT_EQ(own_overdue.at("items").size(), led) << own.body;
  for (const auto& item : own_overdue.at("items")) {
    EXPECT_EQ(item.at("lead_unit_id"), sgtvt.at("id")) << own.body;
  }
  const std::string api_csv =
      leader.get("/api/v1/reports/summary?from=2025-04-01&to=2025-04-30&format=csv").body;
  EXPECT_EQ(d.stop(), 0);

  // The command line writes the same file from the database.
  std::string out;
  const std::string file = dir.file("bao-cao.csv");
  ASSERT_EQ(run_dondocd("report summary --config " + d.config_path() +
                            " --from 2025-04-01 --to 2025-04-30 --as-of 2025-04-10 --format csv "
                            "-o " +
                            file,
                        out),
            0)
      << out;
  std::ifstream in(file, std::ios::binary);
  std::stringstream written;
  written << in.rdbuf();
  EXPECT_EQ(written.str(), api_csv);
  EXPECT_EQ(run_dondocd("report overdue --config " + d.config_path() + " --as-of 2025-02-30", out),
            64);
  EXPECT_NE(out.find("--as-of: '2025-02-30' is not a date (YYYY-MM-DD)"), std::string::npos) << out;
}

// A unit's deadlines as a calendar that Outlook or Thunderbird subscribes to by URL, the token
// in the URL: one event per open task, moved (same UID, higher SEQUENCE) when the deadline moves;
// a revoked token stops it; the token never reaches the log.
TEST(Reports, DeadlineCalendarFeed) {
  TempDir dir;
  Daemon d(dir.path().string(),
           "log:\n  level: info\nweb:\n  base_url: https://dondoc.example.vn\n");
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-10T09:00:00+07:00");
  populate(d);
  const std::string leader_token = d.token_for("chutich", "leader");
  HttpClient anonymous(d.base_url(), "");
  const std::string feed = "/api/v1/units/2/deadlines.ics?token=" + leader_token;
  auto r = anonymous.get(feed);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.at("content-type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(r.body.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0u) << r.body;
  auto count = [](const std::string& body, const std::string& what) {
    std::size_t n = 0;
    for (auto at = body.find(what); at != std::string::npos; at = body.find(what, at + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count(r.body, "BEGIN:VEVENT\r\n"), 2u) << "tasks 2 and 3, both open, led by Sở XD";
  EXPECT_NE(r.body.find("UID:task-2@dondoc.example.vn\r\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("DTSTART;VALUE=DATE:20250430\r\nDTEND;VALUE=DATE:20250501\r\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("SUMMARY:[Hạn] =HYPERLINK(\"http://x.example.vn\")\r\n"), std::string::npos)
      << r.body;

  // An independent parser reads the same: the events, their dates, the Vietnamese text.
  const std::string ics_file = dir.file("lich.ics");
  std::ofstream(ics_file, std::ios::binary) << r.body;
  const json cal = json::parse(python_output("read_ics.py", ics_file));
  EXPECT_EQ(cal.at("name"), "Hạn xử lý nhiệm vụ — Sở Xây dựng");
  ASSERT_EQ(cal.at("events").size(), 2u) << cal.dump();
  const json& quy_hoach = cal.at("events")[0];
  EXPECT_EQ(quy_hoach.at("uid"), "task-2@dondoc.example.vn");
  EXPECT_EQ(quy_hoach.at("start"), "2025-04-30");
  EXPECT_EQ(quy_hoach.at("end"), "2025-05-01");
  EXPECT_EQ(quy_hoach.at("summary"), "[Hạn] Quy hoạch khu đô thị mới");
  EXPECT_EQ(quy_hoach.at("description"),
            "Văn bản giao: 45/TB-UBND ngày 01/03/2025\nĐơn vị chủ trì: Sở Xây dựng\nVai trò của "
            "đơn vị: chủ trì\nThời hạn: 30/04/2025\nXem chi tiết: "
            "https://dondoc.example.vn/tasks/2");
  EXPECT_EQ(quy_hoach.at("url"), "https://dondoc.example.vn/tasks/2");

  // The deadline moves: the same event, a later date, a higher sequence.
  HttpClient office(d.base_url(), d.office_token());
  ASSERT_EQ(
      office
          .request(
              "PATCH", "/api/v1/tasks/2",
              R"({"due_on":"2025-05-15","note":"Theo kết luận của Chủ tịch UBND tỉnh","decision_ref":"120/TB-UBND"})",
              {"If-Match: *", "Content-Type: application/json"})
          .status,
      200);
  r = anonymous.get(feed);
  EXPECT_NE(r.body.find("UID:task-2@dondoc.example.vn\r\n"), std::string::npos);
  EXPECT_NE(r.body.find("SEQUENCE:2\r\nDTSTART;VALUE=DATE:20250515\r\n"), std::string::npos)
      << r.body;

  // A unit reads its own calendar only; without a token, or with a revoked one, nothing.
  const std::string unit_token = d.token_for("cv.sgtvt", "unit", "SGTVT");
  EXPECT_EQ(anonymous.get("/api/v1/units/1/deadlines.ics?token=" + unit_token).status, 200);
  EXPECT_EQ(anonymous.get("/api/v1/units/2/deadlines.ics?token=" + unit_token).status, 403);
  EXPECT_EQ(anonymous.get("/api/v1/units/2/deadlines.ics").status, 401);
  EXPECT_EQ(anonymous.get("/api/v1/units/2?token=" + leader_token).status, 401)
      << "only the calendar takes a token in its URL";
  const std::string token_id = leader_token.substr(4, leader_token.find('_', 4) - 4);
  HttpClient admin(d.base_url(), d.admin_token());
  ASSERT_EQ(admin.post_json("/api/v1/tokens/" + token_id + "/revoke", "{}").status, 200);
  EXPECT_EQ(anonymous.get(feed).status, 401);
  EXPECT_EQ(d.stop(), 0);
  const std::string secret = leader_token.substr(leader_token.find('_', 4) + 1);
  EXPECT_EQ(d.log().find(secret), std::string::npos) << "the token is not in the log";
  EXPECT_NE(d.log().find("deadlines.ics?token=***"), std::string::npos) << d.log();
}

// A rename through the API stays in the unit's history, with the decision that made it.
TEST(Reports, AUnitsHistoryKeepsItsOldName) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\n");
  d.admin_token();
  d.start();
  HttpClient admin(d.base_url(), d.admin_token());
  ASSERT_EQ(admin
                .post_json("/api/v1/units", json{{"code", "SNNPTNT"},
                                                 {"name", "Sở Nông nghiệp và Phát triển nông thôn"},
                                                 {"kind", "department"}}
                                                .dump())
                .status,
            201);
  const auto renamed = admin.request("PATCH", "/api/v1/units/1",
                                     json{{"code", "SNNMT"},
                                          {"name", "Sở Nông nghiệp và Môi trường"},
                                          {"note", "Quyết định 05/QĐ-UBND"}}
                                         .dump(),
                                     {"Content-Type: application/json"});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  const auto r = admin.get("/api/v1/units/1/history");
  ASSERT_EQ(r.status, 200) << r.body;
  const json items = json::parse(r.body).at("items");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("kind"), "created");
  EXPECT_EQ(items[1].at("kind"), "updated");
  EXPECT_EQ(items[1].at("note"), "Quyết định 05/QĐ-UBND");
  EXPECT_EQ(items[1].at("changes"), json::parse(R"([{"field":"code","from":"SNNPTNT","to":"SNNMT"},
                            {"field":"name","from":"Sở Nông nghiệp và Phát triển nông thôn",
                             "to":"Sở Nông nghiệp và Môi trường"}])"));
  EXPECT_EQ(admin.get("/api/v1/units/9/history").status, 404);
}
