#include "dondoc/storage/open_store.hpp"

#include "dondoc/domain/errors.hpp"
#include "dondoc/storage/sqlite_store.hpp"

namespace dondoc::storage {

namespace {

SqliteOptions sqlite_options(const config::DatabaseConfig& database) {
  SqliteOptions o;
  o.path = database.path;
  o.synchronous_full = database.durability == config::Durability::full;
  o.busy_timeout_ms = database.busy_timeout_ms;
  o.min_free_bytes = database.min_free_bytes;
  return o;
}

}  // namespace

std::unique_ptr<Store> open_store(const config::DatabaseConfig& database) {
  switch (database.engine) {
    case config::DatabaseEngine::sqlite:
      return open_sqlite_store(sqlite_options(database));
  }
  throw domain::StorageError("database.engine: this build has no such engine");
}

int migrate_database(const config::DatabaseConfig& database) {
  switch (database.engine) {
    case config::DatabaseEngine::sqlite:
      return migrate_sqlite_database(sqlite_options(database));
  }
  throw domain::StorageError("database.engine: this build has no such engine");
}

}  // namespace dondoc::storage
