// Plain loopback sockets for the tests that must send what no HTTP client would (bytes that are
// not UTF-8, smuggled requests, idle connections by the thousand), and small checks on a daemon.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "daemon.hpp"
#include "http_client.hpp"

namespace dondoc::testing {

inline int port_of(const Daemon& d) {
  return std::stoi(d.base_url().substr(d.base_url().rfind(':') + 1));
}

// A connected loopback socket, or -1.
inline int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// The process is there and answers /healthz.
inline bool alive(const Daemon& d) {
  return ::kill(d.pid(), 0) == 0 && HttpClient(d.base_url()).get("/healthz").status == 200;
}

}  // namespace dondoc::testing
