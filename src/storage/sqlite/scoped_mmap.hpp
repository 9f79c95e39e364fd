// Reports read most of the database at once: the tasks in one pass, the history at random.
// Through read() that is a system call per page, which on the machines we measure costs more than
// SQLite's own work; mapped, the pages are read in place (a report over 100,000 tasks: the
// history query 269 → 82 ms). The mapping lasts for the read only, because mapped pages count
// towards the daemon's resident size while it holds them.
#pragma once

#include "connection.hpp"

namespace dondoc::storage::sqlite {

class ScopedMmap {
 public:
  explicit ScopedMmap(Connection& conn) : conn_(conn) {
    conn_.db().exec("PRAGMA mmap_size = 4294967296");
  }
  ~ScopedMmap() {
    try {
      conn_.db().exec("PRAGMA mmap_size = 0");
    } catch (const std::exception&) {
      // the connection keeps its mapping until it is closed; nothing is lost
    }
  }
  ScopedMmap(const ScopedMmap&) = delete;
  ScopedMmap& operator=(const ScopedMmap&) = delete;

 private:
  Connection& conn_;
};

}  // namespace dondoc::storage::sqlite
