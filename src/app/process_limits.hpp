// What `dondocd serve` claims from the operating system before it serves: the database for
// itself alone, and as many file descriptors as it may have.
#pragma once

#include <memory>
#include <string>

namespace dondoc::app {

// An exclusive lock on `<database>.lock` (flock), held until destroyed: two daemons on one
// SQLite file would both run the scheduler and deliver the outbox (156 of 240 e-mails once
// arrived twice). The kernel drops it when the process ends, however it ends.
class DatabaseLock {
 public:
  // Throws std::runtime_error saying which process holds the lock, or why it cannot be taken.
  explicit DatabaseLock(const std::string& database_path);
  ~DatabaseLock();
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

 private:
  int fd_ = -1;
};

// Raises the soft limit on open files to the hard one (systemd's default soft limit is 1024)
// and returns the soft limit now in force.
long raise_file_limit();

}  // namespace dondoc::app
