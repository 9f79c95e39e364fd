// `dondocd user ...` and `dondocd token ...`: account management on the server itself, so that the
// first admin can be created on a fresh install (the API refuses everyone until then).
#pragma once

#include <optional>
#include <string>

namespace dondoc::app {

struct UserAddOptions {
  std::string login;
  std::string display_name;
  std::string email;
  std::string role;
  std::string unit;  // code or id, for role unit
};

int user_add(const std::string& config_path, const UserAddOptions& o);
int user_list(const std::string& config_path);
int user_deactivate(const std::string& config_path, const std::string& login);
// Reads the new password from standard input: one line from a pipe, or typed twice, unechoed,
// at a terminal. The user's sessions end.
int user_passwd(const std::string& config_path, const std::string& login);
// Prints the token alone on the last line of its output, so that scripts can capture it.
int token_issue(const std::string& config_path, const std::string& login, const std::string& label,
                std::optional<int> expires_in_days);
int token_revoke(const std::string& config_path, long long token_id);

}  // namespace dondoc::app
