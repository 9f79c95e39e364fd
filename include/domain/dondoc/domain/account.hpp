// Accounts (docs/design.md, "Who may do what"): who may use dondoc, in which role, and the API
// tokens they sign in with.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dondoc/domain/date.hpp"
#include "dondoc/domain/unit.hpp"

namespace dondoc::domain {

using UserId = std::int64_t;
using TokenId = std::int64_t;
using SessionId = std::int64_t;

// `unit` users belong to one unit and see only its tasks; the others see every task or none
// (admin), as the authorization table in service/authorization.hpp says.
enum class Role { admin, office, leader, unit };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);
std::string role_names();  // "admin, office, leader, unit"

struct User {
  UserId id = 0;
  std::string login;  // lower-case letters, digits, '.', '_', '-'
  std::string display_name;
  std::string email;
  Role role = Role::unit;
  std::optional<UnitId> unit_id;  // required for `unit`, absent for the other roles
  bool active = true;
  // A password was set (people sign in with it; API clients use tokens and need none).
  bool has_password = false;
  // The password was set by an admin as a one-time one: until its owner chooses another, a
  // session of this user may do nothing else.
  bool must_change_password = false;
  Instant created_at{};
  Instant updated_at{};
};

// Every problem with a user's own fields, with the field names of the API.
void validate_user(const User& user);

// A bearer token as stored: never the secret itself, only its SHA-256.
struct ApiToken {
  TokenId id = 0;
  UserId user_id = 0;
  std::string label;
  std::string secret_sha256;  // 64 lower-case hex digits
  Instant created_at{};
  std::optional<Instant> expires_at;
  std::optional<Instant> revoked_at;
};

// A person's signed-in browser: like a token, only the SHA-256 of its secret is stored. It ends
// at sign-out, after `idle` without a request, or `lifetime` after sign-in, whichever is first.
struct Session {
  SessionId id = 0;
  UserId user_id = 0;
  std::string secret_sha256;  // 64 lower-case hex digits
  // Sent back with every state-changing request the session makes (X-CSRF-Token): a page of
  // another site can make the browser send the cookie, but cannot read this.
  std::string csrf_token;
  Instant created_at{};
  Instant last_seen_at{};
  Instant expires_at{};  // created_at + lifetime
  std::optional<Instant> ended_at;
};

struct SessionPolicy {
  std::chrono::seconds idle{30 * 60};
  std::chrono::seconds lifetime{12 * 3600};
};

// What a password must be: 10 to 256 characters (code points), not the login itself. Throws
// ValidationError on `field`.
void validate_password(const std::string& password, const std::string& login,
                       const std::string& field);

}  // namespace dondoc::domain
