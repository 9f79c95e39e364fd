// Accounts and API tokens (issue 3): managing users, issuing and revoking bearer tokens, and
// turning a presented token into the Actor a request runs as.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "dondoc/service/context.hpp"

namespace dondoc::service {

struct NewUser {
  std::string login;
  std::string display_name;
  std::string email;
  domain::Role role = domain::Role::unit;
  std::optional<UnitId> unit_id;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> email;
  std::optional<domain::Role> role;
  std::optional<std::optional<UnitId>> unit_id;  // engaged nullopt clears it
  std::optional<bool> active;
};

struct UserListRequest {
  std::optional<domain::Role> role;
  std::optional<UnitId> unit_id;
  std::optional<bool> active;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

struct NewToken {
  std::string label;
  std::optional<int> expires_in_days;  // none: until revoked
};

// A freshly issued token: `secret` is shown this once and stored nowhere.
struct IssuedToken {
  domain::ApiToken token;
  std::string secret;
};

// Why authentication failed, for the audit log only; the caller is told none of it.
struct AuthFailure {
  std::string reason;     // "no token", "malformed token", "unknown token", ...
  bool no_users = false;  // a fresh install: nobody can sign in yet
  // A session's state-changing request without its CSRF token: the caller is known, the request
  // is refused (403, not 401).
  bool csrf = false;
  // The credential was a session (ended, expired, idle or unknown): the browser signs in again.
  bool session = false;
};

// A request's token was refused by the write it came with: revoked, expired or its user
// deactivated after the token was last checked (see AccountService::confirm). Nothing was written.
class CredentialsRefused : public std::runtime_error {
 public:
  explicit CredentialsRefused(AuthFailure failure)
      : std::runtime_error("credentials refused: " + failure.reason),
        failure_(std::move(failure)) {}
  const AuthFailure& failure() const { return failure_; }

 private:
  AuthFailure failure_;
};

class CredentialCache;

class AccountService {
 public:
  explicit AccountService(const ServiceContext& ctx);

  WritePlan<domain::User> plan_create_user(const Actor& actor, NewUser input);
  WritePlan<domain::User> plan_update_user(const Actor& actor, domain::UserId id, UserPatch patch);
  WritePlan<IssuedToken> plan_issue_token(const Actor& actor, domain::UserId user, NewToken input);
  WritePlan<domain::ApiToken> plan_revoke_token(const Actor& actor, domain::TokenId id);
  domain::User create_user(const Actor& actor, NewUser input);
  domain::User update_user(const Actor& actor, domain::UserId id, UserPatch patch);
  IssuedToken issue_token(const Actor& actor, domain::UserId user, NewToken input);
  domain::ApiToken revoke_token(const Actor& actor, domain::TokenId id);

  domain::User get_user(const Actor& actor, domain::UserId id);
  domain::User get_user_by_login(const Actor& actor, const std::string& login);
  storage::PageResult<domain::User> list_users(const Actor& actor, const UserListRequest& r);
  // The active leaders, for anyone who reads units: who may be in charge of a task.
  std::vector<domain::User> leaders(const Actor& actor);
  std::vector<domain::ApiToken> list_tokens(const Actor& actor, domain::UserId user);

  // The actor a bearer token stands for, or the reason it stands for nobody, as the accounts are
  // in the current read snapshot (a read of its own if the caller is in none). A token is
  // refused when malformed, unknown, expired or revoked, or when its user is deactivated.
  // A token checked before costs one lookup, of the credentials generation, instead of three.
  std::variant<Actor, AuthFailure> authenticate(const std::string& bearer) const;
  // The actor of a token this service checked before, from memory, without reading the
  // database; its unconfirmed_generation is set. nullopt for a token not remembered, expired
  // since, or checked before the last account change this process has seen.
  std::optional<Actor> remembered(const std::string& bearer) const;
  // Confirms a remembered actor inside `tx`, the transaction of the write it makes: at once if
  // no account changed since its token was checked, else by checking the token again. Throws
  // CredentialsRefused if the token is no longer good, and Conflict if it now stands for
  // another role, unit or login. Does nothing for an actor that was not remembered.
  void confirm(storage::ReadTx& tx, const Actor& actor, const std::string& bearer) const;
  // Whether a remembered actor is still right, in a read of its own (for an answer that
  // writes nothing).
  bool still_current(const Actor& actor) const;

 private:
  const ServiceContext& ctx_;
  std::shared_ptr<CredentialCache> cache_;  // shared by copies: one memory per service
};

}  // namespace dondoc::service
