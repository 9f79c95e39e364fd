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
#include "logging.hpp"
#include "runtime.hpp"
#include "system_time.hpp"

namespace dondoc::app {

std::optional<config::Config> load_or_report(const std::string& path);

inline constexpr int kExitOfflineConfig = 2;
inline constexpr int kExitOfflineRuntime = 1;
inline constexpr int kExitOfflineUsage = 64;

// The runtime of a command: the daemon's, over the system clock.
struct Offline {
  explicit Offline(std::unique_ptr<Runtime> r) : runtime(std::move(r)), ctx(runtime->services) {}
  std::unique_ptr<Runtime> runtime;
  const service::ServiceContext& ctx;
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
    static const SystemClock clock;
    auto runtime = build_runtime(*cfg, clock, std::cerr);
    if (!runtime) {
      std::cerr << "dondocd: the message templates in " << config_path << " cannot be used\n";
      return kExitOfflineConfig;
    }
    Offline offline(std::move(runtime));
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
