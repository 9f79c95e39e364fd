// A SQLite connection with its pragmas applied and a cache of prepared statements, used by one
// thread at a time.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dondoc::storage::sqlite {

class Connection {
 public:
  // read_write_gathered: a writer whose WAL writes are gathered into one per commit (see
  // wal_write_buffer.hpp); only with synchronous_full, and the mode falls back to read_write
  // otherwise.
  enum class Mode { read_write, read_write_gathered, read_only };
  // map_bytes: how much of the file to map (SQLite's mmap_size), 0 for none.
  Connection(const std::string& path, Mode mode, bool synchronous_full, int busy_timeout_ms,
             std::int64_t map_bytes = 0);

  SQLite::Database& db() { return db_; }
  // A prepared statement for `sql`, reset and with bindings cleared, ready to bind. Looked up
  // by the text itself, without copying it: a statement literal costs one hash per call.
  SQLite::Statement& statement(std::string_view sql);
  // Resets every statement handed out since the last call. A SELECT stepped but not reset keeps
  // its snapshot, and a snapshot held forever stops checkpoints and lets the WAL grow without
  // bound: call this before ending each transaction.
  void reset_statements();

 private:
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  struct Cached {
    std::unique_ptr<SQLite::Statement> statement;
    bool handed_out = false;  // since the last reset_statements
  };
  SQLite::Database db_;
  std::unordered_map<std::string, Cached, TextHash, std::equal_to<>> cache_;
  // Those handed out since the last reset_statements, each once: a request uses a few of the
  // dozens cached.
  std::vector<Cached*> handed_out_;
};

// Applies every pending migration, each in its own transaction; returns the version found.
int migrate(SQLite::Database& db, const std::string& path);
int schema_version_of(SQLite::Database& db);
int latest_version();

}  // namespace dondoc::storage::sqlite
