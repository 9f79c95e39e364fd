#include "dondoc/http/server.hpp"

#include "query.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "dondoc/domain/text.hpp"
#include "dondoc/http/api.hpp"
#include "response_head.hpp"
#include "wire.hpp"

namespace dondoc::http {

using domain::excerpt;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session;

// Logs a kind of error at most once per interval, with how many there were since the line
// before: a client or the kernel can make errors far faster than anyone can read them (1.16 GB
// of accept_failed lines in 45 s, once).
class ThrottledLog {
 public:
  ThrottledLog(const domain::Clock& clock, std::chrono::seconds interval)
      : clock_(clock), interval_(interval) {}
  // The number of events to report now (this one included), or 0 to stay quiet.
  std::uint64_t count() {
    std::lock_guard lock(mutex_);
    ++pending_;
    const auto now = clock_.monotonic();
    if (now - last_ < interval_) {
      return 0;
    }
    last_ = now;
    return std::exchange(pending_, 0);
  }

 private:
  const domain::Clock& clock_;
  std::mutex mutex_;
  std::chrono::seconds interval_;
  std::chrono::steady_clock::time_point last_{};
  std::uint64_t pending_ = 0;
};

// Threads: `io_threads` event loops, each with its own io_context so that a connection lives on
// one thread and needs no locking; reads are answered right there. Requests that write go to the
// write dispatcher (the store's writer, in dondocd), which answers after the commit carrying them;
// the answer is posted back to the connection's loop. Answers too long for a loop (reports) are
// made on `workers_` and posted back the same way.
struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(const domain::Clock& clock, ServerOptions o, Handler h, WriteDispatcher w, Screen s,
       Streamer st)
      : clock_(clock),
        options_(std::move(o)),
        handler_(std::move(h)),
        screen_(std::move(s)),
        streamer_(std::move(st)),
        dispatch_write_(std::move(w)) {
    for (int i = 0; i < options_.io_threads; ++i) {
      loops_.push_back(std::make_unique<net::io_context>(1));
      guards_.emplace_back(loops_.back()->get_executor());
    }
    idle_.resize(loops_.size());
    acceptor_.emplace(*loops_.front());
    accept_backoff_.emplace(*loops_.front());
  }

  const domain::Clock& clock_;
  ServerOptions options_;
  Handler handler_;
  Screen screen_;
  Streamer streamer_;
  std::vector<std::unique_ptr<net::io_context>> loops_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  // Per loop, the connections waiting for a request, longest-waiting first; each list is used
  // only by its loop's thread.
  std::vector<std::list<std::weak_ptr<Session>>> idle_;
  std::vector<std::thread> threads_;
  net::thread_pool workers_{static_cast<std::size_t>(std::max(options_.worker_threads, 1))};
  WriteDispatcher dispatch_write_;
  std::optional<tcp::acceptor> acceptor_;
  std::optional<net::steady_timer> accept_backoff_;
  std::size_t next_loop_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<std::size_t> connections_{0};
  ThrottledLog accept_errors_{clock_, std::chrono::seconds(10)};
  ThrottledLog connection_errors_{clock_, std::chrono::seconds(10)};
  ThrottledLog refusals_{clock_, std::chrono::seconds(10)};
  std::shared_ptr<spdlog::logger> log_ = spdlog::get("http");

  void accept();
};

class Session : public std::enable_shared_from_this<Session> {
  static constexpr std::size_t kFirstRead = 4096;

 public:
  Session(tcp::socket&& socket, std::shared_ptr<Server::Impl> server, std::size_t loop)
      : socket_(std::move(socket)),
        ticker_(socket_.get_executor()),
        server_(std::move(server)),
        loop_(loop) {
    server_->connections_.fetch_add(1);
    beast::error_code ec;
    const auto remote = socket_.remote_endpoint(ec);
    if (!ec) {
      peer_ = remote.address().to_string();
    }
  }
  ~Session() {
    close_body_file();
    server_->connections_.fetch_sub(1);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void run() {
    // Responses go out in one write; Nagle would only delay them.
    beast::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->guarded([&] {
        self->tick();
        if (self->server_->connections_.load() >
                static_cast<std::size_t>(std::max(self->opts().max_connections, 1)) &&
            !self->evict_idle()) {
          return self->refuse();
        }
        self->wait_for_request();
      });
    });
  }

  // Closes a connection that waits for a request, to make room for a new one.
  void evict() {
    beast::error_code ignored;
    socket_.close(ignored);  // its pending wait ends with operation_aborted
  }

 private:
  const ServerOptions& opts() const { return server_->options_; }
  std::chrono::steady_clock::time_point now() const { return server_->clock_.monotonic(); }

  // Runs one step of the connection; whatever it throws is logged and ends this request alone,
  // with a 500 when nothing has been sent yet.
  template <typename F>
  void guarded(F&& step) {
    try {
      step();
    } catch (const std::exception& e) {
      fail(e.what());
    } catch (...) {
      fail("an exception that is not a std::exception");
    }
  }

  void fail(const char* what) noexcept {
    try {
      if (const auto n = server_->connection_errors_.count()) {
        server_->log_->error("event=connection_failed error=\"{}\" target=\"{}\" count={}",
                             excerpt(what), loggable_target(target_), n);
      }
      if (!writing_ && !closed_) {
        keep_alive_ = false;
        wire_.assign(last_resort_response());
        status_ = 500;
        write_wire(false);
        return;
      }
    } catch (...) {
    }
    close();
  }

  // A connection beyond the cap, with no idle one to close instead: told so, and closed.
  void refuse() {
    if (const auto n = server_->refusals_.count()) {
      server_->log_->warn(
          "event=connection_refused reason=max_connections max_connections={} "
          "count={}",
          opts().max_connections, n);
    }
    Response r = problem(503, "the server has too many open connections; retry shortly", "");
    r.set_header("Retry-After", "1");
    wire_ = serialize_response(r, false);
    write_wire(false);
  }

  bool evict_idle() {
    auto& idle = server_->idle_[loop_];
    while (!idle.empty()) {
      auto oldest = idle.front().lock();
      idle.pop_front();
      if (oldest) {
        oldest->idle_at_.reset();
        oldest->evict();
        return true;
      }
    }
    return false;
  }

  // Waiting for the first byte of a request is the idle phase (idle_timeout_s); from that byte
  // on, the request must be read whole within read_timeout_s, header included.
  void wait_for_request() {
    if (buffer_.size() > 0) {
      return read_header();  // pipelined: the next request is here already
    }
    auto& idle = server_->idle_[loop_];
    idle_at_ = idle.insert(idle.end(), weak_from_this());
    expire_after(opts().idle_timeout_s);
    // A read, not a wait for readability: when the request is already there (a client that
    // keeps its connection busy), it is taken at once without a trip through epoll.
    socket_.async_read_some(buffer_.prepare(kFirstRead),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->guarded([&] {
                                self->buffer_.commit(n);
                                if (self->idle_at_) {
                                  self->server_->idle_[self->loop_].erase(*self->idle_at_);
                                  self->idle_at_.reset();
                                }
                                if (ec) {
                                  return self->close();
                                }
                                self->read_header();
                              });
                            });
  }

  void read_header() {
    body_unread_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(opts().max_header_bytes));
    // No limit while the header is read: a streamed body (an upload) has its own, larger one.
    // The usual limit is applied once the header says which it is (on_header). (Not
    // boost::none: Beast 1.74 compares a Content-Length with an empty optional as larger.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    expire_after(opts().read_timeout_s);
    bhttp::async_read_header(socket_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               self->guarded([&] { self->on_header(ec); });
                             });
  }

  void on_header(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof || ec == net::error::bad_descriptor) {
      return close();
    }
    counted_ = true;
    server_->in_flight_.fetch_add(1);
    start_ = now();
    if (ec == bhttp::error::header_limit) {
      return send_problem(431, "the request header block exceeds " +
                                   std::to_string(opts().max_header_bytes) + " bytes");
    }
    if (ec == bhttp::error::body_limit) {
      // Beast checks Content-Length against the limit while parsing the header: the body is
      // never read.
      return send_problem(413, "the request body exceeds the limit of " +
                                   std::to_string(opts().max_body_bytes) + " bytes");
    }
    if (ec) {
      return send_problem(400, "malformed HTTP request: " + ec.message());
    }
    if (auto bad = framing_problem(*parser_)) {
      return send_problem(bad->first, bad->second);
    }
    auto& req = parser_->get();
    if (server_->draining_.load()) {
      return send_problem(503, "the server is shutting down; retry shortly");
    }
    if (server_->streamer_ && !parser_->is_done()) {
      std::optional<Streamed> streamed;
      method_ = std::string(req.method_string());
      target_ = std::string(req.target());
      try {
        streamed = server_->streamer_(to_request(req, {}, peer_));
      } catch (...) {
        streamed.emplace(Streamed{internal_error(std::current_exception()), nullptr});
      }
      if (streamed) {
        if (streamed->answer || !streamed->sink) {
          keep_alive_ = false;  // the unread body is still on its way
          body_unread_ = true;
          return process(streamed->answer ? std::move(*streamed->answer)
                                          : Outcome(problem(500, "internal error", target_)));
        }
        return start_stream(std::move(streamed->sink));
      }
    }
    // Beast checks a Content-Length against the limit only while it parses the header, and a
    // chunked body as it arrives: both, so that a body over the limit is never read.
    if (const auto length = parser_->content_length(); length && *length > opts().max_body_bytes) {
      body_unread_ = true;
      return send_problem(413, "the request body exceeds the limit of " +
                                   std::to_string(opts().max_body_bytes) + " bytes");
    }
    parser_->body_limit(opts().max_body_bytes);
    if (beast::iequals(req[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
      // curl waits for this before sending larger bodies. It is sent only once the header has
      // passed: a request refused on its header alone (a bad token) gets its refusal instead,
      // and the body is never read.
      if (server_->screen_) {
        std::optional<Outcome> verdict;
        const Request head = to_request(req, {}, peer_);
        try {
          verdict = server_->screen_(head);
        } catch (const std::exception& e) {
          server_->log_->error("event=screen_failed error=\"{}\"", excerpt(e.what()));
          verdict.emplace(problem(500, "internal error", head.target));
        }
        if (verdict) {
          keep_alive_ = false;  // the unread body is still on its way
          body_unread_ = true;
          return process(std::move(*verdict));
        }
      }
      return send_continue(&Session::read_body);
    }
    if (parser_->is_done()) {
      return on_body({});  // no body (a GET, or an action without one): nothing to read
    }
    read_body();
  }

  // A body streamed to a sink in pieces of kPiece bytes: never whole in memory. The read
  // timeout is a stall timeout here: each piece that arrives gives the next one as long again.
  static constexpr std::size_t kPiece = 64 * 1024;

  void start_stream(std::shared_ptr<BodySink> sink) {
    keep_alive_ = parser_->get().keep_alive();
    stream_parser_.emplace(std::move(*parser_));
    parser_.reset();
    stream_parser_->body_limit(sink->limit());
    sink_ = std::move(sink);
    piece_.resize(kPiece);
    if (beast::iequals(stream_parser_->get()[bhttp::field::expect], "100-continue")) {
      return send_continue(&Session::read_piece);
    }
    read_piece();
  }

  // "100 Continue", then `next` (reading the body whole, or in pieces).
  void send_continue(void (Session::*next)()) {
    auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
    bhttp::async_write(socket_, *cont,
                       [self = shared_from_this(), cont, next](beast::error_code ec, std::size_t) {
                         self->guarded([&] {
                           if (ec) {
                             return self->close();
                           }
                           ((*self).*next)();
                         });
                       });
  }

  void read_piece() {
    auto& body = stream_parser_->get().body();
    body.data = piece_.data();
    body.size = piece_.size();
    expire_after(opts().read_timeout_s);
    bhttp::async_read(socket_, buffer_, *stream_parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->guarded([&] { self->on_piece(ec); });
                      });
  }

  void on_piece(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      // The sink (and what it received) goes before the answer does: a client that reads the
      // answer finds nothing left of its upload.
      keep_alive_ = false;
      body_unread_ = true;
      Response refused = sink_->too_large();
      sink_.reset();
      return send(std::move(refused));
    }
    if (ec && ec != bhttp::error::need_buffer) {
      sink_.reset();  // the client went away: what it sent is dropped
      return close();
    }
    const std::size_t got = piece_.size() - stream_parser_->get().body().size;
    if (got > 0) {
      if (auto refused = sink_->append(std::string_view(piece_.data(), got))) {
        keep_alive_ = false;
        body_unread_ = !stream_parser_->is_done();
        sink_.reset();
        return send(std::move(*refused));
      }
    }
    if (!stream_parser_->is_done()) {
      return read_piece();
    }
    deadline_ = std::chrono::steady_clock::time_point::max();
    keep_alive_ = keep_alive_ && stream_parser_->get().keep_alive();
    auto sink = std::move(sink_);
    stream_parser_.reset();
    piece_.clear();
    piece_.shrink_to_fit();
    Outcome outcome{{}, {}};
    try {
      outcome = sink->finish();
    } catch (...) {
      outcome = internal_error(std::current_exception());
    }
    process(std::move(outcome));
  }

  void read_body() {
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->guarded([&] { self->on_body(ec); });
                      });
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return send_problem(413, "the request body exceeds the limit of " +
                                   std::to_string(opts().max_body_bytes) + " bytes");
    }
    if (ec) {
      return close();
    }
    deadline_ = std::chrono::steady_clock::time_point::max();  // answering: see expire_after
    auto req = parser_->release();
    Request r = to_request(req, std::move(req.body()), peer_);
    r.after_work_in_hand = [executor = socket_.get_executor()](std::function<void()> f) {
      // Queued behind every handler already queued on this single-threaded loop, and so run
      // after the requests it has in hand (see service::RequestScope::in_snapshot).
      net::post(executor, std::move(f));
    };
    keep_alive_ = req.keep_alive();
    method_ = r.method;
    target_ = r.target;
    process(call_handler(r));
  }

  // Sends an Outcome's answer: now, after its write has committed, or once a worker made it.
  void process(Outcome outcome) {
    deadline_ = std::chrono::steady_clock::time_point::max();
    if (outcome.now) {
      return send(std::move(*outcome.now));
    }
    if (outcome.prepare) {
      // On a worker; then the write is dispatched from there, or the refusal sent.
      auto prepare = std::move(outcome.prepare);
      auto shared = std::make_shared<Outcome>(std::move(outcome));
      net::post(server_->workers_, [self = shared_from_this(), prepare, shared] {
        std::optional<Response> refused;
        try {
          refused = prepare();
        } catch (...) {
          refused = self->internal_error(std::current_exception());
        }
        net::post(self->socket_.get_executor(), [self, refused, shared]() mutable {
          self->guarded([&] {
            if (refused) {
              return self->send(std::move(*refused));
            }
            self->process(std::move(*shared));
          });
        });
      });
      return;
    }
    const std::string target = target_;
    if (outcome.slow) {
      net::post(
          server_->workers_, [self = shared_from_this(), work = std::move(outcome.slow), target] {
            std::shared_ptr<Response> answer;
            try {
              answer = std::make_shared<Response>(work());
            } catch (...) {
              answer = std::make_shared<Response>(self->internal_error(std::current_exception()));
            }
            net::post(self->socket_.get_executor(),
                      [self, answer] { self->guarded([&] { self->send(std::move(*answer)); }); });
          });
      return;
    }
    if (!server_->dispatch_write_) {
      outcome.write();
      return send(outcome.answer());
    }
    auto self = shared_from_this();
    server_->dispatch_write_(
        std::move(outcome.write),
        [self, answer = std::move(outcome.answer), target](bool committed) {
          // Rendered on the connection's own thread, not the writer's.
          net::post(self->socket_.get_executor(), [self, answer, target, committed] {
            self->guarded([&] {
              Response r;
              try {
                r = committed ? answer()
                              : problem(503,
                                        "the write could not be committed; it was not "
                                        "applied",
                                        target);
              } catch (...) {
                r = self->internal_error(std::current_exception());
              }
              self->send(std::move(r));
            });
          });
        },
        server_->in_flight_.load() == 1);
  }

  Outcome call_handler(const Request& r) {
    try {
      return server_->handler_(r);
    } catch (...) {
      return internal_error(std::current_exception());
    }
  }

  // A 500 for this request alone, and one log line (bounded) saying why.
  Response internal_error(std::exception_ptr error) const {
    std::string what = "an exception that is not a std::exception";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    server_->log_->error("event=handler_failed target=\"{}\" error=\"{}\"",
                         loggable_target(target_), excerpt(what));
    return problem(500, "internal error", target_);
  }

  void send_problem(int status, const std::string& detail) {
    method_ = parser_ ? std::string(parser_->get().method_string()) : "";
    target_ = parser_ ? std::string(parser_->get().target()) : "";
    Response r = problem(status, detail, target_);
    r.close = true;
    send(std::move(r));
  }

  void send(Response r) {
    const bool keep = keep_alive_ && !r.close && !server_->draining_.load();
    if (!r.body_file.empty()) {
      return send_file(std::move(r), keep);
    }
    try {
      wire_ = serialize_response(r, keep);
    } catch (const std::invalid_argument& e) {
      server_->log_->error("event=bad_response_header error=\"{}\"", excerpt(e.what()));
      r = problem(500, "internal error", target_);
      wire_ = serialize_response(r, keep);
    }
    status_ = r.status;
    write_wire(keep);
  }

  // A download: the head, then the file in pieces read as the socket takes them (never whole
  // in memory).
  void send_file(Response r, bool keep) {
    body_file_ = ::open(r.body_file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (body_file_ < 0 || ::fstat(body_file_, &st) != 0) {
      server_->log_->error("event=body_file_unreadable error=\"{}\"", std::strerror(errno));
      close_body_file();
      return send(problem(500, "internal error: the file cannot be read", target_));
    }
    body_file_left_ = static_cast<std::uint64_t>(st.st_size);
    wire_ = serialize_response(r, keep, body_file_left_);
    status_ = r.status;
    writing_ = true;
    expire_after(opts().write_timeout_s);
    net::async_write(socket_, net::buffer(wire_),
                     [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
                       self->guarded([&] { self->send_file_piece(ec, keep); });
                     });
  }

  void send_file_piece(beast::error_code ec, bool keep) {
    if (!ec && body_file_left_ > 0) {
      wire_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, body_file_left_)));
      const ssize_t n = ::read(body_file_, wire_.data(), wire_.size());
      if (n > 0) {
        wire_.resize(static_cast<std::size_t>(n));
        body_file_left_ -= static_cast<std::uint64_t>(n);
        expire_after(opts().write_timeout_s);
        net::async_write(socket_, net::buffer(wire_),
                         [self = shared_from_this(), keep](beast::error_code wec, std::size_t) {
                           self->guarded([&] { self->send_file_piece(wec, keep); });
                         });
        return;
      }
      // The file ended early or cannot be read: the length sent is wrong, so the connection
      // closes and the client sees an incomplete answer, never a wrong one.
      server_->log_->error("event=body_file_short left={}", body_file_left_);
      keep = false;
    }
    close_body_file();
    on_write(ec, keep);
  }

  void close_body_file() {
    if (body_file_ >= 0) {
      ::close(body_file_);
      body_file_ = -1;
    }
  }

  void write_wire(bool keep) {
    writing_ = true;
    expire_after(opts().write_timeout_s);
    net::async_write(socket_, net::buffer(wire_),
                     [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
                       self->guarded([&] { self->on_write(ec, keep); });
                     });
  }

  void on_write(beast::error_code ec, bool keep) {
    writing_ = false;
    finish_request();
    if (!ec && !keep && body_unread_) {
      return linger();
    }
    if (ec || !keep) {
      return close();
    }
    wait_for_request();
  }

  // An answer sent before the request's body was read (a refusal: too large, no right to
  // upload): closing at once with its bytes unread makes the kernel reset the connection, and
  // the client may lose the answer (a browser then shows a network error instead of "the file
  // is larger than 20 MiB"). So, as nginx's lingering close does: stop sending, read and drop
  // what still comes while it keeps coming (5 s without a byte, 30 s and 256 MiB at most), then
  // close.
  void linger() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    linger_until_ = now() + std::chrono::seconds(30);
    piece_.resize(kPiece);
    drop_more();
  }
  void drop_more() {
    deadline_ = std::min(now() + std::chrono::seconds(5), linger_until_);
    socket_.async_read_some(net::buffer(piece_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->guarded([&] {
                                self->dropped_ += n;
                                if (ec || self->dropped_ > kMostDropped) {
                                  return self->close();
                                }
                                self->drop_more();
                              });
                            });
  }
  static constexpr std::uint64_t kMostDropped = 256ull * 1024 * 1024;

  void finish_request() {
    if (!counted_) {
      return;
    }
    counted_ = false;
    server_->in_flight_.fetch_sub(1);
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now() - start_).count();
    auto level = status_ >= 500 ? spdlog::level::err : spdlog::level::info;
    if (server_->log_->should_log(level)) {  // the target is made loggable only if logged
      server_->log_->log(level, "event=request method={} target=\"{}\" status={} duration_us={}",
                         method_, loggable_target(target_), status_, us);
    }
  }

  void close() noexcept {
    try {
      finish_request();
    } catch (...) {
    }
    beast::error_code ec;
    closed_ = true;
    ticker_.cancel();
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }

  // Timeouts: each phase (waiting for a request, reading it, writing the answer) sets a
  // deadline, and a ticker checks it once a second. Beast's tcp_stream re-armed a timer for
  // every read and write instead, about a tenth of the time of answering a GET. A connection
  // past its deadline is closed, which ends its pending read or write.
  void expire_after(int seconds) { deadline_ = now() + std::chrono::seconds(seconds); }
  void tick() {
    ticker_.expires_after(std::chrono::seconds(1));
    ticker_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) {
        return;
      }
      if (self->now() >= self->deadline_) {
        beast::error_code ignored;
        self->socket_.close(ignored);
        return;
      }
      self->tick();
    });
  }

  tcp::socket socket_;
  net::steady_timer ticker_;
  // While a request is being answered, no deadline runs: a write waits for its batch's commit.
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  bool closed_ = false;
  bool writing_ = false;
  std::shared_ptr<Server::Impl> server_;
  std::size_t loop_;
  std::optional<std::list<std::weak_ptr<Session>>::iterator> idle_at_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> stream_parser_;
  std::shared_ptr<BodySink> sink_;
  std::vector<char> piece_;  // the streamed body's buffer
  std::string wire_;         // the response being written
  int body_file_ = -1;       // the file being sent as the body, after wire_
  std::uint64_t body_file_left_ = 0;
  bool keep_alive_ = false;
  bool body_unread_ = false;  // answered before the body was read: linger before closing
  std::chrono::steady_clock::time_point linger_until_;
  std::uint64_t dropped_ = 0;
  bool counted_ = false;
  int status_ = 0;
  std::string method_;
  std::string target_;
  std::chrono::steady_clock::time_point start_;
};

void Server::Impl::accept() {
  const std::size_t loop = next_loop_++ % loops_.size();
  acceptor_->async_accept(
      *loops_[loop], [self = shared_from_this(), loop](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !self->acceptor_->is_open()) {
          return;
        }
        if (!ec) {
          try {
            std::make_shared<Session>(std::move(socket), self, loop)->run();
          } catch (const std::exception& e) {
            self->log_->error("event=session_failed error=\"{}\"", excerpt(e.what()));
          }
          return self->accept();
        }
        if (const auto n = self->accept_errors_.count()) {
          self->log_->warn("event=accept_failed error=\"{}\" count={} connections={}", ec.message(),
                           n, self->connections_.load());
        }
        const int code = ec.value();
        if (code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM) {
          // Out of descriptors or memory: accepting again at once fails again at once (and
          // spun at 98 % CPU). Connections closing make room; look again shortly.
          self->accept_backoff_->expires_after(std::chrono::milliseconds(50));
          self->accept_backoff_->async_wait([self](beast::error_code wec) {
            if (!wec && self->acceptor_->is_open()) {
              self->accept();
            }
          });
          return;
        }
        self->accept();
      });
}

Server::Server(const domain::Clock& clock, ServerOptions options, Handler handler,
               WriteDispatcher dispatch_write, Screen screen, Streamer streamer) {
  if (!spdlog::get("http")) {
    spdlog::register_logger(spdlog::default_logger()->clone("http"));
  }
  last_resort_response();
  impl_ = std::make_shared<Impl>(clock, std::move(options), std::move(handler),
                                 std::move(dispatch_write), std::move(screen), std::move(streamer));
}

Server::~Server() {
  stop();
  // Idle keep-alive connections still have a read pending, and answers may have been posted
  // after the loops stopped; destroying the loops destroys those handlers and with them the
  // sessions (which hold the server): nothing is left behind.
  impl_->acceptor_.reset();
  impl_->guards_.clear();
  impl_->loops_.clear();
}

std::uint16_t Server::start() {
  const tcp::endpoint endpoint{net::ip::make_address(impl_->options_.address),
                               impl_->options_.port};
  auto& acceptor = *impl_->acceptor_;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(net::socket_base::max_listen_connections);
  impl_->accept();
  for (auto& loop : impl_->loops_) {
    impl_->threads_.emplace_back([&loop] {
      pthread_setname_np(pthread_self(), "dondoc-http");  // shows in top -H and gdb
      loop->run();
    });
  }
  return acceptor.local_endpoint().port();
}

void Server::stop_accepting() {
  impl_->draining_.store(true);
  net::dispatch(impl_->acceptor_->get_executor(), [impl = impl_] {
    beast::error_code ec;
    impl->acceptor_->close(ec);
    impl->accept_backoff_->cancel();
  });
}

void Server::stop() {
  for (auto& loop : impl_->loops_) {
    loop->stop();
  }
  for (auto& t : impl_->threads_) {
    t.join();
  }
  impl_->threads_.clear();
  // A worker still making an answer finishes it (its loop is stopped: the answer is dropped
  // with the connection); none is started after this.
  impl_->workers_.stop();
  impl_->workers_.join();
}

std::size_t Server::in_flight() const {
  return impl_->in_flight_.load();
}

std::size_t Server::connections() const {
  return impl_->connections_.load();
}

}  // namespace dondoc::http
