// The daemon's parts, built in one place from the configuration (as Kea's server.init(config)
// does): the store, one complete ServiceContext, and the options of the reminder scanner, the
// delivery, the API and the HTTP server, all derived from the same values. `serve`, `demo`,
// `import`, `report`, `user`, `token` and `migrate` all start here, so that a command can never
// run with less of the configuration than the daemon would.
#pragma once

#include <memory>
#include <ostream>

#include "dondoc/config/config.hpp"
#include "dondoc/delivery/dispatcher.hpp"
#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/clock.hpp"
#include "dondoc/http/api.hpp"
#include "dondoc/http/server.hpp"
#include "dondoc/scheduler/scanner.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/storage/file_store.hpp"
#include "dondoc/storage/store.hpp"
#include "system_time.hpp"

namespace dondoc::app {

struct Runtime {
  // Opens the configured database (throws domain::StorageError when it cannot be used).
  Runtime(const config::Config& config, const domain::Clock& clock, notify::TemplateSet templates);
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  const config::Config config;
  const domain::Clock& clock;
  const SystemTimeZone zone;
  const domain::WorkingCalendar calendar;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::FileStore> files;  // attached documents' content
  const service::ServiceContext services;
  const scheduler::ScannerOptions scanner;
  const delivery::DeliveryOptions delivery;
  const http::ApiInfo api;
  // Without max_connections' lowering to the process's file limit: serve does that.
  const http::ServerOptions server;
};

// Reads the message templates the configuration names, then builds the runtime over `clock`.
// Prints every template problem to `problems` and returns nullptr if there was any (before the
// database is touched).
// The printed reports' letterhead and signature block, from `report`.
http::Letterhead letterhead(const config::Config& config);

std::unique_ptr<Runtime> build_runtime(const config::Config& config, const domain::Clock& clock,
                                       std::ostream& problems);

}  // namespace dondoc::app
