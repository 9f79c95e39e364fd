#include "process_limits.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace dondoc::app {

DatabaseLock::DatabaseLock(const std::string& database_path) {
  const std::string path = database_path + ".lock";
  // The database's directory is made here, as opening the database would make it: the lock is
  // taken first.
  const auto parent = std::filesystem::path(database_path).parent_path();
  if (!parent.empty()) {
    std::error_code ignored;  // a failure shows in open() below, with its reason
    std::filesystem::create_directories(parent, ignored);
  }
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char holder[32] = {};
    const ssize_t n = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      std::string pid = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : "";
      while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
        pid.pop_back();
      }
      throw std::runtime_error("database " + database_path +
                               " is already served by another dondocd" +
                               (pid.empty() ? "" : " (process " + pid + ")") + ", which holds " +
                               path + "; stop it first, or give this one another database.path");
    }
    throw std::runtime_error("cannot lock " + path + ": " + std::strerror(error));
  }
  // Who holds it, for the message above; the lock, not this text, is what counts.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
    // Only the message of a second daemon loses the pid.
  }
}

DatabaseLock::~DatabaseLock() {
  if (fd_ >= 0) {
    ::close(fd_);  // releases the lock
  }
}

long raise_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return 1024;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit = raised;
    }
  }
  return limit.rlim_cur == RLIM_INFINITY ? 1L << 20 : static_cast<long>(limit.rlim_cur);
}

}  // namespace dondoc::app
