#include "dondoc/http/server.hpp"

#include "query.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

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
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "dondoc/http/api.hpp"
#include "response_head.hpp"

namespace dondoc::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Threads: `io_threads` event loops, each with its own io_context so that a connection lives on
// one thread and needs no locking; reads are answered right there. Requests that write go to the
// write dispatcher (the store's writer, in dondocd), which answers after the commit carrying them;
// the answer is posted back to the connection's loop. Answers too long for a loop (reports) are
// made on `workers_` and posted back the same way.
struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(ServerOptions o, Handler h, WriteDispatcher w)
      : options_(std::move(o)), handler_(std::move(h)), dispatch_write_(std::move(w)) {
    for (int i = 0; i < options_.io_threads; ++i) {
      loops_.push_back(std::make_unique<net::io_context>(1));
      guards_.emplace_back(loops_.back()->get_executor());
    }
    acceptor_.emplace(*loops_.front());
  }

  ServerOptions options_;
  Handler handler_;
  std::vector<std::unique_ptr<net::io_context>> loops_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
  net::thread_pool workers_{static_cast<std::size_t>(std::max(options_.worker_threads, 1))};
  WriteDispatcher dispatch_write_;
  std::optional<tcp::acceptor> acceptor_;
  std::size_t next_loop_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> in_flight_{0};
  std::shared_ptr<spdlog::logger> log_ = spdlog::get("http");

  void accept();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Server::Impl> server)
      : socket_(std::move(socket)), ticker_(socket_.get_executor()), server_(std::move(server)) {}

  void run() {
    // Responses go out in one write; Nagle would only delay them.
    beast::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->tick();
      self->read_header();
    });
  }

 private:
  const ServerOptions& opts() const { return server_->options_; }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(opts().max_header_bytes));
    parser_->body_limit(opts().max_body_bytes);
    expire_after(opts().idle_timeout_s);
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return close();
    }
    counted_ = true;
    server_->in_flight_.fetch_add(1);
    start_ = std::chrono::steady_clock::now();
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
    auto& req = parser_->get();
    if (server_->draining_.load()) {
      return send_problem(503, "the server is shutting down; retry shortly");
    }
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      // curl waits for this before sending larger bodies; send it only once the header passed.
      auto cont =
          std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      bhttp::async_write(socket_, *cont,
                         [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
                           if (wec) {
                             return self->close();
                           }
                           self->read_body();
                         });
      return;
    }
    if (parser_->is_done()) {
      return on_body({});  // no body (a GET, or an action without one): nothing to read
    }
    read_body();
  }

  void read_body() {
    expire_after(opts().read_timeout_s);
    bhttp::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
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
    Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    for (const auto& f : req) {
      std::string name(f.name_string());
      for (auto& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      auto [it, inserted] = r.headers.emplace(std::move(name), std::string(f.value()));
      if (!inserted) {
        it->second += ", " + std::string(f.value());
      }
    }
    r.body = std::move(req.body());
    r.after_work_in_hand = [executor = socket_.get_executor()](std::function<void()> f) {
      // Queued behind every handler already queued on this single-threaded loop, and so run
      // after the requests it has in hand (see Store::read_shared).
      net::post(executor, std::move(f));
    };
    keep_alive_ = req.keep_alive();
    method_ = r.method;
    target_ = r.target;
    Outcome outcome = call_handler(r);
    if (outcome.now) {
      return send(std::move(*outcome.now));
    }
    if (outcome.slow) {
      net::post(server_->workers_, [self = shared_from_this(), work = std::move(outcome.slow)] {
        auto answer = std::make_shared<Response>(work());
        net::post(self->socket_.get_executor(), [self, answer] { self->send(std::move(*answer)); });
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
        [self, answer = std::move(outcome.answer), target = r.target](bool committed) {
          // Rendered on the connection's own thread, not the writer's.
          net::post(self->socket_.get_executor(), [self, answer, target, committed] {
            self->send(
                committed
                    ? answer()
                    : problem(503, "the write could not be committed; it was not applied", target));
          });
        },
        server_->in_flight_.load() == 1);
  }

  Outcome call_handler(const Request& r) {
    try {
      return server_->handler_(r);
    } catch (const std::exception& e) {
      server_->log_->error("event=handler_failed error=\"{}\"", e.what());
      return problem(500, "internal error", r.target);
    }
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
    try {
      wire_ = serialize_response(r, keep);
    } catch (const std::invalid_argument& e) {
      server_->log_->error("event=bad_response_header error=\"{}\"", e.what());
      r = problem(500, "internal error", target_);
      wire_ = serialize_response(r, keep);
    }
    status_ = r.status;
    expire_after(opts().write_timeout_s);
    net::async_write(socket_, net::buffer(wire_),
                     [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
                       self->on_write(ec, keep);
                     });
  }

  void on_write(beast::error_code ec, bool keep) {
    finish_request();
    if (ec || !keep) {
      return close();
    }
    read_header();
  }

  void finish_request() {
    if (!counted_) {
      return;
    }
    counted_ = false;
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start_)
                        .count();
    auto level = status_ >= 500 ? spdlog::level::err : spdlog::level::info;
    if (server_->log_->should_log(level)) {  // the target is made loggable only if logged
      server_->log_->log(level, "event=request method={} target=\"{}\" status={} duration_us={}",
                         method_, loggable_target(target_), status_, us);
    }
    server_->in_flight_.fetch_sub(1);
  }

  void close() {
    finish_request();
    beast::error_code ec;
    closed_ = true;
    ticker_.cancel();
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }

  // Timeouts: each phase (waiting for a request, reading its body, writing the answer) sets a
  // deadline, and a ticker checks it once a second. Beast's tcp_stream re-armed a timer for
  // every read and write instead, about a tenth of the time of answering a GET. A connection
  // past its deadline is closed, which ends its pending read or write.
  void expire_after(int seconds) {
    deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  }
  void tick() {
    ticker_.expires_after(std::chrono::seconds(1));
    ticker_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) {
        return;
      }
      if (std::chrono::steady_clock::now() >= self->deadline_) {
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
  std::shared_ptr<Server::Impl> server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string wire_;  // the response being written
  bool keep_alive_ = false;
  bool counted_ = false;
  int status_ = 0;
  std::string method_;
  std::string target_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

void Server::Impl::accept() {
  auto& loop = *loops_[next_loop_++ % loops_.size()];
  acceptor_->async_accept(
      loop, [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !self->acceptor_->is_open()) {
          return;
        }
        if (!ec) {
          std::make_shared<Session>(std::move(socket), self)->run();
        } else {
          self->log_->warn("event=accept_failed error=\"{}\"", ec.message());
        }
        self->accept();
      });
}

Server::Server(ServerOptions options, Handler handler, WriteDispatcher dispatch_write) {
  if (!spdlog::get("http")) {
    spdlog::register_logger(spdlog::default_logger()->clone("http"));
  }
  impl_ = std::make_shared<Impl>(std::move(options), std::move(handler), std::move(dispatch_write));
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

}  // namespace dondoc::http
