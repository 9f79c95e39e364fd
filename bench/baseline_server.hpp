// Starts bench/minimal_beast_server (the baselines' HTTP server) in a child process and returns
// the port it printed; the caller ends it by its PID.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

inline int start_minimal_server(const char* mode, pid_t& pid) {
  int fds[2];
  if (::pipe(fds) != 0) {
    throw std::runtime_error("pipe failed");
  }
  pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::execl(MINIMAL_BEAST_SERVER, MINIMAL_BEAST_SERVER, mode, nullptr);
    ::_exit(127);
  }
  ::close(fds[1]);
  char line[64] = {};
  if (::read(fds[0], line, sizeof line - 1) <= 0) {
    throw std::runtime_error("minimal_beast_server did not start");
  }
  ::close(fds[0]);
  return std::stoi(std::string(line).substr(std::string(line).rfind(' ') + 1));
}
