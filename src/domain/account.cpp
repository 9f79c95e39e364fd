#include "dondoc/domain/account.hpp"

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"
#include "enum_names.hpp"

namespace dondoc::domain {

namespace {

constexpr std::size_t kMaxLoginChars = 64;
constexpr std::size_t kMaxDisplayNameChars = 200;
// NIST SP 800-63B's floor is 8; a government office's accounts reach its whole register.
constexpr std::size_t kMinPasswordChars = 10;
constexpr std::size_t kMaxPasswordChars = 256;

constexpr detail::NameTable<Role, 4> kRoles{{
    {Role::admin, "admin"},
    {Role::office, "office"},
    {Role::leader, "leader"},
    {Role::unit, "unit"},
}};

// Logins appear in logs, history and audit lines: keep them to a plain, unambiguous alphabet.
bool valid_login(const std::string& login) {
  if (login.empty() || login.size() > kMaxLoginChars) {
    return false;
  }
  for (char c : login) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view to_string(Role role) {
  return detail::name_of(kRoles, role);
}

std::optional<Role> parse_role(std::string_view text) {
  return detail::parse_name(kRoles, text);
}

void validate_user(const User& user) {
  FieldErrors errors;
  if (!valid_login(user.login)) {
    errors.add("login",
               "must be 1-64 characters of lower-case letters a-z, digits, '.', '_' or '-'");
  }
  if (user.display_name.empty()) {
    errors.add("display_name", "is required and must not be blank");
  } else if (code_points(user.display_name) > kMaxDisplayNameChars) {
    errors.add("display_name", "must be at most 200 characters");
  } else if (has_control_characters(user.display_name, false)) {
    errors.add("display_name", "must not contain line breaks or control characters");
  }
  if (!user.email.empty() && !plausible_email(user.email)) {
    errors.add("email", "is not an email address");
  }
  if (user.role == Role::unit && !user.unit_id) {
    errors.add("unit_id", "is required for role unit: the unit the user works for");
  }
  if (user.role != Role::unit && user.unit_id) {
    errors.add("unit_id", "is only for role unit; a " + std::string(to_string(user.role)) +
                              " sees every unit's tasks");
  }
  errors.throw_if_any();
}

void validate_password(const std::string& password, const std::string& login,
                       const std::string& field) {
  if (first_invalid_utf8(password)) {
    throw ValidationError(field, "must be UTF-8 text");
  }
  const auto length = code_points(password);
  if (length < kMinPasswordChars) {
    throw ValidationError(
        field, "must be at least " + std::to_string(kMinPasswordChars) + " characters long");
  }
  if (length > kMaxPasswordChars) {
    throw ValidationError(field,
                          "must be at most " + std::to_string(kMaxPasswordChars) + " characters");
  }
  if (password == login) {
    throw ValidationError(field, "must not be the login name");
  }
}

std::string role_names() {
  return detail::names_of(kRoles);
}

}  // namespace dondoc::domain
