// Periodic series end to end: the real dondocd, its API, its calendar feed (read back with
// python3-icalendar) and its reminder loop making each task on its day, once, across restarts.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "daemon.hpp"
#include "http_client.hpp"
#include "python_server.hpp"
#include "temp_dir.hpp"

using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

void add_units(Daemon& d) {
  HttpClient admin(d.base_url(), d.admin_token());
  for (const auto& [code, name] :
       {std::pair{"SXD", "Sở Xây dựng"}, {"STC", "Sở Tài chính"}, {"SNV", "Sở Nội vụ"}}) {
    auto r = admin.post_json("/api/v1/units",
                             json{{"code", code}, {"name", name}, {"kind", "department"}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
  }
}

json monthly_report(int day, const std::string& on_day_off = "keep") {
  return {{"title", "Báo cáo tình hình thực hiện kế hoạch đầu tư công hằng tháng"},
          {"source_ref", "12/CT-UBND"},
          {"source_date", "2024-12-27"},
          {"lead_unit_id", 1},
          {"coordinating_unit_ids", {2}},
          {"rule", {{"frequency", "monthly"}, {"day", day}, {"on_day_off", on_day_off}}}};
}

std::vector<std::string> fields_of(const std::string& problem) {
  std::vector<std::string> out;
  const json body = json::parse(problem);
  for (const auto& e : body.at("errors")) {
    out.push_back(e.at("field").get<std::string>());
  }
  return out;
}

// The series' tasks as "index assigned_on due_on".
std::vector<std::string> tasks_of(const json& series) {
  std::vector<std::string> out;
  for (const auto& t : series.at("tasks")) {
    out.push_back(std::to_string(t.at("series_index").get<int>()) + " " +
                  t.at("assigned_on").get<std::string>() + " " + t.at("due_on").get<std::string>());
  }
  return out;
}

}  // namespace

TEST(Series, TheApiStartsChangesAndStopsASeriesAndTheFeedShowsItsDeadlines) {
  TempDir dir;
  Daemon d(dir.path().string(),
           "log:\n  level: warn\nweb:\n  base_url: https://dondoc.example.vn\nperiodic:\n"
           "  horizon_days: 10\n");
  d.admin_token();
  d.office_token();
  const std::string leader = d.token_for("chutich", "leader");
  d.start("--clock-start 2025-01-02T09:00:00+07:00");
  add_units(d);
  const std::string sxd = d.token_for("cv.sxd", "unit", "SXD");
  const std::string snv = d.token_for("cv.snv", "unit", "SNV");
  HttpClient office(d.base_url(), d.office_token());

  // Bad rules are refused, each problem named.
  json bad = monthly_report(32);
  bad["rule"]["frequency"] = "weekly";
  bad["rule"]["colour"] = "red";
  auto r = office.post_json("/api/v1/series", bad.dump());
  ASSERT_EQ(r.status, 400) << r.body;
  const auto problems = fields_of(r.body);
  for (const char* f : {"rule.frequency", "rule.day", "rule.colour"}) {
    EXPECT_NE(std::find(problems.begin(), problems.end(), f), problems.end()) << f << r.body;
  }
  json no_rule = monthly_report(20);
  no_rule.erase("rule");
  EXPECT_EQ(fields_of(office.post_json("/api/v1/series", no_rule.dump()).body),
            std::vector<std::string>{"rule"});
  EXPECT_EQ(
      HttpClient(d.base_url(), sxd).post_json("/api/v1/series", monthly_report(20).dump()).status,
      403);

  // The 20th of each month, the working day before when it is a day off: January's task is
  // made now (its day is within the 10-day horizon), the rest are planned.
  r = office.post_json("/api/v1/series", monthly_report(20, "previous").dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers.at("location"), "/api/v1/series/1");
  json series = json::parse(r.body);
  EXPECT_EQ(r.headers.at("etag"), "\"1\"");
  EXPECT_EQ(tasks_of(series), std::vector<std::string>{"1 2025-01-02 2025-01-20"});
  ASSERT_GE(series.at("upcoming").size(), 3u);
  EXPECT_EQ(series.at("upcoming")[0].at("due_on"), "2025-02-20");
  EXPECT_EQ(series.at("upcoming")[2].at("due_on"), "2025-04-18") << "20/4/2025 is a Sunday";
  const json task = series.at("tasks")[0];
  EXPECT_EQ(task.at("series_id"), 1);
  EXPECT_EQ(task.at("coordinating_unit_ids"), json::array({2}));
  EXPECT_EQ(task.at("source_ref"), "12/CT-UBND");
  const std::string task_path = "/api/v1/tasks/" + std::to_string(task.at("id").get<int>());
  EXPECT_EQ(json::parse(office.get(task_path).body).at("series_index"), 1);

  // The lead unit sees the series; a unit with no part in it does not.
  EXPECT_EQ(HttpClient(d.base_url(), sxd).get("/api/v1/series/1").status, 200);
  EXPECT_EQ(HttpClient(d.base_url(), snv).get("/api/v1/series/1").status, 404);
  EXPECT_EQ(json::parse(HttpClient(d.base_url(), snv).get("/api/v1/series").body).at("total"), 0);
  EXPECT_EQ(json::parse(office.get("/api/v1/series?state=active").body).at("total"), 1);

  // The lead unit's calendar: the task's deadline, then the planned ones.
  HttpClient anonymous(d.base_url(), "");
  r = anonymous.get("/api/v1/units/1/deadlines.ics?token=" + leader);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string ics_file = dir.file("lich.ics");
  std::ofstream(ics_file, std::ios::binary) << r.body;
  const json cal = json::parse(dondoc::testing::python_output("read_ics.py", ics_file));
  std::map<std::string, std::string> events;  // uid -> start
  for (const auto& e : cal.at("events")) {
    events[e.at("uid")] = e.at("start");
  }
  EXPECT_EQ(events["task-" + std::to_string(task.at("id").get<int>()) + "@dondoc.example.vn"],
            "2025-01-20");
  EXPECT_EQ(events["series-1-2@dondoc.example.vn"], "2025-02-20");
  EXPECT_EQ(events["series-1-4@dondoc.example.vn"], "2025-04-18");
  EXPECT_EQ(events.size(), 12u) << "the task and the 11 deadlines up to a year ahead";
  EXPECT_EQ(events["series-1-12@dondoc.example.vn"], "2025-12-19") << "20/12/2025: a Saturday";

  // A change names the version it changes and says why.
  const json rename = {{"from_task_id", task.at("id")},
                       {"title", "Báo cáo tình hình giải ngân vốn đầu tư công hằng tháng"},
                       {"note", "Theo Công văn 88/UBND-KT"}};
  EXPECT_EQ(
      office.request("PATCH", "/api/v1/series/1", rename.dump(), {"Content-Type: application/json"})
          .status,
      428);
  r = office.request("PATCH", "/api/v1/series/1", rename.dump(),
                     {"Content-Type: application/json", "If-Match: \"1\""});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(office.get(task_path).body).at("title"),
            "Báo cáo tình hình giải ngân vốn đầu tư công hằng tháng");
  EXPECT_EQ(office
                .request("PATCH", "/api/v1/series/1", rename.dump(),
                         {"Content-Type: application/json", "If-Match: \"1\""})
                .status,
            412);

  // Stopped: nothing more is planned, the feed shows only the task, which goes on.
  r = office.post_json("/api/v1/series/1/stop", R"({"note":"Đã thay bằng báo cáo quý"})");
  ASSERT_EQ(r.status, 200) << r.body;
  series = json::parse(r.body);
  EXPECT_EQ(series.at("state"), "stopped");
  EXPECT_TRUE(series.at("upcoming").empty());
  EXPECT_EQ(json::parse(office.get(task_path).body).at("state"), "open");
  r = anonymous.get("/api/v1/units/1/deadlines.ics?token=" + leader);
  EXPECT_EQ(r.body.find("UID:series-"), std::string::npos) << r.body;
  EXPECT_EQ(office.post_json("/api/v1/series/1/stop", R"({"note":"lần nữa"})").status, 409);
  EXPECT_EQ(office.get("/api/v1/series/99").status, 404);
}

// A day of simulated time per real second: the reminder loop makes February's task on 1
// February, not before; a restart makes no second one; after a month down, March's task comes
// as soon as the daemon is back.
TEST(Series, TheReminderLoopMakesEachTaskOnItsDayOnceAcrossRestarts) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\nperiodic:\n  horizon_days: 0\n");
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-01-30T09:00:00+07:00 --clock-rate 86400");
  add_units(d);
  HttpClient office(d.base_url(), d.office_token());
  auto r = office.post_json("/api/v1/series", monthly_report(10).dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(json::parse(r.body).at("tasks").empty()) << "10 January is before the series";

  auto wait_for_tasks = [&](HttpClient& client, std::size_t n) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    json s;
    do {
      s = json::parse(client.get("/api/v1/series/1").body);
      if (s.at("tasks").size() >= n) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < until);
    return s;
  };
  EXPECT_EQ(tasks_of(wait_for_tasks(office, 1)),
            std::vector<std::string>{"1 2025-02-01 2025-02-10"});
  ASSERT_EQ(d.stop(), 0);

  d.start("--clock-start 2025-02-05T09:00:00+07:00");
  HttpClient again(d.base_url(), d.office_token());
  EXPECT_EQ(tasks_of(json::parse(again.get("/api/v1/series/1").body)),
            std::vector<std::string>{"1 2025-02-01 2025-02-10"});
  ASSERT_EQ(d.stop(), 0);

  d.start("--clock-start 2025-03-03T09:00:00+07:00");
  HttpClient back(d.base_url(), d.office_token());
  EXPECT_EQ(tasks_of(wait_for_tasks(back, 2)),
            (std::vector<std::string>{"1 2025-02-01 2025-02-10", "2 2025-03-01 2025-03-10"}));
  EXPECT_EQ(json::parse(back.get("/api/v1/tasks?lead_unit_id=1").body).at("total"), 2);
}
