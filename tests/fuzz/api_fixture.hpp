// What the harnesses that go through the API share: a fresh database in a temporary directory
// (one per fuzzing process, durability normal), a province with four units and a user of each
// role, the Api over them, and the oracle every answer must pass: never a 500, a JSON body that
// parses, headers that serialize.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "dondoc/http/api.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "fake_clock.hpp"
#include "response_head.hpp"

namespace dondoc::fuzz {

class ApiFixture {
 public:
  ApiFixture() {
    std::string dir = (std::filesystem::temp_directory_path() / "dondoc-fuzz-XXXXXX").string();
    dir_ = ::mkdtemp(dir.data());
    storage::SqliteOptions o;
    o.path = dir_ + "/dondoc.db";
    o.synchronous_full = false;
    store_ = storage::open_sqlite_store(o);
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    api_ = std::make_unique<http::Api>(*ctx_, http::ApiInfo{"fuzz", "Asia/Ho_Chi_Minh"});
    const auto system = service::Actor::system();
    service::UnitService units(*ctx_);
    for (const auto& [code, name] : {std::pair{"SXD", "Sở Xây dựng"},
                                     {"STC", "Sở Tài chính"},
                                     {"SGTVT", "Sở Giao thông vận tải"},
                                     {"UBXA", "UBND xã An Bình"}}) {
      units.create(system, {code, name, domain::UnitKind::department, {"vanthu@example.vn"}});
    }
    service::AccountService accounts(*ctx_);
    for (const auto& [login, role] : {std::pair{"admin", domain::Role::admin},
                                      {"office", domain::Role::office},
                                      {"leader", domain::Role::leader},
                                      {"unit", domain::Role::unit}}) {
      const auto unit =
          role == domain::Role::unit ? std::optional<domain::UnitId>(1) : std::nullopt;
      auto u = accounts.create_user(system, {login, login, "", role, unit});
      tokens_[login] = accounts.issue_token(system, u.id, {}).secret;
    }
    // A task to act on, so that the routes with {id} reach their checks.
    service::TaskService tasks(*ctx_);
    service::NewTask t;
    t.title = "Rà soát quy hoạch";
    t.lead_unit_id = 1;
    t.coordinating_unit_ids = {2};
    t.deadline = domain::DeadlineSpec::working_days(10);
    t.assigned_on = *domain::Date::parse("2025-02-20");
    tasks.create(system, t);
  }
  ~ApiFixture() {
    api_.reset();
    ctx_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  const std::string& token(const std::string& who) { return tokens_[who]; }

  http::Response call(const http::Request& r) {
    http::Response answer = api_->handle(r);
    check(answer);
    return answer;
  }

  // The oracle: every bad input is a 4xx; a 500 is a bug, and so is an answer that does not
  // serialize or whose JSON does not parse.
  static void check(const http::Response& r) {
    if (r.status == 500) {
      std::fprintf(stderr, "500: %s\n", r.body.c_str());
      std::abort();
    }
    (void)http::serialize_response(r, true);  // throws on a header that could split it
    for (const auto& [name, value] : r.headers) {
      if (name == "Content-Type" && value.find("json") != std::string::npos) {
        (void)nlohmann::json::parse(r.body);  // throws (and so fails) on invalid JSON or UTF-8
      }
    }
  }

  http::Api& api() { return *api_; }

 private:
  std::string dir_;
  testing::FakeClock clock_{testing::at("2025-03-31T10:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", std::chrono::hours(7)};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::ServiceContext> ctx_;
  std::unique_ptr<http::Api> api_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace dondoc::fuzz
