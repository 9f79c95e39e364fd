// Accounts (docs/design.md, "Who may do what"): who may use dondoc, in which role, and the API
// tokens they sign in with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dondoc/domain/date.hpp"
#include "dondoc/domain/unit.hpp"

namespace dondoc::domain {

using UserId = std::int64_t;
using TokenId = std::int64_t;

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

}  // namespace dondoc::domain
