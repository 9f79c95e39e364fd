#include "account_commands.hpp"

#include <charconv>
#include <iostream>
#include <memory>

#include "dondoc/config/config.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "logging.hpp"
#include "system_time.hpp"

namespace dondoc::app {

std::optional<config::Config> load_or_report(const std::string& path);
storage::SqliteOptions sqlite_options(const config::Config& c);

namespace {

constexpr int kExitConfig = 2;
constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 64;

// What the account commands need: the database and the services over it, acting as the
// operator of the server (Actor::system), whom the authorization table does not limit.
struct Offline {
  explicit Offline(const config::Config& cfg)
      : zone(cfg.time_zone),
        calendar(cfg.calendar),
        store(storage::open_sqlite_store(sqlite_options(cfg))),
        ctx{*store, clock, zone, calendar, domain::ClassifyPolicy{}, 50, 1000},
        accounts(ctx) {}

  SystemClock clock;
  SystemTimeZone zone;
  domain::WorkingCalendar calendar;
  std::unique_ptr<storage::Store> store;
  service::ServiceContext ctx;
  service::AccountService accounts;
};

// Runs a command over the database named by the config, reporting errors as a person would
// want them: what was wrong, and the exit code scripts can test.
template <typename Body>
int with_accounts(const std::string& config_path, Body body) {
  auto cfg = load_or_report(config_path);
  if (!cfg) {
    return kExitConfig;
  }
  // Warnings and errors only, on stderr: stdout is the command's answer.
  config::LogConfig quiet = cfg->log;
  quiet.level = "warn";
  configure_logging(quiet);
  try {
    Offline offline(*cfg);
    return body(offline);
  } catch (const domain::ValidationError& e) {
    for (const auto& f : e.errors()) {
      std::cerr << "dondocd: " << f.field << ": " << f.message << "\n";
    }
    return kExitUsage;
  } catch (const domain::NotFound& e) {
    std::cerr << "dondocd: " << e.what() << "\n";
    return kExitUsage;
  } catch (const domain::Conflict& e) {
    std::cerr << "dondocd: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "dondocd: " << e.what() << "\n";
    return kExitRuntime;
  }
}

std::optional<domain::UnitId> resolve_unit(Offline& o, const std::string& unit) {
  if (unit.empty()) {
    return std::nullopt;
  }
  std::optional<domain::Unit> found;
  o.store->read([&](storage::ReadTx& tx) {
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
  return with_accounts(config_path, [&](Offline& off) {
    auto role = domain::parse_role(o.role);
    if (!role) {
      throw domain::ValidationError("role", "must be one of admin, office, leader, unit");
    }
    service::NewUser u{o.login, o.display_name, o.email, *role, resolve_unit(off, o.unit)};
    const auto user = off.accounts.create_user(service::Actor::system(), std::move(u));
    std::cout << "user " << user.login << " (id " << user.id << ", " << domain::to_string(user.role)
              << ") created; issue its token with: dondocd token "
              << "issue " << user.login << "\n";
    return 0;
  });
}

int user_list(const std::string& config_path) {
  return with_accounts(config_path, [&](Offline& off) {
    service::UserListRequest r;
    r.limit = 1000;
    for (;;) {
      auto page = off.accounts.list_users(service::Actor::system(), r);
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
  return with_accounts(config_path, [&](Offline& off) {
    const auto actor = service::Actor::system();
    const auto user = off.accounts.get_user_by_login(actor, login);
    service::UserPatch patch;
    patch.active = false;
    off.accounts.update_user(actor, user.id, patch);
    std::cout << "user " << login << " deactivated; its tokens no longer work\n";
    return 0;
  });
}

int token_issue(const std::string& config_path, const std::string& login, const std::string& label,
                std::optional<int> expires_in_days) {
  return with_accounts(config_path, [&](Offline& off) {
    const auto actor = service::Actor::system();
    const auto user = off.accounts.get_user_by_login(actor, login);
    const auto issued =
        off.accounts.issue_token(actor, user.id, {label.empty() ? "cli" : label, expires_in_days});
    std::cout << "token " << issued.token.id << " for " << login
              << " issued; it is shown only now, keep it secret:\n"
              << issued.secret << "\n";
    return 0;
  });
}

int token_revoke(const std::string& config_path, long long token_id) {
  return with_accounts(config_path, [&](Offline& off) {
    off.accounts.revoke_token(service::Actor::system(), token_id);
    std::cout << "token " << token_id << " revoked\n";
    return 0;
  });
}

}  // namespace dondoc::app
