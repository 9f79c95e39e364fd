#include "dondoc/service/sessions.hpp"

#include <algorithm>
#include <cctype>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/passwords.hpp"
#include "dondoc/service/text.hpp"
#include "secrets.hpp"

namespace dondoc::service {

namespace {

// "dds_<session id>_<secret>", like an API token's "ddt_".
constexpr std::string_view kSessionPrefix = "dds_";
// A session's last request is written down at most this often: its idle timeout is counted in
// minutes, and a write per page view would be a commit per click.
constexpr std::chrono::seconds kSeenEvery{60};
// Ended and expired sessions are kept this long (the audit log keeps the sign-ins for good).
constexpr std::chrono::hours kKeepEndedSessions{24 * 30};

std::string normalize_login(std::string login) {
  login = trim(login);
  std::transform(login.begin(), login.end(), login.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return login;
}

domain::User load_user(storage::ReadTx& tx, domain::UserId id) {
  auto user = tx.find_user(id);
  if (!user) {
    throw domain::NotFound("user " + std::to_string(id) + " does not exist");
  }
  return *user;
}

}  // namespace

SessionService::SessionService(const ServiceContext& ctx, SignInLimits limits)
    : ctx_(ctx), failures_(ctx.clock, limits.failures_per_minute, limits.failure_burst) {}

bool SessionService::is_session_credential(std::string_view credential) {
  return credential.substr(0, kSessionPrefix.size()) == kSessionPrefix;
}

OpenedSession SessionService::sign_in(const SignIn& in) const {
  const std::string login = normalize_login(in.login);
  if (auto wait = failures_.waiting(login)) {
    throw SignInLimited(*wait);
  }
  std::optional<domain::User> user;
  std::string hash;
  ctx_.store.read([&](storage::ReadTx& tx) {
    user = login.empty() ? std::nullopt : tx.find_user_by_login(login);
    if (user) {
      hash = tx.password_hash(user->id);
    }
  });
  // The same work whatever is wrong, so that the time of the answer says nothing either.
  const bool matches = verify_password(hash.empty() ? decoy_hash() : hash, in.password);
  std::string reason;
  if (!user) {
    reason = "no user has this login";
  } else if (hash.empty()) {
    reason = "user " + user->login + " has no password";
  } else if (!matches) {
    reason = "wrong password for user " + user->login;
  } else if (!user->active) {
    reason = "user " + user->login + " is deactivated";
  }
  if (!reason.empty()) {
    failures_.retry_after(login);
    throw SignInRefused(reason);
  }
  const auto now = ctx_.clock.now();
  OpenedSession opened;
  opened.user = *user;
  opened.session.user_id = user->id;
  opened.session.csrf_token = random_secret();
  opened.session.created_at = opened.session.last_seen_at = now;
  opened.session.expires_at = now + ctx_.sessions.lifetime;
  const std::string secret = random_secret();
  ctx_.store.write([&](storage::WriteTx& tx) {
    opened.session.id = tx.insert_session(opened.session);
    opened.credential =
        std::string(kSessionPrefix) + std::to_string(opened.session.id) + "_" + secret;
    opened.session.secret_sha256 = sha256_hex(opened.credential);
    tx.set_session_hash(opened.session.id, opened.session.secret_sha256);
    tx.delete_old_sessions(now - kKeepEndedSessions);
    ctx_.audit(tx, Actor::user(*user), "session.sign_in",
               "session " + std::to_string(opened.session.id));
  });
  return opened;
}

std::variant<SessionCaller, AuthFailure> SessionService::authenticate(
    const std::string& credential) const {
  const auto id = credential_id(kSessionPrefix, credential);
  const auto now = ctx_.clock.now();
  std::variant<SessionCaller, AuthFailure> out;
  ctx_.store.read([&](storage::ReadTx& tx) {
    auto fail = [&](std::string reason) {
      AuthFailure f;
      f.reason = std::move(reason);
      f.session = true;
      out = f;
    };
    if (!id) {
      return fail("malformed session");
    }
    const auto session = tx.find_session(*id);
    const auto user = session ? tx.find_user(session->user_id) : std::nullopt;
    if (!session || !user || !same_secret(sha256_hex(credential), session->secret_sha256)) {
      return fail("unknown session " + std::to_string(*id));
    }
    const std::string which = "session " + std::to_string(*id) + " of " + user->login;
    if (session->ended_at) {
      return fail("ended " + which);
    }
    if (now >= session->expires_at) {
      return fail("expired " + which);
    }
    if (now - session->last_seen_at >= ctx_.sessions.idle) {
      return fail("idle " + which);
    }
    if (!user->active) {
      return fail(which + ": the user is deactivated");
    }
    SessionCaller caller{Actor::user(*user), *session};
    caller.actor.session_id = session->id;
    caller.actor.must_change_password = user->must_change_password;
    out = std::move(caller);
  });
  return out;
}

void SessionService::seen(const SessionCaller& caller) const {
  const auto now = ctx_.clock.now();
  if (now - caller.session.last_seen_at < kSeenEvery) {
    return;
  }
  auto& store = ctx_.store;
  const auto id = caller.session.id;
  store.submit(
      [&store, id, now] {
        try {
          store.write([&](storage::WriteTx& tx) { tx.touch_session(id, now); });
        } catch (...) {
          // The next request tries again; until then the session only looks idler than it is.
        }
      },
      [](bool) {});
}

std::pair<domain::User, domain::Session> SessionService::current(const Actor& actor) const {
  if (!actor.session_id || !actor.user_id) {
    throw domain::NotFound("this request came with no session");
  }
  std::optional<domain::Session> session;
  domain::User user;
  ctx_.store.read([&](storage::ReadTx& tx) {
    session = tx.find_session(*actor.session_id);
    user = load_user(tx, *actor.user_id);
  });
  if (!session) {
    throw domain::NotFound("session " + std::to_string(*actor.session_id) + " does not exist");
  }
  return {user, *session};
}

void SessionService::sign_out(const Actor& actor) const {
  if (!actor.session_id) {
    throw domain::ValidationError("session",
                                  "this request came with an API token, not a session: revoke "
                                  "the token to stop it working");
  }
  ctx_.store.write([&](storage::WriteTx& tx) {
    tx.end_session(*actor.session_id, ctx_.clock.now());
    ctx_.audit(tx, actor, "session.sign_out", "session " + std::to_string(*actor.session_id));
  });
}

void SessionService::change_password(const Actor& actor, const std::string& current,
                                     const std::string& next) const {
  if (!actor.user_id) {
    throw domain::ValidationError("password", "only a user has a password");
  }
  domain::User user;
  std::string hash;
  ctx_.store.read([&](storage::ReadTx& tx) {
    user = load_user(tx, *actor.user_id);
    hash = tx.password_hash(user.id);
  });
  if (!verify_password(hash.empty() ? decoy_hash() : hash, current) || hash.empty()) {
    throw domain::ValidationError("current_password", "is not your current password");
  }
  domain::validate_password(next, user.login, "new_password");
  if (next == current) {
    throw domain::ValidationError("new_password", "must differ from the current password");
  }
  const std::string new_hash = hash_password(next);
  const auto now = ctx_.clock.now();
  ctx_.store.write([&](storage::WriteTx& tx) {
    tx.set_password(user.id, new_hash, false, now);
    tx.end_user_sessions(user.id, now, actor.session_id);
    ctx_.audit(tx, actor, "user.password_change", "user " + std::to_string(user.id));
  });
}

std::string SessionService::reset_password(const Actor& admin, domain::UserId id) const {
  require(admin, Operation::user_manage);
  const std::string password = one_time_password();
  const std::string hash = hash_password(password);
  const auto now = ctx_.clock.now();
  ctx_.store.write([&](storage::WriteTx& tx) {
    const auto user = load_user(tx, id);
    tx.set_password(user.id, hash, true, now);
    tx.end_user_sessions(user.id, now, std::nullopt);
    ctx_.audit(tx, admin, "user.password_reset", "user " + std::to_string(user.id),
               "a one-time password; sessions ended");
  });
  return password;
}

domain::User SessionService::set_password(const Actor& actor, const std::string& login,
                                          const std::string& password) const {
  require(actor, Operation::user_manage);
  const std::string wanted = normalize_login(login);
  std::optional<domain::User> user;
  ctx_.store.read([&](storage::ReadTx& tx) { user = tx.find_user_by_login(wanted); });
  if (!user) {
    throw domain::NotFound("there is no user with login '" + wanted + "'");
  }
  domain::validate_password(password, user->login, "password");
  const std::string hash = hash_password(password);
  const auto now = ctx_.clock.now();
  ctx_.store.write([&](storage::WriteTx& tx) {
    tx.set_password(user->id, hash, false, now);
    tx.end_user_sessions(user->id, now, std::nullopt);
    ctx_.audit(tx, actor, "user.password_set", "user " + std::to_string(user->id));
  });
  user->has_password = true;
  user->must_change_password = false;
  return *user;
}

}  // namespace dondoc::service
