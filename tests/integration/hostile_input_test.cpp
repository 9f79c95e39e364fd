// The real daemon against hostile and broken input (issue 12): bytes that are not UTF-8, request
// smuggling, numbers and dates out of range, floods of bad tokens, more connections than file
// descriptors, a second daemon, broken storage, stray signals. Each test failed before its fix.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "daemon.hpp"
#include "http_client.hpp"
#include "raw_socket.hpp"
#include "sql_text.hpp"
#include "temp_dir.hpp"

using dondoc::testing::alive;
using dondoc::testing::connect_to;
using dondoc::testing::count_of;
using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::port_of;
using dondoc::testing::run_dondocd;
using dondoc::testing::sql_text;
using dondoc::testing::TempDir;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// Sends `bytes` on a new connection and reads until the server closes it (or `ms` pass).
std::string exchange_until_closed(int port, const std::string& bytes, int ms = 3000) {
  const int fd = connect_to(port);
  if (fd < 0) {
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
  }
  ::close(fd);
  return out;
}

json body_of(const std::string& reply) {
  const auto at = reply.find("\r\n\r\n");
  return json::parse(at == std::string::npos ? "" : reply.substr(at + 4));
}

std::string field_of(const dondoc::testing::Reply& r) {
  const auto j = json::parse(r.body);
  return j.contains("errors") ? j["errors"][0]["field"].get<std::string>() : "";
}

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_.start();
    admin_ = daemon_.admin_token();
    office_ = daemon_.office_token();
    HttpClient a(daemon_.base_url(), admin_);
    ASSERT_EQ(
        a.post_json("/api/v1/units", R"({"code":"SXD","name":"Sở Xây dựng","kind":"department"})")
            .status,
        201);
  }
  TempDir dir_;
  Daemon daemon_{dir_.path().string(),
                 "log:\n  level: info\nhttp:\n  read_timeout_s: 1\n  idle_timeout_s: 20\n"};
  std::string admin_;
  std::string office_;
};

}  // namespace

// One unauthenticated request whose path is not UTF-8 used to abort the process.
TEST_F(HostileInput, ATargetThatIsNotUtf8IsAnsweredAndTheDaemonLives) {
  const int port = port_of(daemon_);
  for (const std::string& target :
       {std::string("/\xfb"), std::string("/api/v1/tasks/\xfb\xfe?q=\xff"),
        std::string("/api/v1/units?%ff=1"), std::string("/\xc3")}) {
    const std::string reply = exchange_until_closed(
        port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + office_ +
                  "\r\nConnection: close\r\n\r\n");
    ASSERT_EQ(reply.rfind("HTTP/1.1 4", 0), 0u) << reply;
    const json problem = body_of(reply);  // valid JSON, so valid UTF-8
    EXPECT_EQ(problem.at("instance").get<std::string>().find('\xfb'), std::string::npos);
  }
  EXPECT_TRUE(alive(daemon_));
}

// RFC 9112 §6.3: a Transfer-Encoding whose last coding is not chunked cannot be framed. It once
// ran the "body" as a second request, an admin's.
TEST_F(HostileInput, SmuggledRequestsAreRefusedAndTheConnectionClosed) {
  const int port = port_of(daemon_);
  const std::string unit = R"({"code":"LAU","name":"Đơn vị lậu","kind":"department"})";
  const std::string smuggled =
      "POST /api/v1/units HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_ +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(unit.size()) +
      "\r\n\r\n" + unit;
  for (const char* coding : {"chunked, identity", "gzip", "identity", "xchunked"}) {
    const std::string reply = exchange_until_closed(
        port, std::string("POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") +
                  coding + "\r\n\r\n" + smuggled);
    EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << coding << ": " << reply;
    EXPECT_EQ(count_of(reply, "HTTP/1.1 "), 1u) << coding << ": one answer, then closed";
  }
  EXPECT_EQ(exchange_until_closed(port,
                                  "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\n"
                                  "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
                .rfind("HTTP/1.1 501", 0),
            0u);
  EXPECT_EQ(exchange_until_closed(port, "GET /healthz HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400", 0),
            0u)
      << "no Host";
  EXPECT_EQ(exchange_until_closed(port, "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
                .rfind("HTTP/1.1 400", 0),
            0u)
      << "two Hosts";
  HttpClient a(daemon_.base_url(), admin_);
  EXPECT_EQ(json::parse(a.get("/api/v1/units?q=lau").body).at("total"), 0)
      << "the smuggled request never ran";
}

// Every bad value is a 400 naming its field, never a 500; what the log keeps is bounded.
TEST_F(HostileInput, OutOfRangeValuesAre400NamingTheField) {
  HttpClient o(daemon_.base_url(), office_);
  const std::string digits(1000000, '7');
  auto r = o.post_json("/api/v1/tasks", R"({"title":"x","lead_unit_id":)" + digits + "}");
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
  EXPECT_LT(r.body.size(), 2000u);
  r = o.post_json("/api/v1/tasks", "{\"title\":\"x\",\"lead_unit_id\":1, \xc3\xa9}");
  EXPECT_EQ(r.status, 400) << r.body;
  r = o.post_json("/api/v1/tasks", "{\"title\":\"x\",\"lead_unit_id\":1, \xc3}");
  EXPECT_EQ(r.status, 400) << r.body;
  r = o.post_json("/api/v1/tasks",
                  R"({"title":"Báo cáo cuối thế kỷ","lead_unit_id":1,"assigned_on":"2100-12-01",)"
                  R"("due_on":"2100-12-31"})");
  EXPECT_EQ(r.status, 201) << "the documented upper bound: " << r.body;
  r = o.post_json("/api/v1/tasks", R"({"title":"x","lead_unit_id":1,"assigned_on":"1980-01-01",)"
                                   R"("deadline":{"working_days":10}})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field_of(r), "assigned_on") << r.body;
  r = o.post_json("/api/v1/tasks", R"({"title":"x","lead_unit_id":1,"due_on":"9999-12-31"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field_of(r), "due_on") << r.body;
  std::string words;
  for (int i = 0; i < 1000; ++i) {
    words += "tu" + std::to_string(i) + "%20";
  }
  r = o.get("/api/v1/tasks?q=" + words);
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
  EXPECT_EQ(field_of(r), "q");
  r = o.request("POST", "/api/v1/tasks", R"({"title":"x","lead_unit_id":1})",
                {"Content-Type: application/json; charset=latin1"});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field_of(r), "Content-Type");
  r = o.request("POST", "/api/v1/tasks", R"({"title":"x"})", {"Content-Type: text/\xff\xfe"});
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_NO_THROW(json::parse(r.body));
  HttpClient a(daemon_.base_url(), admin_);
  r = a.get("/api/v1/audit?to=9999-12-31");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field_of(r), "to");
  r = o.get("/api/v1/reports/summary?from=0001-01-01&to=9999-12-31");
  EXPECT_EQ(r.status, 400) << r.body;
  const std::string csv =
      "Số ký hiệu,Nội dung nhiệm vụ,Đơn vị chủ trì,Ngày giao,Thời hạn\n"
      "46/TB-UBND,Rà soát quy hoạch,SXD,01/01/1980,10 ngày làm việc\n"
      "47/TB-UBND,Rà soát quy hoạch chung,SXD,01/01/2300,30 ngày\n";
  r = o.request("POST", "/api/v1/tasks/import", csv, {"Content-Type: text/csv"});
  EXPECT_EQ(r.status, 400) << r.body;
  const auto problems = json::parse(r.body).at("errors");
  ASSERT_GE(problems.size(), 2u) << r.body;
  EXPECT_EQ(problems[0].at("row"), 2);
  EXPECT_EQ(problems[0].at("field"), "Ngày giao");
  EXPECT_EQ(problems.back().at("row"), 3);
  EXPECT_EQ(problems.back().at("field"), "Ngày giao");
  for (const auto& p : std::filesystem::directory_iterator(dir_.path())) {
    if (p.path().filename() != "stderr.log") {
      continue;
    }
    std::ifstream log(p.path());
    std::size_t longest = 0;
    for (std::string line; std::getline(log, line);) {
      longest = std::max(longest, line.size());
    }
    EXPECT_LT(longest, 2000u) << "a log line holds a bounded excerpt of what a client sent";
  }
  EXPECT_TRUE(alive(daemon_));
}

// The calendar feed's token is hidden from the log however its name is written.
TEST_F(HostileInput, TheFeedTokenIsMaskedWhateverItsSpelling) {
  const std::string secret = "dd_" + std::string(40, 'q');
  HttpClient anonymous(daemon_.base_url());
  anonymous.get("/api/v1/units/1/deadlines.ics?%74oken=" + secret);
  anonymous.get("/api/v1/units/1/deadlines.ics?t%6Fken=" + secret + "&x=1");
  EXPECT_EQ(daemon_.log().find(secret), std::string::npos);
}

// `Expect: 100-continue` gets its refusal, not "continue", when the token is bad.
TEST_F(HostileInput, ExpectContinueWaitsForTheTokenCheck) {
  const std::string reply = exchange_until_closed(
      port_of(daemon_),
      "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer dd_bad\r\nContent-Type: "
      "application/json\r\nExpect: 100-continue\r\nContent-Length: 20\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 401", 0), 0u) << reply;
  EXPECT_EQ(reply.find("100 Continue"), std::string::npos);
}

// The header must be complete within read_timeout_s of its first byte (1 s here), not within
// the idle timeout (20 s here) that a connection waiting for a request has.
TEST_F(HostileInput, AHeaderSentSlowlyIsCutAtTheReadTimeout) {
  const int fd = connect_to(port_of(daemon_));
  ASSERT_GE(fd, 0);
  const auto t0 = Clock::now();
  const std::string line = "GET /healthz HTTP/1.1\r\nX-Slow: ";
  ::send(fd, line.data(), line.size(), MSG_NOSIGNAL);
  bool closed = false;
  while (Clock::now() - t0 < std::chrono::seconds(6)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (::send(fd, "a", 1, MSG_NOSIGNAL) < 0) {
      closed = true;
      break;
    }
    char c = 0;
    if (::recv(fd, &c, 1, MSG_DONTWAIT) == 0) {
      closed = true;
      break;
    }
  }
  ::close(fd);
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(4));
}

TEST_F(HostileInput, StraySignalsDoNotEndTheDaemon) {
  ASSERT_EQ(::kill(daemon_.pid(), SIGUSR1), 0);
  ASSERT_EQ(::kill(daemon_.pid(), SIGPIPE), 0);
  ASSERT_EQ(::kill(daemon_.pid(), SIGUSR2), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(alive(daemon_));
}

// A deactivated user's tokens are revoked: reactivating the user does not bring them back.
TEST_F(HostileInput, ReactivatingAUserDoesNotBringBackItsTokens) {
  HttpClient a(daemon_.base_url(), admin_);
  auto user =
      a.post_json("/api/v1/users",
                  R"({"login":"chuyenvien.tam","display_name":"Chuyên viên","role":"office"})");
  ASSERT_EQ(user.status, 201) << user.body;
  const auto id = std::to_string(json::parse(user.body).at("id").get<int>());
  auto issued = a.post_json("/api/v1/users/" + id + "/tokens", "{}");
  const std::string token = json::parse(issued.body).at("token");
  EXPECT_EQ(HttpClient(daemon_.base_url(), token).get("/api/v1/tasks").status, 200);
  EXPECT_EQ(a.request("PATCH", "/api/v1/users/" + id, R"({"active":false})",
                      {"Content-Type: application/json"})
                .status,
            200);
  EXPECT_EQ(a.request("PATCH", "/api/v1/users/" + id, R"({"active":true})",
                      {"Content-Type: application/json"})
                .status,
            200);
  EXPECT_EQ(HttpClient(daemon_.base_url(), token).get("/api/v1/tasks").status, 401);
  const auto tokens = json::parse(a.get("/api/v1/users/" + id + "/tokens").body);
  EXPECT_FALSE(tokens.at("items")[0].at("revoked_at").is_null()) << tokens.dump();
}

// One daemon per database file: the second would run the scheduler and deliver the outbox too.
TEST(HostileStart, ASecondDaemonOnTheSameDatabaseRefusesToStart) {
  TempDir dir;
  Daemon first(dir.path().string());
  first.start();
  std::string out;
  const auto t0 = Clock::now();
  EXPECT_EQ(run_dondocd("serve --config " + first.config_path(), out), 1) << out;
  EXPECT_NE(out.find("is already served by another dondocd (process " +
                     std::to_string(first.pid()) + ")"),
            std::string::npos)
      << out;
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(5));
  EXPECT_TRUE(alive(first));
  EXPECT_EQ(first.stop(), 0);
  Daemon again(dir.path().string());
  EXPECT_NO_THROW(again.start()) << "the lock ends with the daemon that held it";
}

// A 0-byte database is refused, not made a fresh one; a nearly full disk is told by /readyz.
TEST(HostileStart, BrokenStorageIsToldApartFromHealthy) {
  TempDir dir;
  const auto db = dir.file("dondoc.db");
  std::ofstream(db).close();
  const auto cfg = dir.file("c.yaml");
  std::ofstream(cfg) << "listen: {port: 0}\ndatabase: {path: " << db << "}\n";
  std::string out;
  EXPECT_EQ(run_dondocd("serve --config " + cfg, out), 1) << out;
  EXPECT_NE(out.find("is an empty file (0 bytes)"), std::string::npos) << out;
  EXPECT_EQ(std::filesystem::file_size(db), 0u) << "left as it was";

  // Free space asked for beyond any disk: /readyz says writes may fail, /healthz that the
  // process lives and reads; writes still go through meanwhile.
  TempDir low_dir;
  Daemon low(low_dir.path().string(), "  min_free_bytes: 1125899906842624\n");  // database.*
  low.start();
  HttpClient c(low.base_url());
  const auto ready = c.get("/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_NE(json::parse(ready.body).at("reason").get<std::string>().find("bytes are free"),
            std::string::npos)
      << ready.body;
  const auto health = c.get("/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(json::parse(health.body).at("database"), "readable");
  EXPECT_EQ(low.stop(), 0);

  TempDir fine_dir;
  Daemon fine(fine_dir.path().string());
  fine.start();
  EXPECT_EQ(HttpClient(fine.base_url()).get("/readyz").status, 200);

  // A database file that cannot be written is refused at start, not served with every write
  // failing. Root writes any file whatever its mode: as root the file is made immutable.
  EXPECT_EQ(fine.stop(), 0);
  const std::string db_file = fine.database_path();
  const bool root = ::geteuid() == 0;
  const bool locked =
      root ? std::system(("chattr +i '" + db_file + "' 2>/dev/null").c_str()) == 0
           : (std::filesystem::permissions(db_file, std::filesystem::perms::owner_read,
                                           std::filesystem::perm_options::replace),
              true);
  if (locked) {
    EXPECT_EQ(run_dondocd("serve --config " + fine.config_path(), out), 1) << out;
    EXPECT_NE(out.find(db_file), std::string::npos) << out;
    EXPECT_EQ(out.find("listening"), std::string::npos) << out;
    if (root) {
      std::system(("chattr -i '" + db_file + "'").c_str());
    }
  }
}

// The commands that work on the database without the daemon never deliver: with a mail server
// configured, what `dondocd import` queues is still queued, untried, when it has exited.
TEST(HostileStart, OfflineCommandsLeaveTheOutboxToTheDaemon) {
  TempDir dir;
  Daemon daemon(dir.path().string(), "smtp:\n  host: 127.0.0.1\n  port: 9\n");
  daemon.start();
  HttpClient admin(daemon.base_url(), daemon.admin_token());
  ASSERT_EQ(admin
                .post_json("/api/v1/units", R"({"code":"SXD","name":"Sở Xây dựng","kind":)"
                                            R"("department","emails":["vanthu.sxd@example.vn"]})")
                .status,
            201);
  ASSERT_EQ(daemon.stop(), 0);
  const auto csv = dir.file("giao-ban.csv");
  std::ofstream(csv) << "Số ký hiệu,Nội dung nhiệm vụ,Đơn vị chủ trì,Thời hạn\n"
                        "46/TB-UBND,Rà soát quy hoạch,SXD,30 ngày\n";
  std::string out;
  ASSERT_EQ(run_dondocd("import " + csv + " --config " + daemon.config_path(), out), 0) << out;
  const std::string rows =
      sql_text(daemon.database_path(), "SELECT count(*) || ' ' || max(attempts) FROM outbox");
  EXPECT_NE(rows.find(" 0"), std::string::npos) << "queued and never tried: " << rows;
  EXPECT_EQ(rows.rfind("0 ", 0), std::string::npos) << "something was queued: " << rows;
}

// The soft limit on open files is raised to the hard one at start, and the cap on connections
// kept below it.
TEST(HostileStart, TheFileLimitIsRaisedAndTheCapKeptBelowIt) {
  TempDir dir;
  Daemon daemon(dir.path().string(), "log:\n  level: info\n");
  daemon.set_open_files_limit(1024, 2048);
  daemon.start();
  EXPECT_NE(daemon.log().find("max_connections=1984 "), std::string::npos)
      << "raised from 1,024 to 2,048 descriptors, less 64 kept for the database, mail and "
         "webhooks:\n"
      << daemon.log();
}
