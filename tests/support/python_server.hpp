// Starts one of the tests' Python servers (tests/support/*.py) with Debian's /usr/bin/python3,
// waits for its "listening PORT" line, and ends it by its PID.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace dondoc::testing {

// Runs a script of tests/support to its end with Debian's /usr/bin/python3 and returns what it
// printed on standard output. `args` follow the script, separated by spaces (no quoting).
std::string python_output(const std::string& script, const std::string& args);

class PythonServer {
 public:
  // `script` is relative to tests/support; `args` follow it on the command line.
  PythonServer(const std::string& script, const std::vector<std::string>& args);
  ~PythonServer();
  PythonServer(const PythonServer&) = delete;
  PythonServer& operator=(const PythonServer&) = delete;

  void stop();
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace dondoc::testing
