// Signed webhooks end to end: the real dondocd and a real HTTP receiver (Python's http.server)
// that verifies each Standard Webhooks signature with its own HMAC and fails the first tries.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

#include "daemon.hpp"
#include "http_client.hpp"
#include "python_server.hpp"
#include "temp_dir.hpp"

using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

class Receiver {
 public:
  Receiver(const std::string& dir, const std::string& secret, int fail, int failure = 500)
      : dir_(dir),
        server_("webhook_receiver.py",
                {dir, secret, std::to_string(fail), std::to_string(failure)}) {}
  int port() const { return server_.port(); }
  std::vector<json> requests() const {
    std::vector<json> out;
    std::ifstream in(dir_ + "/requests.jsonl");
    for (std::string line; std::getline(in, line);) {
      out.push_back(json::parse(line));
    }
    return out;
  }

 private:
  std::string dir_;
  dondoc::testing::PythonServer server_;
};

// Creates the unit (as the admin) that the tasks of a test are given to; its id.
int create_unit(Daemon& d, const std::string& code, const std::string& name) {
  HttpClient admin(d.base_url(), d.admin_token());
  const auto r = admin.post_json(
      "/api/v1/units", json{{"code", code}, {"name", name}, {"kind", "department"}}.dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return json::parse(r.body).at("id").get<int>();
}

// Registers a task (as the Office), which queues its "task assigned" notice.
void register_task(Daemon& d, int unit, const std::string& title) {
  HttpClient office(d.base_url(), d.office_token());
  const auto r = office.post_json(
      "/api/v1/tasks",
      json{{"title", title}, {"lead_unit_id", unit}, {"due_on", "2025-05-30"}}.dump());
  EXPECT_EQ(r.status, 201) << r.body;
}

// The outbox counters once `n` messages are dead letters (or after 10 s).
json dead_letters(Daemon& d, int n) {
  HttpClient admin(d.base_url(), d.admin_token());
  json stats;
  for (int i = 0; i < 100; ++i) {
    stats = json::parse(admin.get("/api/v1/outbox/stats").body);
    if (stats.at("dead") == n) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return stats;
}

}  // namespace

// The receiver fails three times; the fourth try is delivered, every try with the same
// webhook-id and a signature that verifies.
TEST(Webhooks, SignedAndRetriedWithTheSameIdUntilDelivered) {
  TempDir dir;
  const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  Receiver receiver(dir.path().string(), secret, 3);
  Daemon d(dir.path().string(),
           "log:\n  level: warn\nwebhooks:\n  retry_initial_s: 1\n  retry_max_s: 2\n"
           "  endpoints:\n    - name: van-phong\n      url: http://127.0.0.1:" +
               std::to_string(receiver.port()) + "/hooks/dondoc\n      secret: " + secret +
               "\n      events: [task_assigned]\n");
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-21T09:00:00+07:00 --clock-rate 10");  // a Monday morning
  HttpClient admin(d.base_url(), d.admin_token());
  ASSERT_EQ(
      admin.post_json("/api/v1/units", R"({"code":"SYT","name":"Sở Y tế","kind":"department"})")
          .status,
      201);
  HttpClient office(d.base_url(), d.office_token());
  ASSERT_EQ(office
                .post_json("/api/v1/tasks", json{{"title", "Kiểm tra an toàn thực phẩm dịp Tết"},
                                                 {"source_ref", "12/CĐ-UBND"},
                                                 {"lead_unit_id", 1},
                                                 {"due_on", "2025-05-30"}}
                                                .dump())
                .status,
            201);
  std::vector<json> seen;
  for (int i = 0; i < 200 && seen.size() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = receiver.requests();
  }
  ASSERT_EQ(seen.size(), 4u) << d.log();
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].at("status"), i < 3 ? 500 : 200);
    EXPECT_TRUE(seen[i].at("verified").get<bool>()) << seen[i];
    EXPECT_EQ(seen[i].at("webhook_id"), seen[0].at("webhook_id"));
    EXPECT_EQ(seen[i].at("webhook_id").get<std::string>().rfind("msg_", 0), 0u);
  }
  const json body = json::parse(seen[3].at("body").get<std::string>());
  EXPECT_EQ(body.at("type"), "task.task_assigned");
  EXPECT_EQ(body.at("data").at("title"), "Kiểm tra an toàn thực phẩm dịp Tết");
  EXPECT_EQ(body.at("data").at("lead_unit"), "Sở Y tế");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(receiver.requests().size(), 4u) << "delivered once, then no more";
  const json stats = json::parse(admin.get("/api/v1/outbox/stats").body);
  EXPECT_EQ(stats.at("sent"), 1);
  EXPECT_EQ(stats.at("failed_attempts"), 3);
  EXPECT_EQ(d.stop(), 0);
}

// A receiver answering 429 with Retry-After: 1 is tried again a second later, not after the
// ten minutes the backoff would wait.
TEST(Webhooks, RetryAfterIsHonoured) {
  TempDir dir;
  const std::string secret = "khoa-bi-mat-dai-it-nhat-24-byte";
  Receiver receiver(dir.path().string(), secret, 2, 429);
  Daemon d(dir.path().string(),
           "log:\n  level: warn\nwebhooks:\n  retry_initial_s: 600\n  endpoints:\n"
           "    - name: van-phong\n      url: http://127.0.0.1:" +
               std::to_string(receiver.port()) + "/hooks\n      secret: " + secret + "\n");
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-21T09:00:00+07:00");  // real time
  register_task(d, create_unit(d, "SGDDT", "Sở Giáo dục và Đào tạo"),
                "Chuẩn bị kỳ thi tốt nghiệp THPT");
  std::vector<json> seen;
  for (int i = 0; i < 100 && seen.size() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = receiver.requests();
  }
  ASSERT_EQ(seen.size(), 3u) << d.log();
  EXPECT_EQ(seen[0].at("status"), 429);
  EXPECT_EQ(seen[1].at("status"), 429);
  EXPECT_EQ(seen[2].at("status"), 200);
  EXPECT_EQ(seen[2].at("webhook_id"), seen[0].at("webhook_id"));
  // The receiver notes a request before it answers; the daemon records the answer after.
  HttpClient admin(d.base_url(), d.admin_token());
  json stats;
  for (int i = 0; i < 100; ++i) {
    stats = json::parse(admin.get("/api/v1/outbox/stats").body);
    if (stats.at("sent") == 1) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(stats.at("sent"), 1) << stats.dump();
  EXPECT_EQ(stats.at("failed_attempts"), 2) << stats.dump();
  EXPECT_EQ(d.stop(), 0);
}

// A chat room's incoming webhook gets {"text": ...}: the subject and the link, unsigned.
TEST(Webhooks, ChatFormatPostsText) {
  TempDir dir;
  Receiver receiver(dir.path().string(), "khong-dung-den-khoa-bi-mat-nay", 0);
  Daemon d(dir.path().string(),
           "log:\n  level: warn\nweb:\n  base_url: https://dondoc.example.vn\nwebhooks:\n"
           "  endpoints:\n    - name: phong-hop\n      format: chat\n      url: http://127.0.0.1:" +
               std::to_string(receiver.port()) + "/hooks/chat\n");
  d.start("--clock-start 2025-04-21T09:00:00+07:00");
  register_task(d, create_unit(d, "SNV", "Sở Nội vụ"), "Sắp xếp tổ chức bộ máy sau sáp nhập");
  std::vector<json> seen;
  for (int i = 0; i < 100 && seen.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    seen = receiver.requests();
  }
  ASSERT_EQ(seen.size(), 1u) << d.log();
  EXPECT_EQ(seen[0].at("webhook_id"), "") << "chat messages are not signed";
  EXPECT_EQ(json::parse(seen[0].at("body").get<std::string>()),
            (json{{"text",
                   "[Đôn đốc] Nhiệm vụ mới được giao: Sắp xếp tổ chức bộ máy sau sáp nhập\n"
                   "https://dondoc.example.vn/tasks/1"}}));
  EXPECT_EQ(d.stop(), 0);
}

// An endpoint that answers 410 Gone is never called again: the message is a dead letter, and so
// is every later one for that endpoint, without a request.
TEST(Webhooks, GoneEndpointsAreDisabled) {
  TempDir dir;
  const std::string secret = "khoa-bi-mat-dai-it-nhat-24-byte";
  Receiver receiver(dir.path().string(), secret, 1000, 410);
  Daemon d(dir.path().string(),
           "log:\n  level: warn\nwebhooks:\n  endpoints:\n    - name: cu\n      url: "
           "http://127.0.0.1:" +
               std::to_string(receiver.port()) + "/old\n      secret: " + secret + "\n");
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-21T09:00:00+07:00 --clock-rate 10");
  const int unit = create_unit(d, "SCT", "Sở Công Thương");
  register_task(d, unit, "Báo cáo thị trường tháng 4");
  register_task(d, unit, "Báo cáo thị trường tháng 5");
  json stats = dead_letters(d, 2);
  EXPECT_EQ(stats.at("dead"), 2) << stats.dump() << d.log();
  EXPECT_EQ(receiver.requests().size(), 1u) << "called once, then disabled";
  EXPECT_NE(d.log().find("event=webhook_disabled endpoint=cu"), std::string::npos) << d.log();
  ASSERT_EQ(stats.at("disabled_webhooks").size(), 1u) << stats.dump();
  EXPECT_EQ(stats.at("disabled_webhooks")[0].at("name"), "cu");
  // It stays disabled after a restart with the same URL.
  EXPECT_EQ(d.stop(), 0);
  d.start("--clock-start 2025-04-21T09:00:00+07:00 --clock-rate 10");
  register_task(d, unit, "Báo cáo thị trường sau khởi động lại");
  stats = dead_letters(d, 3);
  EXPECT_EQ(stats.at("dead"), 3) << stats.dump() << d.log();
  EXPECT_EQ(receiver.requests().size(), 1u) << "not called again after the restart";
  EXPECT_EQ(d.stop(), 0);
}

// Stopping the daemon does not wait for a receiver that never answers: the post in flight is
// abandoned, and the message stays queued to be sent after a restart.
TEST(Webhooks, StoppingAbandonsAPostThatHangs) {
  TempDir dir;
  const std::string secret = "khoa-bi-mat-dai-it-nhat-24-byte";
  Receiver receiver(dir.path().string(), secret, 1000, 0);
  Daemon d(dir.path().string(),
           "log:\n  level: warn\nwebhooks:\n  timeout_s: 600\n  endpoints:\n    - name: treo\n"
           "      url: http://127.0.0.1:" +
               std::to_string(receiver.port()) + "/hooks\n      secret: " + secret + "\n");
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-21T09:00:00+07:00");
  register_task(d, create_unit(d, "STC", "Sở Tài chính"), "Thẩm định dự toán ngân sách 2026");
  for (int i = 0; i < 100 && receiver.requests().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(receiver.requests().size(), 1u) << d.log();
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(d.stop(std::chrono::milliseconds(5000)), 0) << d.log();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  SQLite::Database db(d.database_path());
  SQLite::Statement q(db, "SELECT state FROM outbox");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), "queued");
}
