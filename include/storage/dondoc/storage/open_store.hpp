// The one place that turns the `database` section of the configuration into a Store: every
// command, the daemon and the tools open their database here, so a second engine is one more
// case in open_store, not new wiring in each of them.
#pragma once

#include <memory>

#include "dondoc/config/config.hpp"
#include "dondoc/storage/store.hpp"

namespace dondoc::storage {

// Opens (creating if absent) and migrates the configured database. Throws domain::StorageError
// naming what is wrong (a damaged or empty file, a newer schema, an unknown engine).
std::unique_ptr<Store> open_store(const config::DatabaseConfig& database);

// Brings the configured database to the latest schema; returns the version it had before.
int migrate_database(const config::DatabaseConfig& database);

}  // namespace dondoc::storage
