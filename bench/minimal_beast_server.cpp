// Baselines for read throughput: minimal Boost.Beast HTTP/1.1 keep-alive servers answering every
// request with a fixed JSON body the size of a task.
//   (default)  a thread per connection with synchronous reads and writes — the fastest Beast
//              server on these machines, and the baseline the targets are set against;
//   --async    Beast's own asynchronous example (http_server_async): one io_context run by
//              two threads, a strand and a 30 s timeout per connection — what dondocd is built
//              like, printed beside the first for comparison.
#include <utility>  // Boost 1.74 asio/awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

const std::string kBody(700, 'x');

http::response<http::string_body> answer(const http::request<http::string_body>& req) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.set(http::field::content_type, "application/json");
  res.body() = kBody;
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

void sync_session(tcp::socket socket) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) {
      break;
    }
    auto res = answer(req);
    http::write(socket, res, ec);
    if (ec || !req.keep_alive()) {
      break;
    }
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

class AsyncSession : public std::enable_shared_from_this<AsyncSession> {
 public:
  explicit AsyncSession(tcp::socket&& socket) : stream_(std::move(socket)) {}
  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    req_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(
        stream_, buffer_, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) {
            return self->close();
          }
          self->res_ = answer(self->req_);
          http::async_write(self->stream_, self->res_, [self](beast::error_code wec, std::size_t) {
            if (wec || !self->req_.keep_alive()) {
              return self->close();
            }
            self->read();
          });
        });
  }
  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
};

void async_accept(net::io_context& ioc, tcp::acceptor& acceptor) {
  acceptor.async_accept(net::make_strand(ioc), [&](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      std::make_shared<AsyncSession>(std::move(socket))->run();
    }
    async_accept(ioc, acceptor);
  });
}

}  // namespace

int main(int argc, char** argv) {
  const bool async = argc > 1 && std::strcmp(argv[1], "--async") == 0;
  net::io_context ioc{async ? 2 : 1};
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), 0}};
  std::cout << "listening on " << acceptor.local_endpoint().port() << std::endl;
  if (async) {
    async_accept(ioc, acceptor);
    std::thread other([&ioc] { ioc.run(); });
    ioc.run();
    other.join();
    return 0;
  }
  for (;;) {
    tcp::socket socket{ioc};
    acceptor.accept(socket);
    std::thread(sync_session, std::move(socket)).detach();  // a thread per connection
  }
}
