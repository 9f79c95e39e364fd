// The one way in for every front end (docs/design.md, "How a request flows"): what happens around a
// use case when a request arrives, whatever surface it came through. A front end extracts the
// credential its surface carries (the API's bearer token, the calendar feed's `?token=`, a session
// cookie next) and renders answers; everything between — who the caller is, whether it has asked
// too often, which snapshot or write batch the work runs in, confirming remembered credentials
// inside the write, recording refused attempts in the audit log — is done here, the same for all of
// them. A front end never holds the store.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "dondoc/domain/token_buckets.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/service/audit.hpp"
#include "dondoc/service/context.hpp"
#include "dondoc/service/failed_attempts.hpp"
#include "dondoc/service/sessions.hpp"

namespace dondoc::service {

// A credential as a front end found it: the secret presented (empty: none), or a header that
// carries something else (another scheme), refused as malformed. A session's secret comes from
// a cookie, which a browser sends whoever made the page: a request that changes anything must
// then also present the session's CSRF token (`csrf`), which only dondoc's own pages can read.
struct Credential {
  Credential() = default;
  Credential(std::string secret_, bool malformed_ = false)  // NOLINT: a secret is a credential
      : secret(std::move(secret_)), malformed(malformed_) {}
  std::string secret;
  bool malformed = false;
  bool changes_state = false;
  std::string csrf;
};

struct ScopeLimits {
  int requests_per_minute = 0;  // per caller; 0: no limit
  int request_burst = 1;
  int failures_per_minute = 30;  // failed authentications per client address
  int failure_burst = 10;
  SignInLimits sign_in{};  // failed sign-ins per login name
};

// What /healthz reports of the database.
struct StoreHealth {
  bool readable = true;
  std::string error;  // why not, bounded
  int schema_version = 0;
  std::string durability;
};

// An attempt refused, for the audit log: who (if known), what they tried, and why.
struct Refusal {
  std::optional<Actor> actor;
  std::string action;   // the operation refused, or "auth"
  std::string path;     // the resource
  std::string outcome;  // "unauthorized" or "forbidden"
  std::string detail;
  std::optional<std::string> client;  // for a failed authentication: its address
};

class RequestScope {
 public:
  // `accounts`: the front end's own, so that both share one memory of checked credentials.
  RequestScope(const ServiceContext& ctx, const AccountService& accounts, ScopeLimits limits);

  // Who `credential` stands for, or why nobody. `may_remember`: the caller may be taken from
  // memory without a look at the accounts (then its unconfirmed_generation is set): only for
  // work that writes, which confirms it (write), or whose answer is checked (still_current).
  std::variant<Actor, AuthFailure> authenticate(const Credential& credential,
                                                bool may_remember) const;
  // A person signing in: see SessionService::sign_in (not on an event loop).
  OpenedSession sign_in(const SignIn& in) const { return sessions_.sign_in(in); }
  const SessionService& sessions() const { return sessions_; }
  // Whether a caller taken from memory is still right, in a read of its own.
  bool still_current(const Actor& caller) const;
  // Requests are limited per caller (the credential it came with: a token today, a session
  // next); nullopt, or the seconds to wait.
  std::optional<int> rate_limited(const Actor& caller) const;
  // A failed authentication from `client`: nullopt to record it (record), or the seconds the
  // client must wait, and the failure is only counted (see FailedAttempts).
  std::optional<int> failures_limited(const std::string& client, const std::string& path,
                                      const std::string& what) const;

  // Runs `work` in one read snapshot: authentication, authorization and the data all see the
  // same state. `after_work_in_hand`, given on an event loop, runs a function once the requests
  // the loop has in hand are answered: the snapshot is then shared by them (Store::read_shared).
  void in_snapshot(const std::function<void()>& work,
                   const std::function<void(std::function<void()>)>& after_work_in_hand) const;
  // The database part of a planned write, in the write batch: the caller's remembered
  // credentials (`credential`) confirmed first in the same transaction. Never throws: returns
  // the error, after recording a refusal (credentials no longer good, an operation forbidden)
  // in the audit log. `what` names the request ("POST /api/v1/tasks") for that record.
  std::exception_ptr write(const std::function<void(storage::WriteTx&)>& apply, const Actor& caller,
                           const std::string& credential, const std::string& method,
                           const std::string& path) const;
  // Records a refused attempt in a write of its own (with the failures held for its client);
  // a record that cannot be written is logged, and the refusal stands.
  void record(const Refusal& refusal) const;
  // Writes the failed authentications held in counts: those over a minute old, or all.
  void flush_held_failures(bool all) const;

  StoreHealth health() const;
  storage::WriteReadiness readiness() const;

 private:
  const ServiceContext& ctx_;
  AccountService accounts_;
  SessionService sessions_;
  AuditService audit_;
  mutable domain::TokenBuckets<std::string> requests_;  // per caller
  mutable FailedAttempts failures_;                     // per client address
};

}  // namespace dondoc::service
