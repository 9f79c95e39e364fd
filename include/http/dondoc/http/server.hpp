// The HTTP/1.1 server on Boost.Beast: keep-alive, header and body limits enforced while reading
// (413 before the body is read, 431), framing checked as RFC 9112 requires (one Host; a
// Transfer-Encoding must end in chunked), read/idle/write timeouts, a cap on connections, a
// graceful drain. No exception leaves a connection: the worst a request can do is get a 500.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "dondoc/domain/clock.hpp"
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
  // Open connections at most. At the cap, a new connection closes the longest-idle one of its
  // event loop (one waiting for a request, as nginx reuses keep-alive connections); with none
  // idle, it is answered 503 and closed at once.
  int max_connections = 10000;
};

using Handler = std::function<Outcome(const Request&)>;
// Runs an Outcome's `write` where writes are batched and calls `done(committed)` once the batch
// carrying it has committed (or failed). `alone` is true when no other request is in flight, so
// the dispatcher may do the work on the calling loop. Without a dispatcher, writes run on the
// loop.
using WriteDispatcher = std::function<void(std::function<void()> write,
                                           std::function<void(bool committed)> done, bool alone)>;
// Judges a request from its header alone, before its body is read: asked for a request that
// says `Expect: 100-continue`, so that a refusal (a bad token) is sent instead of "continue".
// nullopt: go on and read the body; an Outcome: the answer, and the body is never read.
using Screen = std::function<std::optional<Outcome>(const Request& head)>;
// Asked for every request with a body, once its header is read: nullopt for a request whose
// body is read whole (the usual), or what to do with a body streamed in pieces (an upload).
using Streamer = std::function<std::optional<Streamed>(const Request& head)>;

class Server {
 public:
  // `clock`: its monotonic time bounds connections (timeouts) and measures requests; it must
  // outlive the server.
  Server(const domain::Clock& clock, ServerOptions options, Handler handler,
         WriteDispatcher dispatch_write = {}, Screen screen = {}, Streamer streamer = {});
  ~Server();
  // Binds, starts the threads and accepts; returns the bound port (useful with port 0).
  std::uint16_t start();
  // Stops accepting; requests arriving on open connections get 503 and the connection closes.
  void stop_accepting();
  // Requests received and not yet answered.
  std::size_t in_flight() const;
  // Connections open now.
  std::size_t connections() const;
  // Stops the event loops and joins their threads; connections are released on destruction.
  void stop();

  struct Impl;  // shared with the connections, which outlive a call

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace dondoc::http
