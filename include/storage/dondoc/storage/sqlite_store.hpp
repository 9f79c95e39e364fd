// The SQLite implementation of Store: WAL, one writer thread with group commit (a savepoint per
// request), a pool of read-only connections, numbered migrations checked at open.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "dondoc/storage/store.hpp"

namespace dondoc::storage {

struct SqliteOptions {
  std::string path;
  bool synchronous_full = true;  // synchronous=FULL, else NORMAL
  int busy_timeout_ms = 5000;
  int max_batch = 256;                             // write requests sharing one transaction at most
  std::int64_t min_free_bytes = 16 * 1024 * 1024;  // see Store::write_readiness
  // How much of the file each connection of read_together maps into memory (SQLite's mmap_size;
  // 0: none). A report passes over every task and reads the history of the changed ones, page by
  // page: mapped, a page costs no pread and no copy. Mapped pages are the kernel's page cache,
  // shared and clean, but they count in the process's resident size. And a read error of the
  // disk under a mapped page is a SIGBUS that ends the daemon, where a read would have been an
  // error answered to the report's caller (SQLite's mmap.html); acknowledged writes are on disk
  // either way.
  std::int64_t scan_map_bytes = std::int64_t{1} << 30;
};

// The schema version this build writes.
int latest_schema_version();

// Opens (creating if absent) and migrates the database; refuses a damaged database, an empty
// (0-byte) file, or one from a newer dondoc with a StorageError that says what was expected and
// found. Never recreates a file.
std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options);

// Brings the database to the latest schema and returns the version it had before.
int migrate_sqlite_database(const SqliteOptions& options);

}  // namespace dondoc::storage
