#include "account_commands.hpp"

#include <termios.h>
#include <unistd.h>

#include <charconv>
#include <iostream>
#include <memory>

#include "dondoc/config/config.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/service/sessions.hpp"
#include "offline.hpp"

namespace dondoc::app {

namespace {

std::optional<domain::UnitId> resolve_unit(Offline& o, const std::string& unit) {
  if (unit.empty()) {
    return std::nullopt;
  }
  std::optional<domain::Unit> found;
  o.runtime->store->read([&](storage::ReadTx& tx) {
    domain::UnitId id = 0;
    auto [ptr, ec] = std::from_chars(unit.data(), unit.data() + unit.size(), id);
    found = ec == std::errc() && ptr == unit.data() + unit.size() ? tx.find_unit(id)
                                                                  : tx.find_unit_by_code(unit);
  });
  if (!found) {
    throw domain::ValidationError("unit", "there is no unit with code or id '" + unit + "'");
  }
  return found->id;
}

}  // namespace

int user_add(const std::string& config_path, const UserAddOptions& o) {
  return with_offline(config_path, [&](Offline& off) {
    auto role = domain::parse_role(o.role);
    if (!role) {
      throw domain::ValidationError("role", "must be one of " + domain::role_names());
    }
    service::NewUser u{o.login, o.display_name, o.email, *role, resolve_unit(off, o.unit)};
    const auto user =
        service::AccountService(off.ctx).create_user(service::Actor::system(), std::move(u));
    std::cout << "user " << user.login << " (id " << user.id << ", " << domain::to_string(user.role)
              << ") created; issue its token with: dondocd token "
              << "issue " << user.login << "\n";
    return 0;
  });
}

int user_list(const std::string& config_path) {
  return with_offline(config_path, [&](Offline& off) {
    service::UserListRequest r;
    r.limit = off.ctx.max_page_size;  // the largest page the configuration allows
    for (;;) {
      auto page = service::AccountService(off.ctx).list_users(service::Actor::system(), r);
      for (const auto& u : page.items) {
        std::cout << u.id << "\t" << u.login << "\t" << domain::to_string(u.role) << "\t"
                  << (u.unit_id ? "unit " + std::to_string(*u.unit_id) : "-") << "\t"
                  << (u.active ? "active" : "deactivated") << "\t" << u.display_name << "\n";
      }
      if (!page.next) {
        return 0;
      }
      r.cursor = page.next;
    }
  });
}

int user_deactivate(const std::string& config_path, const std::string& login) {
  return with_offline(config_path, [&](Offline& off) {
    const auto actor = service::Actor::system();
    const auto user = service::AccountService(off.ctx).get_user_by_login(actor, login);
    service::UserPatch patch;
    patch.active = false;
    service::AccountService(off.ctx).update_user(actor, user.id, patch);
    std::cout << "user " << login
              << " deactivated; its tokens are revoked (reactivated, it needs new ones)\n";
    return 0;
  });
}

namespace {

// One line of standard input, without its line ending; unechoed at a terminal.
std::optional<std::string> read_secret_line(const char* prompt) {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!got) {
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

}  // namespace

int user_passwd(const std::string& config_path, const std::string& login) {
  const auto password = read_secret_line("New password: ");
  if (!password) {
    throw domain::ValidationError("password", "none given: type it, or pipe it in on one line");
  }
  if (::isatty(STDIN_FILENO) == 1) {
    const auto again = read_secret_line("The same again: ");
    if (!again || *again != *password) {
      throw domain::ValidationError("password", "the two did not match; nothing was changed");
    }
  }
  return with_offline(config_path, [&](Offline& off) {
    const auto user =
        service::SessionService(off.ctx).set_password(service::Actor::system(), login, *password);
    std::cout << "password of " << user.login
              << " set; its sessions have ended. Sign in at the web address with it.\n";
    return 0;
  });
}

int token_issue(const std::string& config_path, const std::string& login, const std::string& label,
                std::optional<int> expires_in_days) {
  return with_offline(config_path, [&](Offline& off) {
    const auto actor = service::Actor::system();
    const auto user = service::AccountService(off.ctx).get_user_by_login(actor, login);
    const auto issued = service::AccountService(off.ctx).issue_token(
        actor, user.id, {label.empty() ? "cli" : label, expires_in_days});
    std::cout << "token " << issued.token.id << " for " << login
              << " issued; it is shown only now, keep it secret:\n"
              << issued.secret << "\n";
    return 0;
  });
}

int token_revoke(const std::string& config_path, long long token_id) {
  return with_offline(config_path, [&](Offline& off) {
    service::AccountService(off.ctx).revoke_token(service::Actor::system(), token_id);
    std::cout << "token " << token_id << " revoked\n";
    return 0;
  });
}

}  // namespace dondoc::app
