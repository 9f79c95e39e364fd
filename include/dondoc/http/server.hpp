// The HTTP/1.1 server on Boost.Beast: keep-alive, header and body limits enforced while reading
// (413 before the body is read, 431), read/idle/write timeouts, and a graceful drain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "dondoc/http/message.hpp"

namespace dondoc::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  int read_timeout_s = 30;
  int idle_timeout_s = 60;
  int write_timeout_s = 30;
  int io_threads = 2;      // event loops; reads are answered on them
  int worker_threads = 2;  // for the answers too long for a loop (Outcome::slow)
};

using Handler = std::function<Outcome(const Request&)>;
// Runs an Outcome's `write` where writes are batched and calls `done(committed)` once the batch
// carrying it has committed (or failed). `alone` is true when no other request is in flight, so
// the dispatcher may do the work on the calling loop. Without a dispatcher, writes run on the
// loop.
using WriteDispatcher = std::function<void(std::function<void()> write,
                                           std::function<void(bool committed)> done, bool alone)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler, WriteDispatcher dispatch_write = {});
  ~Server();
  // Binds, starts the threads and accepts; returns the bound port (useful with port 0).
  std::uint16_t start();
  // Stops accepting; requests arriving on open connections get 503 and the connection closes.
  void stop_accepting();
  // Requests received and not yet answered.
  std::size_t in_flight() const;
  // Stops the event loops and joins their threads; connections are released on destruction.
  void stop();

  struct Impl;  // shared with the connections, which outlive a call

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace dondoc::http
