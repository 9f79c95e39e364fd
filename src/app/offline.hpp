// What the commands that work on the database without the daemon share (`user`, `token`,
// `report`, ...): the configured database and services over it, acting as the operator of the
// server (Actor::system), whom the authorization table does not limit; and one way of turning
// errors into messages and exit codes.
#pragma once

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "dondoc/config/config.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "logging.hpp"
#include "system_time.hpp"

namespace dondoc::app {

std::optional<config::Config> load_or_report(const std::string& path);
storage::SqliteOptions sqlite_options(const config::Config& c);

inline constexpr int kExitOfflineConfig = 2;
inline constexpr int kExitOfflineRuntime = 1;
inline constexpr int kExitOfflineUsage = 64;

struct Offline {
  explicit Offline(const config::Config& cfg)
      : zone(cfg.time_zone),
        calendar(cfg.calendar),
        store(storage::open_sqlite_store(sqlite_options(cfg))),
        ctx{*store,
            clock,
            zone,
            calendar,
            domain::ClassifyPolicy{cfg.reminders.due_soon_working_days,
                                   cfg.extensions.on_time_within_extension},
            50,
            1000} {}

  SystemClock clock;
  SystemTimeZone zone;
  domain::WorkingCalendar calendar;
  std::unique_ptr<storage::Store> store;
  service::ServiceContext ctx;
};

// Runs a command over the database named by the config, reporting errors as a person would
// want them: what was wrong, and the exit code scripts can test.
template <typename Body>
int with_offline(const std::string& config_path, Body body) {
  auto cfg = load_or_report(config_path);
  if (!cfg) {
    return kExitOfflineConfig;
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
    return kExitOfflineUsage;
  } catch (const domain::NotFound& e) {
    std::cerr << "dondocd: " << e.what() << "\n";
    return kExitOfflineUsage;
  } catch (const domain::Conflict& e) {
    std::cerr << "dondocd: " << e.what() << "\n";
    return kExitOfflineUsage;
  } catch (const std::exception& e) {
    std::cerr << "dondocd: " << e.what() << "\n";
    return kExitOfflineRuntime;
  }
}

}  // namespace dondoc::app
