// The real dondocd binary on an ephemeral loopback port with a real SQLite file, driven over
// HTTP like a client would.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "daemon.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

// Units are the admin's to register.
std::int64_t create_unit(Daemon& d, const std::string& code, const std::string& name) {
  HttpClient c(d.base_url(), d.admin_token());
  auto r = c.post_json("/api/v1/units", json{{"code", code},
                                             {"name", name},
                                             {"kind", "department"},
                                             {"emails", {"vanthu." + code + "@example.vn"}}}
                                            .dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return json::parse(r.body).at("id").get<std::int64_t>();
}

// Starts the daemon and registers one unit for the tasks a test creates.
std::int64_t start_with_unit(Daemon& d, const std::string& code, const std::string& name) {
  d.start();
  return create_unit(d, code, name);
}

json task_body(std::int64_t lead, const std::string& title) {
  return {{"title", title},
          {"source_ref", "45/TB-UBND"},
          {"source_date", "2025-02-20"},
          {"source_title", "Thông báo kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban"},
          {"assigner", "Chủ tịch UBND tỉnh"},
          {"assigned_on", "2025-02-20"},
          {"lead_unit_id", lead},
          {"deadline", {{"working_days", 10}}}};
}

// Sends raw bytes and returns whatever the server answers before closing or `ms` passing.
std::string raw_exchange(int port, const std::string& bytes, int ms = 3000) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buf[4096];
  ssize_t n = 0;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
    out.append(buf, static_cast<std::size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos && out.find("}") != std::string::npos) {
      break;
    }
  }
  ::close(fd);
  return out;
}

int port_of(const Daemon& d) {
  return std::stoi(d.base_url().substr(d.base_url().rfind(':') + 1));
}

std::string sqlite_single(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override { daemon_.start(); }
  TempDir dir_;
  Daemon daemon_{dir_.path().string(), "log:\n  level: warn\n"};
};

}  // namespace

// The README's tour: two units, a task from a source document, overdue list, completion, history.
TEST_F(DaemonTest, TourFromTheReadme) {
  HttpClient c(daemon_.base_url(), daemon_.office_token());
  const auto sxd = create_unit(daemon_, "SXD", "Sở Xây dựng");
  const auto stc = create_unit(daemon_, "STC", "Sở Tài chính");
  json body = task_body(sxd, "Hoàn thiện hồ sơ dự án đường tỉnh 254 đoạn qua xã Đăng Hà");
  body["coordinating_unit_ids"] = {stc};
  auto created = c.post_json("/api/v1/tasks", body.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const json task = json::parse(created.body);
  const auto id = task.at("id").get<std::int64_t>();
  EXPECT_EQ(created.headers["location"], "/api/v1/tasks/" + std::to_string(id));
  EXPECT_EQ(created.headers["etag"], "\"1\"");
  // 10 working days from Thursday 2025-02-20: 21, 24-28 Feb, 3-6 March.
  EXPECT_EQ(task.at("due_on"), "2025-03-06");
  EXPECT_EQ(task.at("timeliness"), "overdue");

  auto overdue = json::parse(c.get("/api/v1/tasks?timeliness=overdue").body);
  ASSERT_EQ(overdue.at("total"), 1);
  EXPECT_EQ(overdue.at("items")[0].at("id"), id);
  auto by_text = json::parse(c.get("/api/v1/tasks?q=xa%20dang%20ha").body);
  EXPECT_EQ(by_text.at("total"), 1);
  auto by_unit = json::parse(c.get("/api/v1/tasks?unit_id=" + std::to_string(stc)).body);
  EXPECT_EQ(by_unit.at("total"), 1);

  // The lead unit reports completion; the office confirms it.
  HttpClient sxd_staff(daemon_.base_url(),
                       daemon_.token_for("chuyenvien.sxd", "unit", std::to_string(sxd)));
  auto reported =
      sxd_staff.post_json("/api/v1/tasks/" + std::to_string(id) + "/report",
                          R"({"completed_on": "2025-03-10", "completion_ref": "215/BC-SXD"})");
  ASSERT_EQ(reported.status, 200) << reported.body;
  auto confirmed =
      c.post_json("/api/v1/tasks/" + std::to_string(id) + "/confirm", "", {"If-Match: \"2\""});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  const json done = json::parse(confirmed.body);
  EXPECT_EQ(done.at("state"), "done");
  EXPECT_EQ(done.at("timeliness"), "done_late");
  EXPECT_EQ(done.at("days_overdue"), 4);
  EXPECT_EQ(json::parse(c.get("/api/v1/tasks?timeliness=overdue").body).at("total"), 0);

  auto history = json::parse(c.get("/api/v1/tasks/" + std::to_string(id) + "/history").body);
  ASSERT_EQ(history.at("total"), 3);
  EXPECT_EQ(history.at("items")[0].at("kind"), "created");
  EXPECT_EQ(history.at("items")[1].at("kind"), "completion_reported");
  EXPECT_EQ(history.at("items")[2].at("kind"), "confirmed");
  EXPECT_EQ(history.at("items")[2].at("changes")[0],
            (json{{"field", "state"}, {"from", "reported"}, {"to", "done"}}));
}

TEST_F(DaemonTest, DecomposedInputIsStoredComposedAndFoundEitherWay) {
  HttpClient c(daemon_.base_url(), daemon_.office_token());
  const auto unit = create_unit(daemon_, "SGTVT", "Sở Giao thông vận tải");
  // "Phối hợp với Sở Xây dựng" typed in decomposed form: base letters followed by combining
  // circumflex, horn, acute, hook and dot below.
  const std::string title_nfd =
      "Pho\xcc\x82\xcc\x81i ho\xcc\x9b\xcc\xa3p vo\xcc\x9b\xcc\x81i So\xcc\x9b\xcc\x89 "
      "Xa\xcc\x82y du\xcc\x9b\xcc\xa3ng";
  auto r = c.post_json("/api/v1/tasks", task_body(unit, title_nfd).dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string stored = json::parse(r.body).at("title");
  EXPECT_EQ(stored, "Phối hợp với Sở Xây dựng");
  for (const char* q : {"so%20xay%20dung", "S%E1%BB%9F%20X%C3%A2y%20d%E1%BB%B1ng", "SO%20XAY"}) {
    auto found = json::parse(c.get(std::string("/api/v1/tasks?q=") + q).body);
    EXPECT_EQ(found.at("total"), 1) << q;
  }
}

TEST_F(DaemonTest, ErrorsAreProblemJsonNamingTheField) {
  HttpClient c(daemon_.base_url(), daemon_.office_token());
  const auto unit = create_unit(daemon_, "SNV", "Sở Nội vụ");
  auto check = [&](const dondoc::testing::Reply& r, long status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.headers.at("content-type"), "application/problem+json") << r.body;
    return json::parse(r.body);
  };
  auto malformed = check(c.post_json("/api/v1/tasks", "{\"title\": "), 400);
  EXPECT_NE(malformed.at("detail").get<std::string>().find("not valid JSON"), std::string::npos);
  check(c.post_json("/api/v1/tasks", "{\"title\": \"\xc3\x28\"}"), 400);
  json bad = task_body(unit, "x");
  bad["due_on"] = "2025-02-30";
  bad.erase("deadline");
  bad["version"] = 3;
  bad["colour"] = "red";
  auto fields = check(c.post_json("/api/v1/tasks", bad.dump()), 400);
  std::set<std::string> named;
  for (const auto& e : fields.at("errors")) {
    named.insert(e.at("field"));
  }
  EXPECT_EQ(named, (std::set<std::string>{"due_on", "version", "colour"}));
  auto missing = check(c.post_json("/api/v1/tasks", "{}"), 400);
  named.clear();
  for (const auto& e : missing.at("errors")) {
    named.insert(e.at("field"));
  }
  EXPECT_EQ(named, (std::set<std::string>{"title", "lead_unit_id"}));
  auto no_unit = check(c.post_json("/api/v1/tasks", task_body(999, "x").dump()), 400);
  EXPECT_EQ(no_unit.at("errors")[0].at("field"), "lead_unit_id");

  check(c.get("/api/v1/tasks/424242"), 404);
  check(c.get("/api/v1/nothing"), 404);
  auto not_allowed = c.request("DELETE", "/api/v1/tasks/1");
  check(not_allowed, 405);
  EXPECT_EQ(not_allowed.headers["allow"], "GET, PATCH");
  check(c.request("POST", "/api/v1/tasks", "title=x", {"Content-Type: text/plain"}), 415);
  HttpClient admin(daemon_.base_url(), daemon_.admin_token());
  check(admin.post_json("/api/v1/units", R"({"code":"SNV","name":"Trùng mã","kind":"department"})"),
        409);

  auto created = c.post_json("/api/v1/tasks", task_body(unit, "Rà soát thủ tục hành chính").dump());
  const auto path =
      "/api/v1/tasks/" + std::to_string(json::parse(created.body).at("id").get<int>());
  check(c.request("PATCH", path, R"({"title":"y"})", {"Content-Type: application/json"}), 428);
  check(c.request("PATCH", path, R"({"title":"y"})",
                  {"Content-Type: application/json", "If-Match: \"9\""}),
        412);
  auto patched = c.request("PATCH", path, R"({"title":"Rà soát, đơn giản hóa thủ tục"})",
                           {"Content-Type: application/json", "If-Match: \"1\""});
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.headers["etag"], "\"2\"");
  check(c.post_json(path + "/resume", ""), 409);
  check(c.get("/api/v1/tasks?limit=100000"), 400);
  check(c.get("/api/v1/tasks?timelines=overdue"), 400);
}

TEST_F(DaemonTest, OversizedBodyIsRefusedBeforeItIsRead) {
  // Only the header is sent; the 413 must come back without the server waiting for the body.
  const std::string reply =
      raw_exchange(port_of(daemon_),
                   "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: 50000000\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
  EXPECT_NE(reply.find("application/problem+json"), std::string::npos);
}

TEST_F(DaemonTest, OversizedHeaderGets431) {
  const std::string reply = raw_exchange(
      port_of(daemon_),
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(40000, 'a') + "\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 431", 0), 0u) << reply.substr(0, 200);
}

TEST_F(DaemonTest, HealthzSaysSchemaAndDurability) {
  HttpClient c(daemon_.base_url(), daemon_.office_token());
  auto h = json::parse(c.get("/healthz").body);
  EXPECT_EQ(h.at("status"), "ok");
  EXPECT_EQ(h.at("schema_version"), 18);
  EXPECT_EQ(h.at("durability"), "full");
}

TEST_F(DaemonTest, PaginationWalksEveryTaskOnceInOrder) {
  HttpClient c(daemon_.base_url(), daemon_.office_token());
  const auto unit = create_unit(daemon_, "SYT", "Sở Y tế");
  for (int i = 0; i < 25; ++i) {
    json b = task_body(unit, "Nhiệm vụ số " + std::to_string(i));
    b.erase("deadline");
    b["due_on"] = "2025-0" + std::to_string(3 + i % 5) + "-1" + std::to_string(i % 10);
    ASSERT_EQ(c.post_json("/api/v1/tasks", b.dump()).status, 201);
  }
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto r = json::parse(
        c.get("/api/v1/tasks?sort=-due_on&limit=7" + (cursor.empty() ? "" : "&cursor=" + cursor))
            .body);
    EXPECT_EQ(r.at("total"), 25);
    for (const auto& t : r.at("items")) {
      seen.push_back(t.at("due_on").get<std::string>() + "#" +
                     std::to_string(t.at("id").get<int>()));
    }
    if (r.at("next").is_null()) {
      break;
    }
    cursor = r.at("next");
  }
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end(), [](const auto& a, const auto& b) {
    return a.substr(0, 10) > b.substr(0, 10);
  }));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u);
}

TEST(DaemonLifecycle, SigtermFinishesInFlightWritesAndExitsZeroWithinFiveSeconds) {
  TempDir dir;
  // Load from one token: the per-token rate limit is not what this test is about.
  Daemon d(dir.path().string(), "log:\n  level: warn\nauth:\n  rate_limit_per_minute: 0\n");
  const auto unit = start_with_unit(d, "SCT", "Sở Công Thương");
  const std::string token = d.office_token();
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::mutex m;
  std::vector<std::int64_t> created;
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      HttpClient c(d.base_url(), token);
      while (!stop) {
        auto r = c.post_json("/api/v1/tasks", task_body(unit, "Báo cáo tình hình").dump());
        if (r.status == 201) {
          std::lock_guard lock(m);
          created.push_back(json::parse(r.body).at("id"));
          ++ok;
        } else if (r.status != 503 && r.status != 0) {
          ADD_FAILURE() << "unexpected " << r.status << " " << r.body;
        }
        if (r.status != 201) {
          break;
        }
      }
    });
  }
  while (ok < 50) {
    std::this_thread::yield();
  }
  const auto t0 = std::chrono::steady_clock::now();
  const int status = d.stop();
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  stop = true;
  for (auto& t : clients) {
    t.join();
  }
  EXPECT_EQ(status, 0) << d.log();
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  d.start();
  HttpClient c(d.base_url(), d.office_token());
  for (auto id : created) {
    EXPECT_EQ(c.get("/api/v1/tasks/" + std::to_string(id)).status, 200) << id;
  }
  EXPECT_EQ(d.stop(), 0);
}

// 64 clients create tasks; the daemon is killed with SIGKILL mid-way. Every task that was
// acknowledged with 201 must be there after restart, and the database must be intact.
TEST(DaemonCrash, EveryAcknowledgedTaskSurvivesKillNine) {
  TempDir dir;
  // Load from one token: the per-token rate limit is not what this test is about.
  Daemon d(dir.path().string(), "log:\n  level: warn\nauth:\n  rate_limit_per_minute: 0\n");
  const auto unit = start_with_unit(d, "SKHDT", "Sở Kế hoạch và Đầu tư");
  const std::string token = d.office_token();
  std::atomic<int> acknowledged{0};
  std::mutex m;
  std::vector<std::int64_t> ids;
  std::vector<std::thread> clients;
  for (int i = 0; i < 64; ++i) {
    clients.emplace_back([&, i] {
      HttpClient c(d.base_url(), token);
      c.set_timeout_ms(5000);
      for (int n = 0; n < 1000; ++n) {
        auto r = c.post_json(
            "/api/v1/tasks",
            task_body(unit, "Nhiệm vụ " + std::to_string(i) + "-" + std::to_string(n)).dump());
        if (r.status != 201) {
          return;  // the daemon is gone
        }
        std::lock_guard lock(m);
        ids.push_back(json::parse(r.body).at("id"));
        ++acknowledged;
      }
    });
  }
  while (acknowledged < 1500) {
    std::this_thread::yield();
  }
  d.kill9();
  for (auto& t : clients) {
    t.join();
  }
  ASSERT_GE(ids.size(), 1500u);

  std::string output;
  EXPECT_EQ(dondoc::testing::run_dondocd("migrate --config " + d.config_path(), output), 0)
      << output;
  EXPECT_EQ(sqlite_single(d.database_path(), "PRAGMA integrity_check"), "ok");
  d.start();
  HttpClient c(d.base_url(), d.office_token());
  int missing = 0;
  for (auto id : ids) {
    if (c.get("/api/v1/tasks/" + std::to_string(id)).status != 200) {
      ++missing;
    }
  }
  EXPECT_EQ(missing, 0) << "of " << ids.size() << " acknowledged tasks";
  EXPECT_EQ(d.stop(), 0);
}

TEST_F(DaemonTest, UnitsCanBeListedReadAndUpdated) {
  HttpClient c(daemon_.base_url(), daemon_.office_token());
  HttpClient admin(daemon_.base_url(), daemon_.admin_token());
  const auto gtvt = create_unit(daemon_, "SGTVT", "Sở Giao thông vận tải");
  const auto sxd = create_unit(daemon_, "SXD", "Sở Xây dựng");
  auto list = json::parse(c.get("/api/v1/units?q=so%20giao%20thong").body);
  ASSERT_EQ(list.at("total"), 1);
  EXPECT_EQ(list.at("items")[0].at("code"), "SGTVT");
  EXPECT_EQ(json::parse(c.get("/api/v1/units?limit=1").body).at("next"), "1");

  const auto path = "/api/v1/units/" + std::to_string(gtvt);
  auto merged = admin.request("PATCH", path, json{{"active", false}, {"successor_id", sxd}}.dump(),
                              {"Content-Type: application/json"});
  ASSERT_EQ(merged.status, 200) << merged.body;
  auto unit = json::parse(c.get(path).body);
  EXPECT_EQ(unit.at("active"), false);
  EXPECT_EQ(unit.at("successor_id"), sxd);
  EXPECT_EQ(json::parse(c.get("/api/v1/units?active=true").body).at("total"), 1);

  // New work cannot go to a unit that was merged away; the error names its successor.
  auto refused = c.post_json("/api/v1/tasks", task_body(gtvt, "Nhiệm vụ mới").dump());
  ASSERT_EQ(refused.status, 400);
  EXPECT_NE(json::parse(refused.body)
                .at("errors")[0]
                .at("message")
                .get<std::string>()
                .find("its successor is unit " + std::to_string(sxd)),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(
      admin.request("PATCH", path, R"({"successor_id": 999})", {"Content-Type: application/json"})
          .status,
      400);
  EXPECT_EQ(
      admin.request("PATCH", path, R"({"code": "SXD"})", {"Content-Type: application/json"}).status,
      409);
}

TEST(DaemonLogging, JsonLogLinesAreJsonObjects) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  format: json\n");
  d.start();
  {
    HttpClient c(d.base_url(), d.office_token());
    c.get("/api/v1/tasks?q=%22quoted%22");
  }
  ASSERT_EQ(d.stop(), 0);
  std::istringstream lines(d.log());
  std::string line;
  int parsed = 0;
  while (std::getline(lines, line)) {
    const auto j = json::parse(line);  // throws, failing the test, if a line is not JSON
    EXPECT_TRUE(j.contains("time") && j.contains("level") && j.contains("msg")) << line;
    ++parsed;
  }
  EXPECT_GE(parsed, 4);  // starting, listening, the request, stopping
  EXPECT_NE(d.log().find("event=request method=GET"), std::string::npos);
}

// The GETs an event loop has in hand share one snapshot, begun after they all arrived. A GET sent
// after a 201, on another connection, must still find the task: here with other clients keeping
// both loops busy, so that snapshots are shared and open while the writes commit.
TEST(DaemonReads, AGetAfterACreateOnAnotherConnectionFindsTheTask) {
  TempDir dir;
  // One token for all the clients: no rate limit.
  Daemon d(dir.path().string(), "log:\n  level: warn\nauth:\n  rate_limit_per_minute: 0\n");
  const auto unit = start_with_unit(d, "SXD", "Sở Xây dựng");
  HttpClient writer(d.base_url(), d.office_token());
  const auto first = writer.post_json("/api/v1/tasks", task_body(unit, "Nhiệm vụ đầu tiên").dump());
  ASSERT_EQ(first.status, 201) << first.body;
  const auto first_id = json::parse(first.body).at("id").get<std::int64_t>();
  std::atomic<bool> done{false};
  std::atomic<int> background_failures{0};
  std::vector<std::thread> load;
  for (int i = 0; i < 6; ++i) {
    load.emplace_back([&] {
      HttpClient c(d.base_url(), d.office_token());
      while (!done) {
        if (c.get("/api/v1/tasks/" + std::to_string(first_id)).status != 200) {
          ++background_failures;
        }
      }
    });
  }
  std::vector<std::unique_ptr<HttpClient>> readers;
  for (int i = 0; i < 4; ++i) {
    readers.push_back(std::make_unique<HttpClient>(d.base_url(), d.office_token()));
  }
  int failed_creates = 0;
  int missing = 0;
  for (int i = 0; i < 300; ++i) {
    const auto created = writer.post_json(
        "/api/v1/tasks",
        task_body(unit, "Báo cáo tiến độ, nhiệm vụ số " + std::to_string(i)).dump());
    if (created.status != 201) {
      ++failed_creates;
      continue;
    }
    const auto id = json::parse(created.body).at("id").get<std::int64_t>();
    if (readers[i % readers.size()]->get("/api/v1/tasks/" + std::to_string(id)).status != 200) {
      ++missing;
    }
  }
  done = true;
  for (auto& t : load) {
    t.join();
  }
  EXPECT_EQ(failed_creates, 0);
  EXPECT_EQ(missing, 0) << "GETs sent after their task's 201 did not find it";
  EXPECT_EQ(background_failures, 0);
}
