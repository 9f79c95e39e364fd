// Accounts and API tokens (issue 3): managing users, issuing and revoking bearer tokens, and
// turning a presented token into the Actor a request runs as.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dondoc/service/services.hpp"

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
};

class AccountService {
 public:
  explicit AccountService(ServiceContext& ctx) : ctx_(ctx) {}

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
  std::vector<domain::ApiToken> list_tokens(const Actor& actor, domain::UserId user);

  // The actor a bearer token stands for, or the reason it stands for nobody. A token is refused
  // when malformed, unknown, expired or revoked, or when its user is deactivated.
  std::variant<Actor, AuthFailure> authenticate(const std::string& bearer) const;

 private:
  ServiceContext& ctx_;
};

}  // namespace dondoc::service
