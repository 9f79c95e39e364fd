// The API remembers the actors of the tokens it has checked, so that a request does not read its
// token and its user again. These tests show what must still hold: an account changed by another
// process (the command line) or through the API is obeyed on the very next request, a write
// included, and a refused write changes nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dondoc/http/api.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A store, its services and (for the API) the Api, on the database file of the test.
struct Process {
  Process(const std::string& path, domain::Clock& clock, const domain::TimeZone& zone,
          const domain::WorkingCalendar& calendar)
      : store(open(path)),
        ctx(service::ServiceContext{*store, clock, zone, calendar, domain::ClassifyPolicy{}, 50,
                                    200}),
        accounts(ctx) {}

  static std::unique_ptr<storage::Store> open(const std::string& path) {
    storage::SqliteOptions o;
    o.path = path;
    o.synchronous_full = false;
    return storage::open_sqlite_store(o);
  }

  std::unique_ptr<storage::Store> store;
  service::ServiceContext ctx;
  service::AccountService accounts;
};

class RememberedCredentials : public ::testing::Test {
 protected:
  RememberedCredentials() {
    const auto system = service::Actor::system();
    for (const auto& [login, role] :
         {std::pair{"admin", domain::Role::admin}, std::pair{"office", domain::Role::office}}) {
      auto u = daemon_.accounts.create_user(system, {login, login, "", role, std::nullopt});
      ids_[login] = u.id;
      tokens_[login] = daemon_.accounts.issue_token(system, u.id, {}).secret;
    }
    const auto unit = call("POST", "/api/v1/units",
                           R"({"code":"SXD","name":"Sở Xây dựng","kind":"department"})", "admin");
    EXPECT_EQ(unit.status, 201) << unit.body;
  }

  http::Response call(const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& who = "office") {
    http::Request r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.headers.emplace("authorization", "Bearer " + tokens_[who]);
    if (!body.empty()) {
      r.headers.emplace("content-type", "application/json");
    }
    return api_.handle(r);
  }

  http::Response create_task(const std::string& who = "office") {
    return call("POST", "/api/v1/tasks",
                R"({"title":"Báo cáo tiến độ giải ngân vốn đầu tư công","lead_unit_id":1,)"
                R"("assigned_on":"2025-03-01","due_on":"2025-03-31"})",
                who);
  }

  // Tasks are only ever added here, so the last id is their number.
  std::int64_t tasks_registered() {
    domain::TaskId last = 0;
    daemon_.store->read([&](storage::ReadTx& tx) { last = tx.last_task_id(); });
    return last;
  }

  // The details of the audit log's refusals of tokens, newest first.
  std::vector<std::string> refusals() {
    auto r = call("GET", "/api/v1/audit?outcome=unauthorized", "", "admin");
    EXPECT_EQ(r.status, 200) << r.body;
    const json page = json::parse(r.body);
    std::vector<std::string> out;
    for (const auto& item : page.at("items")) {
      out.push_back(item.at("detail").get<std::string>());
    }
    return out;
  }

  // A second store on the same file, with services of its own: the command line, run while the
  // daemon serves.
  Process command_line() { return Process(path_, clock_, zone_, calendar_); }

  dondoc::testing::TempDir dir_;
  std::string path_ = dir_.file("dondoc.db");
  dondoc::testing::FakeClock clock_{dondoc::testing::at("2025-03-10T09:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  Process daemon_{path_, clock_, zone_, calendar_};
  http::Api api_{daemon_.ctx, http::ApiInfo{"test", "Asia/Ho_Chi_Minh"}};
  std::map<std::string, std::int64_t> ids_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace

TEST_F(RememberedCredentials, ATokenRevokedByTheCommandLineWritesNothingMore) {
  ASSERT_EQ(create_task().status, 201);  // the token is remembered from here on
  const auto token_id = tokens_["office"].substr(4, tokens_["office"].find('_', 4) - 4);
  {
    auto cli = command_line();
    cli.accounts.revoke_token(service::Actor::system(), std::stoll(token_id));
  }
  const auto refused = create_task();
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(json::parse(refused.body).at("detail"),
            "this request needs a valid API token: send `Authorization: Bearer <token>`");
  EXPECT_EQ(tasks_registered(), 1);
  const auto logged = refusals();
  ASSERT_FALSE(logged.empty());
  EXPECT_EQ(logged.front(), "POST /api/v1/tasks: revoked token " + token_id);
  EXPECT_EQ(call("GET", "/api/v1/tasks/1").status, 401);
}

TEST_F(RememberedCredentials, AnAnswerThatWritesNothingWaitsForTheAccountsToBeChecked) {
  ASSERT_EQ(create_task().status, 201);
  {
    auto cli = command_line();
    service::UserPatch off;
    off.active = false;
    cli.accounts.update_user(service::Actor::system(), ids_["office"], off);
  }
  // A body the API refuses: still a 401 for a deactivated user, never a 400.
  const auto refused = call("POST", "/api/v1/tasks", R"({"title":""})");
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(create_task().status, 401);
  EXPECT_EQ(tasks_registered(), 1);
}

TEST_F(RememberedCredentials, ARoleChangedThroughTheApiGovernsTheNextWrite) {
  ASSERT_EQ(create_task().status, 201);
  const auto patched = call("PATCH", "/api/v1/users/" + std::to_string(ids_["office"]),
                            R"({"role":"unit","unit_id":1})", "admin");
  ASSERT_EQ(patched.status, 200) << patched.body;
  const auto refused = create_task();
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(tasks_registered(), 1);
}

TEST_F(RememberedCredentials, ARoleChangedElsewhereMidRequestIsRefusedWithoutAWrite) {
  ASSERT_EQ(create_task().status, 201);
  {
    auto cli = command_line();
    service::UserPatch to_unit;
    to_unit.role = domain::Role::unit;
    to_unit.unit_id = 1;
    cli.accounts.update_user(service::Actor::system(), ids_["office"], to_unit);
  }
  // Planned as the office, confirmed in its transaction as a unit user: not written.
  const auto conflict = create_task();
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(tasks_registered(), 1);
  // Sent again, it is judged as the account now is.
  EXPECT_EQ(create_task().status, 403);
  EXPECT_EQ(tasks_registered(), 1);
}

TEST_F(RememberedCredentials, AnAccountChangeThatLeavesTheCallerAloneStopsNothing) {
  ASSERT_EQ(create_task().status, 201);
  {
    auto cli = command_line();
    cli.accounts.create_user(service::Actor::system(), {"lanhdao", "Chánh Văn phòng", "",
                                                        domain::Role::leader, std::nullopt});
  }
  EXPECT_EQ(create_task().status, 201);
  EXPECT_EQ(call("GET", "/api/v1/tasks/2").status, 200);
  EXPECT_EQ(tasks_registered(), 2);
}

TEST_F(RememberedCredentials, ARememberedTokenStillExpires) {
  const auto system = service::Actor::system();
  service::NewToken day;
  day.expires_in_days = 1;
  tokens_["office"] = daemon_.accounts.issue_token(system, ids_["office"], day).secret;
  ASSERT_EQ(create_task().status, 201);
  clock_.advance(24h);
  EXPECT_EQ(create_task().status, 401);
  EXPECT_EQ(call("GET", "/api/v1/tasks/1").status, 401);
  EXPECT_EQ(tasks_registered(), 1);
}
