// The way in that every front end shares, used as a second front end would use it: no HTTP, just
// a credential, the work, and what comes back. Who the caller is, the limits per caller and per
// client, and the audit of refusals must not depend on the surface.
#include "dondoc/service/request_scope.hpp"

#include <gtest/gtest.h>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/service/audit.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using dondoc::testing::at;

namespace {

class RequestScopeTest : public ::testing::Test {
 protected:
  RequestScopeTest() {
    const auto system = service::Actor::system();
    for (const auto& [login, role] : {std::pair{"vanphong", domain::Role::office},
                                      std::pair{"chutich", domain::Role::leader}}) {
      const auto user = accounts_.create_user(system, {login, login, "", role, std::nullopt});
      tokens_[login] = accounts_.issue_token(system, user.id, {}).secret;
    }
  }

  service::RequestScope scope(service::ScopeLimits limits = {}) {
    return service::RequestScope(ctx_, accounts_, limits);
  }

  // The audit entries of refusals, newest first, as the leader reads them.
  std::vector<domain::AuditEntry> refusals(const std::string& outcome) {
    service::AuditListRequest r;
    r.outcome = outcome;
    return service::AuditService(ctx_).list(leader(), r).items;
  }

  service::Actor leader() {
    return std::get<service::Actor>(scope().authenticate({tokens_["chutich"]}, false));
  }

  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{at("2025-04-01T09:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", std::chrono::hours(7)};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_ = dondoc::testing::open_test_store(dir_);
  service::ServiceContext ctx_{*store_, clock_, zone_, calendar_, domain::ClassifyPolicy{},
                               50,      200};
  service::AccountService accounts_{ctx_};
  std::map<std::string, std::string> tokens_;
};

}  // namespace

TEST_F(RequestScopeTest, ACredentialIsTheCallerItStandsForOrItsRefusal) {
  auto s = scope();
  const auto who = s.authenticate({tokens_["vanphong"]}, false);
  ASSERT_TRUE(std::holds_alternative<service::Actor>(who));
  EXPECT_EQ(std::get<service::Actor>(who).name, "vanphong");
  const auto none = s.authenticate({}, false);
  ASSERT_TRUE(std::holds_alternative<service::AuthFailure>(none));
  EXPECT_EQ(std::get<service::AuthFailure>(none).reason, "no token");
  const auto other_scheme = s.authenticate({"", true}, false);
  ASSERT_TRUE(std::holds_alternative<service::AuthFailure>(other_scheme));
  EXPECT_EQ(std::get<service::AuthFailure>(other_scheme).reason, "malformed token");
}

// Limited per caller: one caller's requests do not use up another's.
TEST_F(RequestScopeTest, RequestsAreLimitedPerCaller) {
  auto s = scope({.requests_per_minute = 60, .request_burst = 2});
  const auto office = std::get<service::Actor>(s.authenticate({tokens_["vanphong"]}, false));
  const auto chair = std::get<service::Actor>(s.authenticate({tokens_["chutich"]}, false));
  EXPECT_FALSE(s.rate_limited(office));
  EXPECT_FALSE(s.rate_limited(office));
  const auto wait = s.rate_limited(office);
  ASSERT_TRUE(wait.has_value()) << "a burst of two, then one a second";
  EXPECT_EQ(*wait, 1);
  EXPECT_FALSE(s.rate_limited(chair)) << "another caller has its own allowance";
  clock_.advance(std::chrono::seconds(1));
  EXPECT_FALSE(s.rate_limited(office));
}

// A write refused for the caller's role is undone and recorded in the audit log, as the HTTP
// surface records it; a write that goes through is durable.
TEST_F(RequestScopeTest, AForbiddenWriteIsUndoneAndAudited) {
  auto s = scope();
  const auto office = std::get<service::Actor>(s.authenticate({tokens_["vanphong"]}, true));
  const auto error = s.write(
      [&](storage::WriteTx& tx) {
        domain::Unit u;
        u.code = "SXD";
        u.name = "Sở Xây dựng";
        tx.insert_unit(u, "so xay dung");
        throw domain::Forbidden("unit.merge", "the office may not merge units");
      },
      office, tokens_["vanphong"], "POST", "/api/v1/units/merge");
  ASSERT_TRUE(error);
  EXPECT_THROW(std::rethrow_exception(error), domain::Forbidden);
  store_->read([](storage::ReadTx& tx) { EXPECT_FALSE(tx.find_unit_by_code("SXD")); });
  const auto refused = refusals("forbidden");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].actor, "vanphong");
  EXPECT_EQ(refused[0].target, "/api/v1/units/merge");

  EXPECT_FALSE(s.write(
      [&](storage::WriteTx& tx) {
        domain::Unit u;
        u.code = "STC";
        u.name = "Sở Tài chính";
        tx.insert_unit(u, "so tai chinh");
      },
      office, tokens_["vanphong"], "POST", "/api/v1/units"));
  store_->read([](storage::ReadTx& tx) { EXPECT_TRUE(tx.find_unit_by_code("STC")); });
}

// A caller remembered from an earlier request whose token has been revoked since is refused by
// the write itself, which then changes nothing.
TEST_F(RequestScopeTest, ARevokedTokenIsRefusedInsideTheWrite) {
  auto s = scope();
  ASSERT_TRUE(std::holds_alternative<service::Actor>(s.authenticate({tokens_["vanphong"]}, true)));
  const auto remembered = std::get<service::Actor>(s.authenticate({tokens_["vanphong"]}, true));
  ASSERT_TRUE(remembered.unconfirmed_generation.has_value()) << "taken from memory";
  accounts_.revoke_token(service::Actor::system(), *remembered.token_id);
  const auto error = s.write(
      [&](storage::WriteTx& tx) {
        domain::Unit u;
        u.code = "SYT";
        u.name = "Sở Y tế";
        tx.insert_unit(u, "so y te");
      },
      remembered, tokens_["vanphong"], "POST", "/api/v1/units");
  ASSERT_TRUE(error);
  EXPECT_THROW(std::rethrow_exception(error), service::CredentialsRefused);
  store_->read([](storage::ReadTx& tx) { EXPECT_FALSE(tx.find_unit_by_code("SYT")); });
  EXPECT_EQ(refusals("unauthorized").size(), 1u);
}
