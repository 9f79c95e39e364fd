// Transport-neutral HTTP messages: handlers are pure functions from Request to Response
// (docs/design.md, "Conventions"), testable without sockets; only server.cpp knows Beast.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dondoc::http {

struct Request {
  std::string method;                          // "GET"
  std::string target;                          // "/api/v1/tasks?limit=5", as received
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string peer;  // the client's address ("127.0.0.1"); empty outside a server
  // Set by the server: runs a function on the connection's event loop once the work the loop
  // has in hand is done, which is where a GET's shared snapshot ends (RequestScope::in_snapshot).
  // Empty for a request handled outside an event loop.
  std::function<void(std::function<void()>)> after_work_in_hand;

  std::optional<std::string> header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A file sent as the body instead (a download), read in pieces as it goes out: its whole
  // length is the Content-Length, and `body` is ignored.
  std::string body_file;
  bool close = false;  // close the connection after sending

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// What the API makes of a request: an answer right away; or a write to run on the store's
// writer (`write`, which never throws) followed, once that write's batch has committed, by the
// answer (`answer`, run back on the connection's thread); or, for work too long for an event
// loop (a report over a million tasks), an answer made on a worker thread (`slow`, which never
// throws), so that the other connections of the loop are not kept waiting.
struct Outcome {
  Outcome(Response r) : now(std::move(r)) {}  // NOLINT: implicit, so handlers return responses
  Outcome(std::function<void()> w, std::function<Response()> a)
      : write(std::move(w)), answer(std::move(a)) {}
  static Outcome on_worker(std::function<Response()> work) {
    Outcome o{{}, {}};
    o.slow = std::move(work);
    return o;
  }

  std::optional<Response> now;
  std::function<void()> write;
  std::function<Response()> answer;
  std::function<Response()> slow;
  // Work before the write, too slow for an event loop (making an upload durable: a disk sync),
  // run on a worker thread: nullopt to go on to the write, or the answer instead (it never
  // throws).
  std::function<std::optional<Response>()> prepare;
  // The write confirms the caller's credentials in its own transaction before it changes
  // anything (a caller taken from memory: see AccountService::confirm).
  bool confirms_credentials = false;
};

// A request body taken in pieces as it arrives, for bodies too large to hold (uploads): the
// server hands it each piece, then asks for the Outcome. Dropping it drops what was received.
class BodySink {
 public:
  virtual ~BodySink() = default;
  // The most bytes the body may have; past it, the answer is too_large().
  virtual std::uint64_t limit() const = 0;
  // Takes the next piece; nullopt to go on, or the answer that ends the request (never throws).
  virtual std::optional<Response> append(std::string_view bytes) = 0;
  virtual Response too_large() const = 0;
  // The body is complete: what to do now (never throws).
  virtual Outcome finish() = 0;
};

// What a route that streams its body makes of the request's header: the answer at once (a
// refusal: the body is never read), or the sink its body goes to.
struct Streamed {
  std::optional<Outcome> answer;
  std::shared_ptr<BodySink> sink;
};

}  // namespace dondoc::http
