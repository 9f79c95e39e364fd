// The baseline for read throughput: a minimal Boost.Beast HTTP/1.1 keep-alive server answering
// every request with a fixed JSON body the size of a task, on as many threads as dondocd uses.
#include <utility>  // Boost 1.74 asio/awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

const std::string kBody(700, 'x');

void session(tcp::socket socket) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) {
      break;
    }
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json");
    res.body() = kBody;
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    http::write(socket, res, ec);
    if (ec || !req.keep_alive()) {
      break;
    }
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace

int main() {
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), 0}};
  std::cout << "listening on " << acceptor.local_endpoint().port() << std::endl;
  for (;;) {
    tcp::socket socket{ioc};
    acceptor.accept(socket);
    std::thread(session, std::move(socket)).detach();  // a thread per connection: simplest baseline
  }
}
