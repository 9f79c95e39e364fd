// Reminders end to end: the real dondocd on a simulated clock, its scheduler and outbox, and a
// real SMTP server (python3-aiosmtpd) that writes what it receives to files; the messages are
// read back with Python's own email package.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
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

// The SMTP server, started and stopped by its PID.
class SmtpSink {
 public:
  // `mode`: "none", or "starttls" or "tls" with a self-signed certificate in DIR/ca.pem and
  // AUTH required (see smtp_sink.py).
  SmtpSink(std::string dir, int port = 0, const std::string& mode = "none")
      : dir_(std::move(dir)), server_(make_server(dir_, port, mode)) {}
  int port() const { return server_.port(); }

  // One line per message received, as tests/support/read_mail.py prints them.
  std::vector<std::string> messages() const {
    std::vector<std::string> lines;
    std::istringstream in(dondoc::testing::python_output("read_mail.py", dir_));
    for (std::string l; std::getline(in, l);) {
      lines.push_back(l);
    }
    return lines;
  }
  // Every message: {"subject", "to", "body"}, decoded by Python's email package.
  std::vector<json> decoded() const {
    std::vector<json> out;
    std::istringstream in(dondoc::testing::python_output("read_mail.py", dir_ + " --json"));
    for (std::string l; std::getline(in, l);) {
      out.push_back(json::parse(l));
    }
    return out;
  }
  std::size_t count() const {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      n += e.path().extension() == ".eml" ? 1 : 0;
    }
    return n;
  }
  // Waits (real time) until at least `n` messages arrived.
  bool wait_for(std::size_t n, std::chrono::seconds patience) const {
    const auto until = std::chrono::steady_clock::now() + patience;
    while (count() < n) {
      if (std::chrono::steady_clock::now() > until) {
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
  }

  // One line per message: {"encrypted": bool, "login": name or null}.
  std::vector<json> sessions() const {
    std::vector<json> out;
    std::ifstream in(dir_ + "/sessions.jsonl");
    for (std::string line; std::getline(in, line);) {
      out.push_back(json::parse(line));
    }
    return out;
  }

 private:
  static dondoc::testing::PythonServer make_server(const std::string& dir, int port,
                                                   const std::string& mode) {
    std::filesystem::create_directories(dir);
    return dondoc::testing::PythonServer("smtp_sink.py", {dir, std::to_string(port), mode});
  }

  std::string dir_;
  dondoc::testing::PythonServer server_;
};

std::string field(const std::string& line, int index) {
  std::istringstream in(line);
  std::string f;
  for (int i = 0; i <= index; ++i) {
    std::getline(in, f, '\t');
  }
  return f;
}

// POSTs `body` to `path` and returns what was created (a 201 is expected).
json created(HttpClient& client, const std::string& path, const json& body) {
  const auto r = client.post_json(path, body.dump());
  EXPECT_EQ(r.status, 201) << path << ": " << r.body;
  return r.status == 201 ? json::parse(r.body) : json{{"id", 0}, {"leader_id", nullptr}};
}

// `smtp_lines`: more keys of the smtp section, each "  key: value\n".
std::string smtp_config(int port, const std::string& smtp_lines = "") {
  return "log:\n  level: warn\nsmtp:\n  host: 127.0.0.1\n  port: " + std::to_string(port) +
         "\n  from_address: dondoc@ubnd.example.vn\n  retry_initial_s: 1\n  retry_max_s: 2\n" +
         smtp_lines + "web:\n  base_url: https://dondoc.example.vn\n";
}

void register_task(Daemon& d, const std::string& due, const std::string& priority = "normal") {
  HttpClient admin(d.base_url(), d.admin_token());
  auto unit = admin.post_json("/api/v1/units", json{{"code", "SXD"},
                                                    {"name", "Sở Xây dựng"},
                                                    {"kind", "department"},
                                                    {"emails", {"vanthu.sxd@example.vn"}}}
                                                   .dump());
  ASSERT_EQ(unit.status, 201) << unit.body;
  HttpClient office(d.base_url(), d.office_token());
  auto task = office.post_json("/api/v1/tasks",
                               json{{"title", "Hoàn thiện hồ sơ điều chỉnh dự án đường tỉnh 254"},
                                    {"source_ref", "45/TB-UBND"},
                                    {"lead_unit_id", 1},
                                    {"priority", priority},
                                    {"due_on", due}}
                                   .dump());
  ASSERT_EQ(task.status, 201) << task.body;
}

}  // namespace

// A day of simulated time per real second: the series before, on and after the deadline
// arrives by mail, each message once, with a Vietnamese subject that Python decodes.
TEST(Reminders, TheSeriesArrivesByMailOnceEachWithVietnameseSubjects) {
  TempDir dir;
  SmtpSink sink(dir.file("mail"));
  Daemon d(dir.path().string(), smtp_config(sink.port()));
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-20T07:00:00+07:00 --clock-rate 86400");  // a Sunday
  register_task(d, "2025-04-24");                                         // Thursday
  // Registered on a Sunday: the units hear of it when the office opens on Monday, with the
  // reminder 3 working days ahead (21 April); then 1 day ahead (23), on the day (24), overdue
  // (25).
  ASSERT_TRUE(sink.wait_for(5, std::chrono::seconds(20))) << sink.count() << "\n" << d.log();
  const auto mail = sink.messages();
  ASSERT_GE(mail.size(), 5u);
  const std::string title = "Hoàn thiện hồ sơ điều chỉnh dự án đường tỉnh 254";
  EXPECT_EQ(field(mail[0], 0), "[Đôn đốc] Nhiệm vụ mới được giao: " + title);
  EXPECT_EQ(field(mail[1], 0), "[Đôn đốc] Còn 3 ngày làm việc đến hạn: " + title);
  EXPECT_EQ(field(mail[2], 0), "[Đôn đốc] Còn 1 ngày làm việc đến hạn: " + title);
  EXPECT_EQ(field(mail[3], 0), "[Đôn đốc] Hôm nay là hạn hoàn thành: " + title);
  EXPECT_EQ(field(mail[4], 0), "[Đôn đốc] Quá hạn 1 ngày làm việc: " + title);
  std::set<std::string> ids;
  for (const auto& m : mail) {
    EXPECT_EQ(field(m, 2), "vanthu.sxd@example.vn");
    EXPECT_EQ(field(m, 3), "auto-generated");
    EXPECT_NE(field(m, 1).find("@ubnd.example.vn>"), std::string::npos) << m;
    EXPECT_TRUE(ids.insert(field(m, 1)).second) << "a Message-ID came twice: " << m;
  }
  EXPECT_EQ(d.stop(), 0);
}

// A new reminder earlier than anything the scheduler was waiting for wakes it: an urgent task
// due tomorrow, registered late in the evening, is reminded at midnight. The scheduler had
// planned to look next at the 07:30 digest (45 real minutes away at this rate).
TEST(Reminders, AnEarlierReminderWakesTheScheduler) {
  TempDir dir;
  SmtpSink sink(dir.file("mail"));
  Daemon d(dir.path().string(), smtp_config(sink.port()));
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-22T23:59:20+07:00 --clock-rate 10");  // Tuesday night
  register_task(d, "2025-04-23", "urgent");
  ASSERT_TRUE(sink.wait_for(2, std::chrono::seconds(20))) << sink.count() << "\n" << d.log();
  const auto mail = sink.messages();
  const std::string title = "Hoàn thiện hồ sơ điều chỉnh dự án đường tỉnh 254";
  EXPECT_EQ(field(mail[0], 0), "[Đôn đốc] Nhiệm vụ mới được giao: " + title);
  EXPECT_EQ(field(mail[1], 0), "[Đôn đốc] Hôm nay là hạn hoàn thành: " + title);
  EXPECT_EQ(d.stop(), 0);
}

// The mail server is down when the reminders fall due; once it is back every one arrives, once.
TEST(Reminders, WhileTheMailServerIsDownNothingIsLost) {
  TempDir dir;
  int port = 0;
  {
    SmtpSink probe(dir.file("probe"));  // learn a free port, then leave it closed
    port = probe.port();
  }
  Daemon d(dir.path().string(), smtp_config(port));
  d.admin_token();
  d.office_token();
  // Real time from just before the three-days-ahead reminder of a task due on Thursday.
  d.start("--clock-start 2025-04-21T07:29:59+07:00 --clock-rate 1");
  register_task(d, "2025-04-24");
  std::this_thread::sleep_for(std::chrono::seconds(4));  // real seconds: delivery fails meanwhile
  EXPECT_NE(d.log().find("event=message_failed"), std::string::npos) << d.log();
  SmtpSink sink(dir.file("mail"), port);
  // The notice of the new task and the reminder, each once.
  ASSERT_TRUE(sink.wait_for(2, std::chrono::seconds(15))) << d.log();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // would a second copy come?
  EXPECT_EQ(sink.count(), 2u);
  EXPECT_EQ(d.stop(), 0);
}

// A recipient the mail server refuses for good becomes a dead letter at once; the admin sees it
// and the counters, and can queue it again.
TEST(Reminders, RefusedMessagesAreDeadLettersThatAnAdminCanRetry) {
  TempDir dir;
  SmtpSink sink(dir.file("mail"));
  Daemon d(dir.path().string(), smtp_config(sink.port()));
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-20T07:00:00+07:00 --clock-rate 86400");
  HttpClient admin(d.base_url(), d.admin_token());
  ASSERT_EQ(admin
                .post_json("/api/v1/units",
                           json{{"code", "STC"},
                                {"name", "Sở Tài chính"},
                                {"kind", "department"},
                                {"emails", {"vanthu.stc@example.vn", "refuse.stc@example.vn"}}}
                               .dump())
                .status,
            201);
  HttpClient office(d.base_url(), d.office_token());
  ASSERT_EQ(
      office
          .post_json("/api/v1/tasks", json{{"title", "Báo cáo quyết toán vốn đầu tư công năm 2024"},
                                           {"lead_unit_id", 1},
                                           {"due_on", "2025-04-24"}}
                                          .dump())
          .status,
      201);
  ASSERT_TRUE(sink.wait_for(1, std::chrono::seconds(20))) << d.log();
  json dead;
  for (int i = 0; i < 100; ++i) {
    dead = json::parse(admin.get("/api/v1/outbox?state=dead").body);
    if (dead.at("total").get<int>() > 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(dead.at("total").get<int>(), 1) << dead.dump();
  const json letter = dead.at("items")[0];
  EXPECT_EQ(letter.at("recipient"), "refuse.stc@example.vn");
  EXPECT_EQ(letter.at("attempts"), 1);
  EXPECT_NE(letter.at("last_error").get<std::string>().find("550"), std::string::npos) << letter;
  // Each connection records its own outcomes: the message sent may be recorded a moment later.
  json stats;
  for (int i = 0; i < 100; ++i) {
    stats = json::parse(admin.get("/api/v1/outbox/stats").body);
    if (stats.at("sent").get<int>() >= 1) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(stats.at("sent").get<int>(), 1) << stats.dump();
  EXPECT_GE(stats.at("dead").get<int>(), 1);
  EXPECT_EQ(HttpClient(d.base_url(), d.office_token()).get("/api/v1/outbox").status, 403);

  const std::string retry =
      "/api/v1/outbox/" + std::to_string(letter.at("id").get<int>()) + "/retry";
  auto again = admin.post_json(retry, "");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body).at("state"), "queued");
  // Still refused: dead again, after a second attempt.
  json after;
  for (int i = 0; i < 100 && after.is_null(); ++i) {
    const json listed = json::parse(admin.get("/api/v1/outbox?state=dead&limit=200").body);
    for (const auto& m : listed.at("items")) {
      if (m.at("id") == letter.at("id") && m.at("attempts") == 2) {
        after = m;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(after.is_null());
  EXPECT_EQ(after.at("attempts"), 2) << after.dump();
  EXPECT_EQ(d.stop(), 0);
}

// Mail over STARTTLS and over implicit TLS, with AUTH: the server's certificate is checked
// against smtp.ca_file, so a wrong password or an untrusted certificate delivers nothing.
class SecureSmtp : public ::testing::TestWithParam<const char*> {};

TEST_P(SecureSmtp, MailIsEncryptedAuthenticatedAndChecked) {
  const std::string mode = GetParam();
  TempDir dir;
  SmtpSink sink(dir.file("mail"), 0, mode);
  auto config = [&](const std::string& password, bool trust) {
    return smtp_config(sink.port(),
                       "  security: " + mode + "\n  username: dondoc\n  password: " + password +
                           "\n" + (trust ? "  ca_file: " + dir.file("mail") + "/ca.pem\n" : ""));
  };
  auto outbox = [](Daemon& d) {
    HttpClient admin(d.base_url(), d.admin_token());
    json list;
    for (int i = 0; i < 100; ++i) {
      list = json::parse(admin.get("/api/v1/outbox").body);
      if (!list.at("items").empty() && list.at("items")[0].at("attempts") > 0) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return list.at("items").at(0);
  };
  {
    Daemon wrong(dir.file("wrong-password"), config("sai-mat-khau", true));
    wrong.start("--clock-start 2025-04-21T09:00:00+07:00");
    register_task(wrong, "2025-05-30");
    const json m = outbox(wrong);
    EXPECT_EQ(m.at("state"), "queued") << m;
    EXPECT_NE(m.at("last_error").get<std::string>().find("Login denied"), std::string::npos) << m;
    EXPECT_EQ(wrong.stop(), 0);
  }
  {
    Daemon untrusting(dir.file("untrusted"), config("mat-khau-thu-nghiem", false));
    untrusting.start("--clock-start 2025-04-21T09:00:00+07:00");
    register_task(untrusting, "2025-05-30");
    const json m = outbox(untrusting);
    EXPECT_EQ(m.at("state"), "queued") << m;
    EXPECT_NE(m.at("last_error").get<std::string>().find("certificate"), std::string::npos) << m;
    EXPECT_EQ(untrusting.stop(), 0);
  }
  EXPECT_EQ(sink.count(), 0u);
  Daemon d(dir.file("right"), config("mat-khau-thu-nghiem", true));
  d.start("--clock-start 2025-04-21T09:00:00+07:00");
  register_task(d, "2025-05-30");
  ASSERT_TRUE(sink.wait_for(1, std::chrono::seconds(15))) << d.log();
  const auto mail = sink.messages();
  EXPECT_EQ(field(mail.at(0), 0),
            "[Đôn đốc] Nhiệm vụ mới được giao: Hoàn thiện hồ sơ điều chỉnh dự án đường tỉnh 254");
  const auto sessions = sink.sessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_TRUE(sessions[0].at("encrypted").get<bool>());
  EXPECT_EQ(sessions[0].at("login"), "dondoc");
  EXPECT_EQ(d.stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(Reminders, SecureSmtp, ::testing::Values("starttls", "tls"));

// A burst of 1,000 messages; the daemon is killed with SIGKILL while sending them and started
// again. Every message arrives; a few sent just before the kill may come twice, always with the
// same Message-ID, so the receiver can drop the copy.
TEST(Reminders, KillNineDuringABurstLosesNothing) {
  TempDir dir;
  int port = 0;
  {
    SmtpSink probe(dir.file("probe"));  // learn a free port; the server opens on it later
    port = probe.port();
  }
  Daemon d(dir.path().string(), smtp_config(port) + "auth:\n  rate_limit_per_minute: 0\n");
  const std::string office_token = d.office_token();
  d.admin_token();
  const std::string clock = "--clock-start 2025-04-21T09:00:00+07:00 --clock-rate 1";
  d.start(clock);
  HttpClient admin(d.base_url(), d.admin_token());
  ASSERT_EQ(admin
                .post_json("/api/v1/units", json{{"code", "SNNPTNT"},
                                                 {"name", "Sở Nông nghiệp và Môi trường"},
                                                 {"kind", "department"},
                                                 {"emails", {"vanthu.snn@example.vn"}}}
                                                .dump())
                .status,
            201);
  constexpr int kTasks = 1000;
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      HttpClient office(d.base_url(), office_token);
      for (int i = c; i < kTasks; i += 8) {
        auto r = office.post_json("/api/v1/tasks",
                                  json{{"title", "Rà soát hồ sơ đất đai số " + std::to_string(i)},
                                       {"lead_unit_id", 1},
                                       {"due_on", "2025-06-30"}}
                                      .dump());
        ASSERT_EQ(r.status, 201) << r.body;
      }
    });
  }
  for (auto& t : clients) {
    t.join();
  }
  // The whole burst is queued while the mail server is down, so that the kill lands in the
  // middle of its delivery however fast registering and sending are on this machine.
  SmtpSink sink(dir.file("mail"), port);
  ASSERT_TRUE(sink.wait_for(150, std::chrono::seconds(30))) << d.log();
  d.kill9();
  const std::size_t before_restart = sink.count();
  EXPECT_LT(before_restart, static_cast<std::size_t>(kTasks)) << "the kill came too late to test";
  d.start(clock);
  // Until the outbox says every message was sent: the server wrote each one before it said 250,
  // and the daemon recorded it after. (Counting files is not enough: copies sent again after the
  // kill count too, and a message failed before the kill may still be waiting for its retry.)
  HttpClient admin_after(d.base_url(), d.admin_token());
  json stats;
  for (int i = 0; i < 600; ++i) {
    stats = json::parse(admin_after.get("/api/v1/outbox/stats").body);
    if (stats.at("sent") == kTasks) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(stats.at("sent"), kTasks) << stats.dump();
  EXPECT_EQ(stats.at("queued"), 0);
  std::set<std::string> ids;
  std::set<std::string> subjects;
  const auto mail = sink.messages();
  for (const auto& m : mail) {
    ids.insert(field(m, 1));
    subjects.insert(field(m, 0));
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kTasks));
  EXPECT_EQ(subjects.size(), static_cast<std::size_t>(kTasks)) << "one notice per task";
  // At most one unrecorded group (10 messages) per connection (smtp.connections, 4 by
  // default) is sent again.
  EXPECT_LE(mail.size() - ids.size(), 4 * 10u) << "resent after the kill";
  EXPECT_EQ(d.stop(), 0);
}

// A pending extension request whose task moves on without a decision closes itself, says why,
// and the unit that asked hears of it by mail; a leader can no longer approve it. The three ways
// a task moves on here: the unit reports it done, its unit is merged into another, the Office
// sets its deadline directly (which needs a reason and the deciding document, and is recorded
// as an extension granted, keeping the first deadline as the original).
TEST(ExtensionRequests, AStaleRequestClosesItselfAndTheUnitThatAskedIsTold) {
  TempDir dir;
  SmtpSink sink(dir.file("mail"));
  Daemon d(dir.path().string(), smtp_config(sink.port()));
  d.admin_token();
  const std::string office_token = d.office_token();
  d.start("--clock-start 2025-04-22T09:00:00+07:00 --clock-rate 1");  // a Tuesday morning
  HttpClient admin(d.base_url(), d.admin_token());
  auto unit = [&](const char* code, const char* name, const char* email) {
    return created(admin, "/api/v1/units",
                   {{"code", code}, {"name", name}, {"kind", "department"}, {"emails", {email}}})
        .at("id")
        .get<std::int64_t>();
  };
  const auto sgtvt = unit("SGTVT", "Sở Giao thông vận tải", "vanthu.sgtvt@example.vn");
  const auto sxd = unit("SXD", "Sở Xây dựng", "vanthu.sxd@example.vn");
  const std::string sgtvt_token = d.token_for("chuyenvien.sgtvt", "unit", "SGTVT");
  const std::string sxd_token = d.token_for("chuyenvien.sxd", "unit", "SXD");
  const std::string leader_token = d.token_for("chutich", "leader");
  HttpClient office(d.base_url(), office_token);
  HttpClient leader(d.base_url(), leader_token);
  auto task = [&](const std::string& title, std::int64_t lead) {
    return std::to_string(created(office, "/api/v1/tasks",
                                  {{"title", title},
                                   {"source_ref", "45/TB-UBND"},
                                   {"source_date", "2025-04-15"},
                                   {"lead_unit_id", lead},
                                   {"due_on", "2025-06-30"}})
                              .at("id")
                              .get<std::int64_t>());
  };
  auto ask = [&](const std::string& token, const std::string& id) {
    HttpClient staff(d.base_url(), token);
    auto r =
        staff.post_json("/api/v1/tasks/" + id + "/extensions",
                        R"({"proposed_due_on":"2025-07-31","reason":"Chờ ý kiến của Bộ Xây dựng",)"
                        R"("document_ref":"125/SGTVT-KHTC"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::to_string(json::parse(r.body).at("id").get<std::int64_t>());
  };
  auto extension = [&](const std::string& id) {
    return json::parse(office.get("/api/v1/extensions/" + id).body);
  };

  // 1. Reported done while the request waits.
  const std::string reported_title = "Hoàn thành giải phóng mặt bằng đường tỉnh 254";
  const auto reported = task(reported_title, sgtvt);
  const auto first = ask(sgtvt_token, reported);
  HttpClient sgtvt_staff(d.base_url(), sgtvt_token);
  ASSERT_EQ(sgtvt_staff
                .request("POST", "/api/v1/tasks/" + reported + "/report",
                         R"({"completion_ref":"215/BC-SGTVT"})",
                         {"If-Match: *", "Content-Type: application/json"})
                .status,
            200);
  auto closed = extension(first);
  EXPECT_EQ(closed.at("state"), "closed");
  EXPECT_EQ(closed.at("closure"), "task_reported");
  EXPECT_EQ(closed.at("note"), "Tự đóng: nhiệm vụ đã được báo cáo hoàn thành");
  EXPECT_EQ(closed.at("task").at("title"), reported_title);
  EXPECT_EQ(closed.at("task").at("state"), "reported");
  auto approve = leader.post_json("/api/v1/extensions/" + first + "/approve", "{}");
  EXPECT_EQ(approve.status, 409) << approve.body;
  auto history = json::parse(office.get("/api/v1/tasks/" + reported + "/history").body);
  bool recorded = false;
  for (const auto& e : history.at("items")) {
    recorded = recorded ||
               (e.at("kind") == "extension_closed" &&
                e.at("note").get<std::string>().find("báo cáo hoàn thành") != std::string::npos);
  }
  EXPECT_TRUE(recorded) << history.dump(1);

  // 2. Its unit merged into another: the successor hears of it (the unit that asked is gone).
  const auto merged_task = task("Lập quy hoạch mạng lưới giao thông nông thôn", sgtvt);
  const auto second = ask(sgtvt_token, merged_task);
  auto merge =
      admin.post_json("/api/v1/units/merge", json{{"unit_ids", {sgtvt}}, {"into", sxd}}.dump());
  ASSERT_EQ(merge.status, 200) << merge.body;
  EXPECT_EQ(extension(second).at("closure"), "lead_unit_changed");

  // 3. The Office sets the deadline directly: only with a reason and the deciding document.
  const auto moved = task("Hoàn thiện hồ sơ điều chỉnh quy hoạch chung đô thị", sxd);
  const auto third = ask(sxd_token, moved);
  const std::vector<std::string> patch_headers = {"If-Match: *", "Content-Type: application/json"};
  auto bare = office.request("PATCH", "/api/v1/tasks/" + moved, R"({"due_on":"2025-07-15"})",
                             patch_headers);
  ASSERT_EQ(bare.status, 400) << bare.body;
  std::set<std::string> missing;
  const auto problem = json::parse(bare.body);
  for (const auto& e : problem.at("errors")) {
    missing.insert(e.at("field").get<std::string>());
  }
  EXPECT_EQ(missing, (std::set<std::string>{"note", "decision_ref"})) << bare.body;
  EXPECT_EQ(extension(third).at("state"), "pending") << "a refused edit changes nothing";
  auto set = office.request("PATCH", "/api/v1/tasks/" + moved,
                            R"({"due_on":"2025-07-15","note":"Theo kết luận của Chủ tịch UBND )"
                            R"(tỉnh tại cuộc họp giao ban","decision_ref":"130/TB-UBND"})",
                            patch_headers);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(json::parse(set.body).at("original_due_on"), "2025-06-30");
  EXPECT_EQ(json::parse(set.body).at("extension_count"), 1);
  EXPECT_EQ(extension(third).at("closure"), "deadline_changed");
  auto list = json::parse(office.get("/api/v1/tasks/" + moved + "/extensions").body);
  ASSERT_EQ(list.at("items").size(), 2u) << list.dump(1);
  const auto& direct = list.at("items")[list.at("items")[0].at("origin") == "office" ? 0 : 1];
  EXPECT_EQ(direct.at("origin"), "office");
  EXPECT_EQ(direct.at("state"), "approved");
  EXPECT_EQ(direct.at("document_ref"), "130/TB-UBND");
  EXPECT_EQ(direct.at("current_due_on"), "2025-06-30");
  EXPECT_EQ(direct.at("decided_due_on"), "2025-07-15");
  EXPECT_EQ(direct.at("unit_name"), "Sở Xây dựng");
  // A later extension asked and granted keeps the first deadline as the original.
  HttpClient sxd_staff(d.base_url(), sxd_token);
  auto again = sxd_staff.post_json("/api/v1/tasks/" + moved + "/extensions",
                                   R"({"proposed_due_on":"2025-08-29","reason":"Chờ thẩm định"})");
  ASSERT_EQ(again.status, 201) << again.body;
  const auto again_id = std::to_string(json::parse(again.body).at("id").get<std::int64_t>());
  ASSERT_EQ(leader.post_json("/api/v1/extensions/" + again_id + "/approve", "{}").status, 200);
  auto after = json::parse(office.get("/api/v1/tasks/" + moved).body);
  EXPECT_EQ(after.at("original_due_on"), "2025-06-30");
  EXPECT_EQ(after.at("due_on"), "2025-08-29");
  EXPECT_EQ(after.at("extension_count"), 2);

  // Nothing stale is left waiting for a leader.
  EXPECT_EQ(json::parse(leader.get("/api/v1/extensions?state=pending").body).at("total"), 0);

  // The units that asked hear of it by mail, each in its own words.
  const std::string subject = "[Đôn đốc] Đề nghị gia hạn đã tự đóng: ";
  std::map<std::string, std::string> told;  // title -> recipient
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (told.size() < 3 && std::chrono::steady_clock::now() < until) {
    told.clear();
    for (const auto& m : sink.messages()) {
      if (field(m, 0).rfind(subject, 0) == 0) {
        told[field(m, 0).substr(subject.size())] = field(m, 2);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(told[reported_title], "vanthu.sgtvt@example.vn");
  EXPECT_EQ(told["Lập quy hoạch mạng lưới giao thông nông thôn"], "vanthu.sxd@example.vn");
  EXPECT_EQ(told["Hoàn thiện hồ sơ điều chỉnh quy hoạch chung đô thị"], "vanthu.sxd@example.vn");
  EXPECT_EQ(d.stop(), 0);
}

// The leader in charge (lãnh đạo phụ trách): two Vice-Chairmen over different departments get
// disjoint daily digests, each of the tasks in their charge; the Chairman's covers every task,
// the one nobody is in charge of too. Escalations go the same way: to the leader in charge and
// the Chairman, not to every leader. A new task follows its lead unit's leader unless it names
// another; the task list and the summary filter to "my tasks".
TEST(LeaderInCharge, DigestsAndEscalationsGoToTheLeaderInChargeAndTheChairman) {
  TempDir dir;
  SmtpSink sink(dir.file("mail"));
  Daemon d(dir.path().string(),
           smtp_config(sink.port()) +
               "reminders:\n  chairman: chutich\n  escalate_after_working_days: 1\n");
  d.admin_token();
  const std::string office_token = d.office_token();
  // Sunday 20 April 2025, a simulated day a real second: the tasks are due on Tuesday, overdue
  // on Wednesday and escalated a working day later.
  d.start("--clock-start 2025-04-20T09:00:00+07:00 --clock-rate 86400");
  HttpClient admin(d.base_url(), d.admin_token());
  auto leader = [&](const char* login, const char* name) {
    return created(admin, "/api/v1/users",
                   {{"login", login},
                    {"display_name", name},
                    {"role", "leader"},
                    {"email", std::string(login) + "@example.vn"}})
        .at("id")
        .get<std::int64_t>();
  };
  leader("chutich", "Chủ tịch UBND tỉnh");
  const auto pho1 = leader("phochutich1", "Phó Chủ tịch UBND tỉnh phụ trách xây dựng");
  const auto pho2 = leader("phochutich2", "Phó Chủ tịch UBND tỉnh phụ trách kinh tế");
  auto unit = [&](const char* code, const char* name, std::optional<std::int64_t> in_charge) {
    json body = {{"code", code}, {"name", name}, {"kind", "department"}};
    if (in_charge) {
      body["leader_id"] = *in_charge;
    }
    return created(admin, "/api/v1/units", body).at("id").get<std::int64_t>();
  };
  const auto sxd = unit("SXD", "Sở Xây dựng", pho1);
  const auto stc = unit("STC", "Sở Tài chính", pho2);
  const auto syt = unit("SYT", "Sở Y tế", std::nullopt);
  HttpClient office(d.base_url(), office_token);
  auto task = [&](const std::string& title, std::int64_t lead) {
    return created(office, "/api/v1/tasks",
                   {{"title", title},
                    {"source_ref", "45/TB-UBND"},
                    {"assigned_on", "2025-04-14"},
                    {"lead_unit_id", lead},
                    {"due_on", "2025-04-22"}});
  };
  const std::string housing = "Đề xuất cơ chế hỗ trợ nhà ở xã hội";
  const std::string budget = "Rà soát dự toán ngân sách năm 2025";
  const std::string health = "Kiểm tra an toàn thực phẩm tại các chợ đầu mối";
  EXPECT_EQ(task(housing, sxd).at("leader_id"), pho1) << "the lead unit's leader in charge";
  EXPECT_EQ(task(budget, stc).at("leader_id"), pho2);
  EXPECT_TRUE(task(health, syt).at("leader_id").is_null()) << "nobody is in charge of SYT";
  // Named explicitly, a leader in charge must be a leader.
  auto wrong = office.post_json(
      "/api/v1/tasks", json{{"title", "Nhiệm vụ thử"}, {"lead_unit_id", syt}, {"leader_id", 1}}
                           // the admin
                           .dump());
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_NE(wrong.body.find("leader_id"), std::string::npos) << wrong.body;

  // "My tasks": the list and the summary filter to the leader in charge.
  const auto mine = json::parse(office.get("/api/v1/tasks?leader_id=" + std::to_string(pho1)).body);
  ASSERT_EQ(mine.at("total"), 1);
  EXPECT_EQ(mine.at("items")[0].at("title"), housing);
  const auto summary =
      json::parse(office
                      .get("/api/v1/reports/summary?from=2025-01-01&to=2025-04-21&leader_id=" +
                           std::to_string(pho2))
                      .body);
  EXPECT_EQ(summary.at("total").at("total"), 1);
  EXPECT_EQ(summary.at("by_lead_unit")[0].at("unit_id"), stc);

  // Each working day at 07:30 the digests (the last one of each reader is kept), and once the
  // tasks are a working day overdue, their escalations.
  std::map<std::string, std::string> digest;                 // recipient -> body
  std::map<std::string, std::set<std::string>> escalations;  // title -> recipients
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < until) {
    digest.clear();
    escalations.clear();
    for (const auto& m : sink.decoded()) {
      const auto subject = m.at("subject").get<std::string>();
      if (subject.find("Báo cáo lãnh đạo") != std::string::npos) {
        escalations[subject.substr(subject.rfind(": ") + 2)].insert(m.at("to"));
      } else if (subject.find("[Đôn đốc] Tổng hợp") == 0) {
        digest[m.at("to")] = m.at("body");  // files are read in order: the latest stays
      }
    }
    if (digest.size() == 3 && escalations.size() == 3) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(digest.size(), 3u) << d.log();
  auto lists = [&](const std::string& who, const std::string& title) {
    return digest.at(who + "@example.vn").find(title) != std::string::npos;
  };
  EXPECT_TRUE(lists("phochutich1", housing));
  EXPECT_FALSE(lists("phochutich1", budget));
  EXPECT_FALSE(lists("phochutich1", health)) << "the Chairman reads what nobody is in charge of";
  EXPECT_TRUE(lists("phochutich2", budget));
  EXPECT_FALSE(lists("phochutich2", housing));
  EXPECT_FALSE(lists("phochutich2", health));
  for (const auto& title : {housing, budget, health}) {
    EXPECT_TRUE(lists("chutich", title)) << title;
  }
  using Recipients = std::set<std::string>;
  EXPECT_EQ(escalations[housing], (Recipients{"phochutich1@example.vn", "chutich@example.vn"}));
  EXPECT_EQ(escalations[budget], (Recipients{"phochutich2@example.vn", "chutich@example.vn"}));
  EXPECT_EQ(escalations[health], (Recipients{"chutich@example.vn"}));
  EXPECT_EQ(d.stop(), 0);
}

// A coordinating unit's own deadline, end to end at a day per second: the real daemon reminds
// that unit alone, by mail, the working day before (Wednesday 9 April) and the working day
// after (Friday 11 April), each once; the lead unit hears only of the task itself.
TEST(Reminders, ACoordinatingUnitIsRemindedOfItsOwnDeadlineByMail) {
  TempDir dir;
  SmtpSink sink(dir.file("mail"));
  Daemon d(dir.path().string(), smtp_config(sink.port()));
  d.admin_token();
  d.office_token();
  d.start("--clock-start 2025-04-07T09:00:00+07:00 --clock-rate 86400");  // a Monday
  HttpClient admin(d.base_url(), d.admin_token());
  for (const auto& [code, name, mail] :
       {std::tuple{"SXD", "Sở Xây dựng", "vanthu.sxd@example.vn"},
        std::tuple{"STC", "Sở Tài chính", "vanthu.stc@example.vn"}}) {
    ASSERT_EQ(
        admin
            .post_json(
                "/api/v1/units",
                json{{"code", code}, {"name", name}, {"kind", "department"}, {"emails", {mail}}}
                    .dump())
            .status,
        201);
  }
  HttpClient office(d.base_url(), d.office_token());
  const json task = created(office, "/api/v1/tasks",
                            {{"title", "Rà soát quy hoạch khu đô thị mới phía Tây"},
                             {"source_ref", "45/TB-UBND"},
                             {"lead_unit_id", 1},
                             {"coordinating_unit_ids", {2}},
                             {"due_on", "2025-04-30"}});
  const std::string path = "/api/v1/tasks/" + std::to_string(task.at("id").get<int>());
  auto r = office.post_json(path + "/contributions/2/deadline", R"({"due_on":"2025-04-10"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("items")[0].at("state"), "due");
  // Two notices of the new task (one per unit), then the two reminders.
  ASSERT_TRUE(sink.wait_for(4, std::chrono::seconds(20))) << sink.count() << "\n" << d.log();
  std::this_thread::sleep_for(std::chrono::seconds(2));  // two more days: nothing else comes
  std::multiset<std::string> reminders;
  for (const auto& m : sink.decoded()) {
    if (m.at("subject").get<std::string>().find("ý kiến phối hợp") != std::string::npos) {
      reminders.insert(m.at("to").get<std::string>() + " " + m.at("subject").get<std::string>());
    }
  }
  const std::string title = "Rà soát quy hoạch khu đô thị mới phía Tây";
  EXPECT_EQ(reminders,
            (std::multiset<std::string>{
                "vanthu.stc@example.vn [Đôn đốc] Sắp đến hạn gửi ý kiến phối hợp: " + title,
                "vanthu.stc@example.vn [Đôn đốc] Quá hạn gửi ý kiến phối hợp: " + title}));
  r = office.get(path + "/contributions");
  EXPECT_EQ(json::parse(r.body).at("items")[0].at("state"), "late");
  EXPECT_EQ(json::parse(office.get(path).body).at("timeliness"), "open_on_time");
  EXPECT_EQ(d.stop(), 0);
}
