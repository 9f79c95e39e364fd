// The extension-request workflow end to end through the real dondocd: a department asks, a
// leader decides, the deadline moves; history and audit agree; the rules and the race between
// two leaders hold; tokens never reach the database file in clear.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "daemon.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::Reply;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

// Today's date in Hanoi (UTC+7, no daylight saving), plus `days`, as the daemon computes it.
std::string hanoi_date(int days) {
  const auto t = std::chrono::system_clock::now() + std::chrono::hours(7 + 24 * days);
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

json body_of(const Reply& r) {
  return json::parse(r.body);
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Sets up two departments, their staff, two leaders and the office, on a running daemon.
struct Province {
  explicit Province(Daemon& d) : daemon(d) {
    HttpClient admin(d.base_url(), d.admin_token());
    auto unit = [&](const char* code, const char* name) {
      auto r = admin.post_json("/api/v1/units",
                               json{{"code", code}, {"name", name}, {"kind", "department"}}.dump());
      EXPECT_EQ(r.status, 201) << r.body;
      return body_of(r).at("id").get<std::int64_t>();
    };
    sgtvt = unit("SGTVT", "Sở Giao thông vận tải");
    sxd = unit("SXD", "Sở Xây dựng");
    staff_token = d.token_for("chuyenvien.sgtvt", "unit", "SGTVT");
    leader_token = d.token_for("chutich", "leader");
    deputy_token = d.token_for("phochutich", "leader");
    office_token = d.office_token();
  }

  std::int64_t task(const std::string& due_on) {
    HttpClient office(daemon.base_url(), office_token);
    auto r = office.post_json("/api/v1/tasks",
                              json{{"title", "Hoàn thành giải phóng mặt bằng đường tỉnh 254"},
                                   {"source_ref", "45/TB-UBND"},
                                   {"source_date", hanoi_date(-10)},
                                   {"assigner", "Chủ tịch UBND tỉnh"},
                                   {"lead_unit_id", sgtvt},
                                   {"coordinating_unit_ids", {sxd}},
                                   {"due_on", due_on}}
                                  .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r).at("id").get<std::int64_t>();
  }

  Daemon& daemon;
  std::int64_t sgtvt = 0;
  std::int64_t sxd = 0;
  std::string staff_token, leader_token, deputy_token, office_token;
};

}  // namespace

TEST(ExtensionWorkflow, RequestApproveRejectWithdrawAndTheLimits) {
  TempDir dir;
  Daemon d(dir.path().string(),
           "log:\n  level: warn\nextensions:\n  min_lead_working_days: 3\n  max_per_task: 2\n");
  d.start();
  Province p(d);
  HttpClient staff(d.base_url(), p.staff_token);
  HttpClient leader(d.base_url(), p.leader_token);
  HttpClient office(d.base_url(), p.office_token);
  const std::string due = hanoi_date(60);
  const auto task = p.task(due);
  const std::string task_path = "/api/v1/tasks/" + std::to_string(task);

  // The department asks, in good time.
  auto asked = staff.post_json(task_path + "/extensions",
                               json{{"proposed_due_on", hanoi_date(90)},
                                    {"reason", "Chờ phê duyệt điều chỉnh dự án của HĐND tỉnh"},
                                    {"document_ref", "125/SGTVT-KHTC"}}
                                   .dump());
  ASSERT_EQ(asked.status, 201) << asked.body;
  const json request = body_of(asked);
  EXPECT_EQ(request.at("state"), "pending");
  EXPECT_EQ(request.at("late"), false);
  EXPECT_EQ(request.at("current_due_on"), due);
  EXPECT_EQ(request.at("requested_by"), "chuyenvien.sgtvt");
  const std::string ext_path = "/api/v1/extensions/" + std::to_string(request.at("id").get<int>());
  EXPECT_EQ(asked.headers["location"], ext_path);

  // One pending request at a time; a date not later than the deadline; a reason.
  EXPECT_EQ(staff
                .post_json(task_path + "/extensions",
                           json{{"proposed_due_on", hanoi_date(95)}, {"reason", "Lần nữa"}}.dump())
                .status,
            409);
  // The office sees it among the pending requests.
  EXPECT_EQ(body_of(office.get("/api/v1/extensions?state=pending")).at("total"), 1);

  // A leader approves, with another date than proposed.
  auto approved = leader.post_json(
      ext_path + "/approve",
      json{{"due_on", hanoi_date(80)}, {"note", "Đồng ý gia hạn đến ngày đề xuất của VP"}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(body_of(approved).at("state"), "approved");
  EXPECT_EQ(body_of(approved).at("decided_by"), "chutich");
  EXPECT_EQ(body_of(approved).at("decided_due_on"), hanoi_date(80));

  const json moved = body_of(office.get(task_path));
  EXPECT_EQ(moved.at("due_on"), hanoi_date(80));
  EXPECT_EQ(moved.at("original_due_on"), due);
  EXPECT_EQ(moved.at("extension_count"), 1);

  const json history = body_of(office.get(task_path + "/history"));
  std::vector<std::string> kinds;
  for (const auto& e : history.at("items")) {
    kinds.push_back(e.at("kind"));
  }
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"created", "extension_requested", "extension_approved"}));
  const json& approval = history.at("items")[2];
  EXPECT_EQ(approval.at("actor"), "chutich");
  bool due_changed = false;
  for (const auto& c : approval.at("changes")) {
    due_changed = due_changed || (c.at("field") == "due_on" && c.at("from") == due &&
                                  c.at("to") == hanoi_date(80));
  }
  EXPECT_TRUE(due_changed) << approval.dump();

  // Deciding again is a conflict.
  EXPECT_EQ(leader.post_json(ext_path + "/reject", R"({"note":"muộn"})").status, 409);

  // A second request is rejected; the deadline stays.
  auto second = staff.post_json(
      task_path + "/extensions",
      json{{"proposed_due_on", hanoi_date(120)}, {"reason", "Vướng mắc mặt bằng"}}.dump());
  ASSERT_EQ(second.status, 201) << second.body;
  const auto second_path =
      "/api/v1/extensions/" + std::to_string(body_of(second).at("id").get<int>());
  EXPECT_EQ(leader.post_json(second_path + "/reject", "{}").status, 400) << "a note is required";
  auto rejected = leader.post_json(second_path + "/reject",
                                   R"({"note":"Đề nghị tập trung hoàn thành đúng hạn"})");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(body_of(office.get(task_path)).at("due_on"), hanoi_date(80));

  // The third would pass extensions.max_per_task = 2.
  auto third =
      staff.post_json(task_path + "/extensions",
                      json{{"proposed_due_on", hanoi_date(150)}, {"reason", "Lần thứ ba"}}.dump());
  EXPECT_EQ(third.status, 409);
  EXPECT_NE(third.body.find("max_per_task"), std::string::npos) << third.body;

  // Every step is in the audit log, by whom.
  HttpClient admin(d.base_url(), d.admin_token());
  const json audit = body_of(admin.get("/api/v1/audit?outcome=ok&limit=200"));
  std::multiset<std::string> actions;
  for (const auto& a : audit.at("items")) {
    actions.insert(a.at("actor").get<std::string>() + " " + a.at("action").get<std::string>());
  }
  EXPECT_EQ(actions.count("chuyenvien.sgtvt extension.request"), 2u);
  EXPECT_EQ(actions.count("chutich extension.approve"), 1u);
  EXPECT_EQ(actions.count("chutich extension.reject"), 1u);
  EXPECT_EQ(actions.count("office task.create"), 1u);
  EXPECT_EQ(d.stop(), 0);
}

TEST(ExtensionWorkflow, LateRequestsAreFlaggedAndWithdrawnOnesDoNotCount) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\nextensions:\n  max_per_task: 1\n");
  d.start();
  Province p(d);
  HttpClient staff(d.base_url(), p.staff_token);
  const auto task = p.task(hanoi_date(1));  // fewer than 3 working days away
  const std::string path = "/api/v1/tasks/" + std::to_string(task) + "/extensions";
  const std::string body =
      json{{"proposed_due_on", hanoi_date(30)}, {"reason", "Thiếu hồ sơ"}}.dump();
  auto late = staff.post_json(path, body);
  ASSERT_EQ(late.status, 201) << late.body;
  EXPECT_EQ(body_of(late).at("late"), true);
  auto withdrawn = staff.post_json(
      "/api/v1/extensions/" + std::to_string(body_of(late).at("id").get<int>()) + "/withdraw",
      R"({"note":"Đã bổ sung được hồ sơ"})");
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(body_of(withdrawn).at("state"), "withdrawn");
  EXPECT_EQ(staff.post_json(path, body).status, 201) << "a withdrawn request does not count";
  EXPECT_EQ(d.stop(), 0);
}

TEST(ExtensionWorkflow, LateRequestsAreRefusedWhenTheConfigSaysSo) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\nextensions:\n  late_requests: refuse\n");
  d.start();
  Province p(d);
  HttpClient staff(d.base_url(), p.staff_token);
  const auto task = p.task(hanoi_date(1));
  auto refused =
      staff.post_json("/api/v1/tasks/" + std::to_string(task) + "/extensions",
                      json{{"proposed_due_on", hanoi_date(30)}, {"reason", "Thiếu hồ sơ"}}.dump());
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("had to be filed by"), std::string::npos) << refused.body;
  EXPECT_EQ(d.stop(), 0);
}

// Two leaders decide the same request at the same moment: exactly one decision stands.
TEST(ExtensionWorkflow, ConcurrentDecisionsOneWinsTheOtherGets409) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\nextensions:\n  max_per_task: 100\n");
  d.start();
  Province p(d);
  HttpClient staff(d.base_url(), p.staff_token);
  for (int round = 0; round < 10; ++round) {
    const auto task = p.task(hanoi_date(60));
    auto asked = staff.post_json(
        "/api/v1/tasks/" + std::to_string(task) + "/extensions",
        json{{"proposed_due_on", hanoi_date(90)}, {"reason", "Chờ vốn bổ sung"}}.dump());
    ASSERT_EQ(asked.status, 201) << asked.body;
    const std::string ext =
        "/api/v1/extensions/" + std::to_string(body_of(asked).at("id").get<int>());
    long approve_status = 0;
    long reject_status = 0;
    std::thread a([&] {
      HttpClient c(d.base_url(), p.leader_token);
      approve_status = c.post_json(ext + "/approve", "{}").status;
    });
    std::thread b([&] {
      HttpClient c(d.base_url(), p.deputy_token);
      reject_status = c.post_json(ext + "/reject", R"({"note":"Không đồng ý"})").status;
    });
    a.join();
    b.join();
    EXPECT_EQ(std::set<long>({approve_status, reject_status}), (std::set<long>{200, 409}))
        << "round " << round << ": " << approve_status << ", " << reject_status;
    HttpClient office(d.base_url(), p.office_token);
    const json t = body_of(office.get("/api/v1/tasks/" + std::to_string(task)));
    EXPECT_EQ(t.at("extension_count"), approve_status == 200 ? 1 : 0);
  }
  EXPECT_EQ(d.stop(), 0);
}

TEST(Tokens, NeverStoredOrLoggedInClearAndTheAuditLogCannotBeRewritten) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: debug\n");
  d.start();
  std::vector<std::string> tokens = {d.admin_token(), d.office_token()};
  HttpClient admin(d.base_url(), tokens[0]);
  auto user =
      admin.post_json("/api/v1/users", R"({"login":"lanhdao.vp","display_name":"Chánh Văn phòng",)"
                                       R"("email":"chanhvanphong@example.vn","role":"leader"})");
  ASSERT_EQ(user.status, 201) << user.body;
  auto issued = admin.post_json(
      "/api/v1/users/" + std::to_string(body_of(user).at("id").get<int>()) + "/tokens",
      R"({"label":"máy trạm","expires_in_days":30})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  EXPECT_EQ(issued.headers["cache-control"], "no-store");
  tokens.push_back(body_of(issued).at("token"));
  for (const auto& t : tokens) {
    HttpClient c(d.base_url(), t);
    EXPECT_EQ(c.get("/api/v1/me").status, 200);
  }
  // The listing never shows a secret.
  EXPECT_EQ(admin.get("/api/v1/users/1/tokens").body.find("ddt_"), std::string::npos);
  ASSERT_EQ(d.stop(), 0);

  const std::string db = file_bytes(d.database_path()) + file_bytes(d.database_path() + "-wal");
  const std::string log = d.log();
  ASSERT_FALSE(db.empty());
  for (const auto& t : tokens) {
    ASSERT_FALSE(t.empty());
    // ddt_<id>_<secret>: the secret is base64url, which may itself hold a '_'.
    const std::string secret = t.substr(t.find('_', t.find('_') + 1) + 1);
    ASSERT_EQ(secret.size(), 43u) << t;
    EXPECT_EQ(db.find(secret), std::string::npos) << "a token secret is in the database file";
    EXPECT_EQ(log.find(secret), std::string::npos) << "a token secret is in the log";
  }

  sqlite3* conn = nullptr;
  ASSERT_EQ(sqlite3_open(d.database_path().c_str(), &conn), SQLITE_OK);
  char* error = nullptr;
  EXPECT_NE(sqlite3_exec(conn, "UPDATE audit_log SET actor = 'someone'", nullptr, nullptr, &error),
            SQLITE_OK);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("append-only"), std::string::npos) << error;
  sqlite3_free(error);
  error = nullptr;
  EXPECT_NE(sqlite3_exec(conn, "DELETE FROM audit_log", nullptr, nullptr, &error), SQLITE_OK);
  sqlite3_free(error);
  sqlite3_close(conn);
}
