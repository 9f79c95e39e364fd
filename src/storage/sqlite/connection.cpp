#include "connection.hpp"

#include <sqlite3.h>

#include "wal_write_buffer.hpp"

namespace dondoc::storage::sqlite {

namespace {
int open_flags(Connection::Mode mode) {
  // Each connection is used by one thread at a time, so SQLite's own mutexes are unnecessary.
  const int base = SQLITE_OPEN_NOMUTEX;
  return mode == Connection::Mode::read_only ? base | SQLITE_OPEN_READONLY
                                             : base | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
}

// The gathering VFS is safe only where each commit syncs before it is published.
std::string vfs_of(Connection::Mode mode, bool synchronous_full) {
  return mode == Connection::Mode::read_write_gathered && synchronous_full ? wal_write_buffer_vfs()
                                                                           : "";
}
}  // namespace

Connection::Connection(const std::string& path, Mode mode, bool synchronous_full,
                       int busy_timeout_ms, std::int64_t map_bytes)
    : db_(path, open_flags(mode), busy_timeout_ms, vfs_of(mode, synchronous_full)) {
  db_.exec("PRAGMA foreign_keys = ON");
  db_.exec(std::string("PRAGMA synchronous = ") + (synchronous_full ? "FULL" : "NORMAL"));
  // A modest page cache per connection: there is one per serving thread, and the OS page cache
  // holds the rest. A report's connections also map the file (SqliteOptions::scan_map_bytes).
  db_.exec(mode == Mode::read_only ? "PRAGMA cache_size = -2048" : "PRAGMA cache_size = -8192");
  db_.exec("PRAGMA mmap_size = " + std::to_string(map_bytes));
  // Every request and every task of a reminder pass runs in a savepoint, whose undo log (the
  // sub-journal) SQLite otherwise writes to a temporary file: a write() per page touched. In
  // memory it is a few pages per savepoint, dropped at its release.
  db_.exec("PRAGMA temp_store = MEMORY");
}

SQLite::Statement& Connection::statement(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    std::string text(sql);
    auto prepared = std::make_unique<SQLite::Statement>(db_, text);
    it = cache_.emplace(std::move(text), Cached{std::move(prepared), false}).first;
  } else {
    it->second.statement->reset();
    it->second.statement->clearBindings();
  }
  Cached& cached = it->second;
  if (!cached.handed_out) {
    cached.handed_out = true;
    handed_out_.push_back(&cached);
  }
  return *cached.statement;
}

void Connection::reset_statements() {
  for (Cached* cached : handed_out_) {
    cached->statement->tryReset();
    cached->handed_out = false;
  }
  handed_out_.clear();
}

}  // namespace dondoc::storage::sqlite
