// People signing in, as any front end sees it through RequestScope: a session stands for its
// user until it is signed out, idle or too old; its state-changing requests need its CSRF
// token; a failed sign-in says nothing of what failed and is limited per login name.
#include "dondoc/service/sessions.hpp"

#include <gtest/gtest.h>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/passwords.hpp"
#include "dondoc/service/request_scope.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using dondoc::testing::at;
using std::chrono::minutes;

namespace {

constexpr const char* kPassword = "Ủy ban nhân dân 2025";

class SessionsTest : public ::testing::Test {
 protected:
  SessionsTest() {
    const auto system = service::Actor::system();
    office_ = accounts_.create_user(
        system, {"vanphong", "Văn phòng UBND tỉnh", "", domain::Role::office, std::nullopt});
    admin_ = accounts_.create_user(
        system, {"quantri", "Quản trị hệ thống", "", domain::Role::admin, std::nullopt});
    sessions_.set_password(system, "vanphong", kPassword);
    sessions_.set_password(system, "quantri", "mat-khau-quan-tri");
  }

  // The caller a credential stands for in a request that changes nothing.
  std::variant<service::Actor, service::AuthFailure> who(const std::string& credential) {
    return scope_.authenticate(service::Credential(credential), false);
  }
  std::string reason(const std::string& credential) {
    const auto w = who(credential);
    return std::holds_alternative<service::AuthFailure>(w)
               ? std::get<service::AuthFailure>(w).reason
               : "accepted";
  }
  // Waits for the writes nobody waits for (a session seen): the next write commits after them.
  void settle() {
    store_->write([](storage::WriteTx&) {});
  }

  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{at("2025-04-01T08:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", std::chrono::hours(7)};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_ = dondoc::testing::open_test_store(dir_);
  service::ServiceContext ctx_{*store_, clock_, zone_, calendar_, domain::ClassifyPolicy{},
                               50,      200};
  service::AccountService accounts_{ctx_};
  service::SessionService sessions_{ctx_};
  service::RequestScope scope_{ctx_, accounts_, {}};
  domain::User office_;
  domain::User admin_;
};

}  // namespace

TEST_F(SessionsTest, PasswordsAreStoredAsArgon2idWithTheStatedCost) {
  std::string hash;
  store_->read([&](storage::ReadTx& tx) { hash = tx.password_hash(office_.id); });
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(service::verify_password(hash, kPassword));
  EXPECT_FALSE(service::verify_password(hash, "Uy ban nhan dan 2025")) << "diacritics count";
  EXPECT_FALSE(service::verify_password("", ""));
  EXPECT_FALSE(service::verify_password("not a hash", kPassword));
}

TEST_F(SessionsTest, ASessionStandsForItsUserAndIsLimitedOnItsOwn) {
  const auto opened = scope_.sign_in({"  VanPhong ", kPassword});  // as typed on a phone
  EXPECT_EQ(opened.user.id, office_.id);
  EXPECT_EQ(opened.session.expires_at, clock_.now() + std::chrono::hours(12));
  EXPECT_EQ(opened.credential.rfind("dds_", 0), 0u);
  const auto w = who(opened.credential);
  ASSERT_TRUE(std::holds_alternative<service::Actor>(w)) << reason(opened.credential);
  const auto actor = std::get<service::Actor>(w);
  EXPECT_EQ(actor.user_id, office_.id);
  EXPECT_EQ(actor.role, domain::Role::office);
  EXPECT_EQ(actor.session_id, opened.session.id);
  EXPECT_FALSE(actor.token_id);

  service::RequestScope limited(ctx_, accounts_, {.requests_per_minute = 60, .request_burst = 1});
  const auto second = scope_.sign_in({"vanphong", kPassword});
  const auto a1 = std::get<service::Actor>(who(opened.credential));
  const auto a2 = std::get<service::Actor>(who(second.credential));
  EXPECT_FALSE(limited.rate_limited(a1));
  EXPECT_TRUE(limited.rate_limited(a1));
  EXPECT_FALSE(limited.rate_limited(a2)) << "each session has its own allowance";

  std::string tampered = opened.credential;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(reason(tampered), "unknown session " + std::to_string(opened.session.id));
  EXPECT_EQ(reason("dds_1_short"), "malformed session");
}

TEST_F(SessionsTest, AChangeNeedsTheSessionsCsrfToken) {
  const auto opened = scope_.sign_in({"vanphong", kPassword});
  auto change = [&](std::string csrf) {
    service::Credential c(opened.credential);
    c.changes_state = true;
    c.csrf = std::move(csrf);
    return scope_.authenticate(c, true);
  };
  const auto none = change("");
  ASSERT_TRUE(std::holds_alternative<service::AuthFailure>(none));
  EXPECT_TRUE(std::get<service::AuthFailure>(none).csrf);
  const auto wrong = change(std::string(opened.session.csrf_token.size(), 'x'));
  ASSERT_TRUE(std::holds_alternative<service::AuthFailure>(wrong));
  EXPECT_TRUE(std::get<service::AuthFailure>(wrong).csrf);
  EXPECT_TRUE(std::holds_alternative<service::Actor>(change(opened.session.csrf_token)));
  EXPECT_TRUE(std::holds_alternative<service::Actor>(who(opened.credential)))
      << "a request that changes nothing needs none";
}

TEST_F(SessionsTest, ASessionEndsWhenIdleOrOldOrSignedOut) {
  const auto opened = scope_.sign_in({"vanphong", kPassword});
  // Used every 29 minutes it lives on, each use counted (once a minute at most).
  for (int i = 0; i < 4; ++i) {
    clock_.advance(minutes(29));
    EXPECT_EQ(reason(opened.credential), "accepted") << i;
    settle();
  }
  clock_.advance(minutes(30));
  EXPECT_EQ(reason(opened.credential),
            "idle session " + std::to_string(opened.session.id) + " of vanphong");

  const auto day = scope_.sign_in({"vanphong", kPassword});
  for (int i = 0; i < 12 * 3 - 1; ++i) {
    clock_.advance(minutes(20));
    ASSERT_EQ(reason(day.credential), "accepted") << i;
    settle();
  }
  clock_.advance(minutes(20));  // 12 hours after the sign-in
  EXPECT_EQ(reason(day.credential),
            "expired session " + std::to_string(day.session.id) + " of vanphong");

  const auto short_one = scope_.sign_in({"vanphong", kPassword});
  scope_.sessions().sign_out(std::get<service::Actor>(who(short_one.credential)));
  EXPECT_EQ(reason(short_one.credential),
            "ended session " + std::to_string(short_one.session.id) + " of vanphong");
  EXPECT_THROW(scope_.sessions().sign_out(service::Actor::user(office_)), domain::ValidationError)
      << "a token has no session to end";
}

TEST_F(SessionsTest, AFailedSignInSaysNothingOfWhatFailed) {
  std::vector<std::string> told, recorded;
  auto attempt = [&](const std::string& login, const std::string& password) {
    try {
      scope_.sign_in({login, password});
      ADD_FAILURE() << login << " signed in";
    } catch (const service::SignInRefused& e) {
      told.push_back(e.what());
      recorded.push_back(e.reason());
    }
  };
  attempt("vanphong", "Uy ban nhan dan 2025");
  attempt("khongco", kPassword);
  const auto system = service::Actor::system();
  accounts_.create_user(system,
                        {"chutich", "Chủ tịch UBND tỉnh", "", domain::Role::leader, std::nullopt});
  attempt("chutich", "");
  service::UserPatch off;
  off.active = false;
  accounts_.update_user(system, office_.id, off);
  attempt("vanphong", kPassword);
  ASSERT_EQ(told.size(), 4u);
  for (const auto& t : told) {
    EXPECT_EQ(t, told[0]);
  }
  EXPECT_EQ(recorded, (std::vector<std::string>{
                          "wrong password for user vanphong", "no user has this login",
                          "user chutich has no password", "user vanphong is deactivated"}));
}

TEST_F(SessionsTest, FailedSignInsAreLimitedPerLoginWhateverThePassword) {
  service::RequestScope scope(ctx_, accounts_,
                              {.sign_in = {.failures_per_minute = 2, .failure_burst = 3}});
  for (int i = 0; i < 3; ++i) {
    EXPECT_THROW(scope.sign_in({"vanphong", "sai mat khau " + std::to_string(i)}),
                 service::SignInRefused);
  }
  try {
    scope.sign_in({"vanphong", kPassword});
    ADD_FAILURE() << "the right password is not even checked past the limit";
  } catch (const service::SignInLimited& e) {
    EXPECT_EQ(e.retry_after(), 30);
  }
  EXPECT_NO_THROW(scope.sign_in({"quantri", "mat-khau-quan-tri"})) << "another login is not held";
  clock_.advance(std::chrono::seconds(30));
  EXPECT_NO_THROW(scope.sign_in({"vanphong", kPassword}));
}

TEST_F(SessionsTest, ChangingOnesPasswordEndsOnesOtherSessions) {
  const auto here = scope_.sign_in({"vanphong", kPassword});
  const auto elsewhere = scope_.sign_in({"vanphong", kPassword});
  const auto me = std::get<service::Actor>(who(here.credential));
  auto field_of = [&](const std::string& current, const std::string& next) -> std::string {
    try {
      scope_.sessions().change_password(me, current, next);
      return "";
    } catch (const domain::ValidationError& e) {
      return e.errors().at(0).field;
    }
  };
  EXPECT_EQ(field_of("sai", "Mật khẩu mới đủ dài"), "current_password");
  EXPECT_EQ(field_of(kPassword, "ngắn"), "new_password");
  EXPECT_EQ(field_of(kPassword, "vanphong"), "new_password");
  EXPECT_EQ(field_of(kPassword, kPassword), "new_password");
  EXPECT_EQ(field_of(kPassword, "Mật khẩu mới đủ dài"), "");
  EXPECT_EQ(reason(here.credential), "accepted");
  EXPECT_EQ(reason(elsewhere.credential),
            "ended session " + std::to_string(elsewhere.session.id) + " of vanphong");
  EXPECT_THROW(scope_.sign_in({"vanphong", kPassword}), service::SignInRefused);
  EXPECT_NO_THROW(scope_.sign_in({"vanphong", "Mật khẩu mới đủ dài"}));
}

TEST_F(SessionsTest, AnAdminsResetIsAOneTimePasswordToReplaceFirst) {
  const auto before = scope_.sign_in({"vanphong", kPassword});
  const auto admin = service::Actor::user(admin_);
  EXPECT_THROW(scope_.sessions().reset_password(service::Actor::user(office_), admin_.id),
               domain::Forbidden);
  const std::string once = scope_.sessions().reset_password(admin, office_.id);
  EXPECT_EQ(once.size(), 16u);
  EXPECT_EQ(reason(before.credential),
            "ended session " + std::to_string(before.session.id) + " of vanphong");
  const auto opened = scope_.sign_in({"vanphong", once});
  EXPECT_TRUE(opened.user.must_change_password);
  const auto actor = std::get<service::Actor>(who(opened.credential));
  EXPECT_TRUE(actor.must_change_password);
  scope_.sessions().change_password(actor, once, "Mật khẩu của tôi 2025");
  const auto after = std::get<service::Actor>(who(opened.credential));
  EXPECT_FALSE(after.must_change_password);
}
