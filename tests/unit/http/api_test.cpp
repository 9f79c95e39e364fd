// Api::handle is a pure function of the request and the services behind it: these tests call it
// directly, with an injected clock and a real SQLite file, no sockets.
#include "dondoc/http/api.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "dondoc/service/accounts.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() {
    storage::SqliteOptions o;
    o.path = dir_.file("dondoc.db");
    store_ = storage::open_sqlite_store(o);
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    api_ = std::make_unique<http::Api>(*ctx_, http::ApiInfo{"test", "Asia/Ho_Chi_Minh"});
    service::AccountService accounts(*ctx_);
    const auto system = service::Actor::system();
    for (const auto& [login, role] :
         {std::pair{"admin", domain::Role::admin}, std::pair{"office", domain::Role::office}}) {
      auto u = accounts.create_user(system, {login, login, "", role, std::nullopt});
      tokens_[login] = accounts.issue_token(system, u.id, {}).secret;
    }
  }

  // A request as `who` (a login with a token), as the office by default.
  http::Response call(const std::string& method, const std::string& target,
                      const std::string& body = "", std::map<std::string, std::string> headers = {},
                      const std::string& who = "office") {
    headers.emplace("authorization", "Bearer " + tokens_[who]);
    http::Request r;
    r.method = method;
    r.target = target;
    r.body = body;
    if (!body.empty()) {
      headers.emplace("content-type", "application/json");
    }
    r.headers = std::move(headers);
    return api_->handle(r);
  }

  static std::string header(const http::Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) {
        return v;
      }
    }
    return "";
  }

  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{dondoc::testing::at("2025-03-31T23:59:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::ServiceContext> ctx_;
  std::unique_ptr<http::Api> api_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace

// docs/api.md documents every route the router serves, and no route it does not.
TEST_F(ApiTest, DocsDescribeEveryRouteAndNoOther) {
  std::ifstream doc(DONDOC_SOURCE_DIR "/docs/api.md");
  ASSERT_TRUE(doc) << "docs/api.md is missing";
  std::set<std::string> documented;
  const std::regex heading("^### `([A-Z]+) (/[^`]*)`");
  std::string line;
  while (std::getline(doc, line)) {
    std::smatch m;
    if (std::regex_search(line, m, heading)) {
      documented.insert(m[1].str() + " " + m[2].str());
    }
  }
  std::set<std::string> served;
  for (const auto& r : api_->routes()) {
    served.insert(r.method + " " + r.pattern);
  }
  EXPECT_EQ(documented, served);
}

TEST_F(ApiTest, TimelinessIsJudgedByTheInjectedClockInLocalTime) {
  auto unit = call("POST", "/api/v1/units",
                   R"({"code":"SXD","name":"Sở Xây dựng","kind":"department"})", {}, "admin");
  ASSERT_EQ(unit.status, 201) << unit.body;
  auto created = call(
      "POST", "/api/v1/tasks",
      R"({"title":"Báo cáo quý I","lead_unit_id":1,"assigned_on":"2025-03-01","due_on":"2025-03-31"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json::parse(created.body).at("timeliness"), "due_soon");
  clock_.advance(1min);  // 00:00 on 1 April in Hanoi
  auto later = json::parse(call("GET", "/api/v1/tasks/1").body);
  EXPECT_EQ(later.at("timeliness"), "overdue");
  EXPECT_EQ(later.at("days_overdue"), 1);
  EXPECT_EQ(json::parse(call("GET", "/api/v1/tasks?timeliness=overdue").body).at("total"), 1);
}

TEST_F(ApiTest, MethodNotAllowedListsTheAllowedOnes) {
  auto r = call("PUT", "/api/v1/units/3");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "Allow"), "GET, PATCH");
  EXPECT_EQ(header(r, "Content-Type"), "application/problem+json");
  auto body = json::parse(r.body);
  EXPECT_EQ(body.at("status"), 405);
  EXPECT_EQ(body.at("instance"), "/api/v1/units/3");
}

TEST_F(ApiTest, IdsThatAreNotPositiveIntegersAreNotResources) {
  EXPECT_EQ(call("GET", "/api/v1/tasks/abc").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/tasks/0").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/tasks/-1").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/tasks/99999999999999999999999").status, 404);
}

TEST_F(ApiTest, DeadlinePeriodAndImpossibleCombinations) {
  call("POST", "/api/v1/units", R"({"code":"STC","name":"Sở Tài chính","kind":"department"})", {},
       "admin");
  auto both = call("POST", "/api/v1/tasks",
                   R"({"title":"x","lead_unit_id":1,"due_on":"2025-04-01","deadline":{"days":3}})");
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(json::parse(both.body).at("errors")[0].at("field"), "deadline");
  auto bad_period =
      call("POST", "/api/v1/tasks", R"({"title":"x","lead_unit_id":1,"deadline":{"weeks":2}})");
  EXPECT_EQ(bad_period.status, 400);
  EXPECT_EQ(json::parse(bad_period.body).at("errors")[0].at("field"), "deadline.weeks");
  // Assigned Friday 2025-04-25: 3 working days → Mon 28, Tue 29, (30/4, 1/5 off) Fri 2 May.
  auto ok = call(
      "POST", "/api/v1/tasks",
      R"({"title":"x","lead_unit_id":1,"assigned_on":"2025-04-25","deadline":{"working_days":3}})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(json::parse(ok.body).at("due_on"), "2025-05-02");
}

TEST_F(ApiTest, QueryStringsAreDecodedAndCheckedStrictly) {
  EXPECT_EQ(call("GET", "/api/v1/tasks?q=S%E1%BB%9F+X%C3%A2y").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/tasks?q=%zz").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/tasks?limit=1&limit=2").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/tasks?due_from=2025-02-30").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/tasks?state=open,finished").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/tasks?sort=title").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/tasks?limit=0").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/tasks?state=open,done&sort=-due_on&limit=200").status, 200);
}

// Failed authentications per client address: the first `failure_burst` are each an audit entry
// and a 401; past them 429, counted, and written as one entry with the count and the span once a
// minute has passed. Another address is not limited by the first one's failures.
TEST_F(ApiTest, FailedAuthenticationsPastTheLimitAreCountedIntoOneEntry) {
  http::Api api(*ctx_, http::ApiInfo{"test", "Asia/Ho_Chi_Minh", 0, 1, 6, 3});
  auto bad = [&](const std::string& peer) {
    http::Request r;
    r.method = "GET";
    r.target = "/api/v1/tasks/" + std::string(300, '9');
    r.headers = {{"authorization", "Bearer ddt_1_wrong"}};
    r.peer = peer;
    return api.handle(r).status;
  };
  auto audit = [&] {
    return json::parse(call("GET", "/api/v1/audit?outcome=unauthorized", "", {}, "admin").body);
  };
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(bad("192.0.2.7"), 401);
  }
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(bad("192.0.2.7"), 429);
  }
  EXPECT_EQ(bad("198.51.100.4"), 401) << "another address";
  EXPECT_EQ(audit().at("total"), 4);
  clock_.advance(10s);  // one more failure allowed (6 a minute): the 40 held are written first
  EXPECT_EQ(bad("192.0.2.7"), 401);
  auto entries = audit().at("items");
  ASSERT_EQ(entries.size(), 6u) << entries.dump();
  const auto& held = entries[1];  // newest first: the attempt, then the count written before it
  EXPECT_EQ(held.at("count"), 40) << held.dump();
  EXPECT_EQ(held.at("at"), "2025-03-31T23:59:00.000+07:00");
  EXPECT_EQ(held.at("last_at"), "2025-03-31T23:59:00.000+07:00");
  EXPECT_LE(entries[0].at("detail").get<std::string>().size(), 500u) << "the path is cut";
  EXPECT_NE(entries[0].at("detail").get<std::string>().find("from 192.0.2.7"), std::string::npos);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(bad("192.0.2.7"), 429);
  }
  api.flush_held_failures(false);
  EXPECT_EQ(audit().at("total"), 6) << "held for less than a minute";
  clock_.advance(61s);
  api.flush_held_failures(false);
  EXPECT_EQ(audit().at("total"), 7);
  EXPECT_EQ(audit().at("items")[0].at("count"), 5);
}

// What a client sent never makes an answer invalid JSON, and a long value is cut.
TEST_F(ApiTest, EchoedBytesAreMadeSafe) {
  const auto r = http::problem(404, "x", std::string("/\xfb\xc3\"a b") + std::string(5000, 'p'));
  const auto body = json::parse(r.body);
  EXPECT_EQ(body.at("instance").get<std::string>().rfind("/%FB%C3%22a%20b", 0), 0u) << r.body;
  EXPECT_LE(body.at("instance").get<std::string>().size(), 260u);
  const auto bad_date = call("GET", "/api/v1/tasks?due_from=" + std::string(3000, '2'));
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_LT(bad_date.body.size(), 1000u) << "the value is quoted in part";
}
