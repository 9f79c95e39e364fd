// The store the unit tests of services, the scheduler and the API stand on: a real SQLite file in
// the test's temporary directory, with every migration applied, without fsync (durability is not
// what those tests are about; the contract and crash tests keep it on).
#pragma once

#include <memory>

#include "dondoc/storage/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace dondoc::testing {

inline std::unique_ptr<storage::Store> open_test_store(const TempDir& dir) {
  storage::SqliteOptions o;
  o.path = dir.file("dondoc.db");
  o.synchronous_full = false;
  return storage::open_sqlite_store(o);
}

}  // namespace dondoc::testing
