// People signing in (issue 14): passwords checked with Argon2id, sessions that a browser holds
// in a cookie, and the passwords themselves (set, changed, reset). API tokens are unchanged: a
// session is a second kind of credential, recognised by its prefix, checked by RequestScope the
// same way.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "dondoc/domain/token_buckets.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/service/context.hpp"

namespace dondoc::service {

struct SignIn {
  std::string login;
  std::string password;
};

// A session just opened: `credential` (the cookie's value) is shown this once, stored nowhere.
struct OpenedSession {
  std::string credential;
  domain::Session session;
  domain::User user;
};

// A caller found by its session credential.
struct SessionCaller {
  Actor actor;
  domain::Session session;
};

// Failed sign-ins allowed per login name, whatever the address (the per-address limit is
// RequestScope's): `burst` at once, then `per_minute`.
struct SignInLimits {
  int failures_per_minute = 2;
  int failure_burst = 10;
};

// A sign-in refused. what() is all the caller is told, the same for an unknown login, a wrong
// password, a deactivated user or one without a password; reason() is for the audit log.
class SignInRefused : public std::runtime_error {
 public:
  explicit SignInRefused(std::string reason)
      : std::runtime_error("the login name or the password is wrong"), reason_(std::move(reason)) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

// Too many failed sign-ins for one login name of late: its password is not even checked.
class SignInLimited : public std::runtime_error {
 public:
  explicit SignInLimited(int retry_after_seconds)
      : std::runtime_error("too many failed sign-ins for this login name; retry in " +
                           std::to_string(retry_after_seconds) + " s"),
        retry_after_(retry_after_seconds) {}
  int retry_after() const { return retry_after_; }

 private:
  int retry_after_;
};

class SessionService {
 public:
  SessionService(const ServiceContext& ctx, SignInLimits limits = {});

  static bool is_session_credential(std::string_view credential);

  // Checks the password (Argon2id: tens of milliseconds, so not on an event loop) and opens a
  // session. Throws SignInLimited before checking anything when the login has failed too
  // often, SignInRefused when the answer is no (counted against the login).
  OpenedSession sign_in(const SignIn& in) const;
  // The caller a session credential stands for, as the store is in the current snapshot, or
  // why none: unknown, ended, expired (lifetime), idle, or its user deactivated.
  std::variant<SessionCaller, AuthFailure> authenticate(const std::string& credential) const;
  // Records that the session was used, at most once a minute, in a write of its own that
  // nobody waits for (its idle timeout counts from the last one).
  void seen(const SessionCaller& caller) const;
  // The caller's user and session as they are now.
  std::pair<domain::User, domain::Session> current(const Actor& actor) const;
  // Ends the caller's session. Validation error for a caller without one (an API token).
  void sign_out(const Actor& actor) const;
  // The caller's own password, the current one given: the user's other sessions end.
  void change_password(const Actor& actor, const std::string& current,
                       const std::string& next) const;
  // An admin's reset: returns a one-time password (shown once) that must be changed at the
  // next sign-in; every session of the user ends.
  std::string reset_password(const Actor& admin, domain::UserId user) const;
  // The command line's `user passwd`: sets the password of `login` (the server's operator).
  domain::User set_password(const Actor& actor, const std::string& login,
                            const std::string& password) const;

 private:
  const ServiceContext& ctx_;
  mutable domain::TokenBuckets<std::string> failures_;  // per login name
};

}  // namespace dondoc::service
