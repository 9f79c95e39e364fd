// The server on a real loopback socket: an answer made on a worker (a long report) keeps no
// other request of its event loop waiting.
#include "dondoc/http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

using namespace dondoc;

namespace {

// A loopback socket connected to `port` that gives up reading after `seconds`; -1 if the
// connection failed.
int connect_to(std::uint16_t port, int seconds) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// One GET on a new connection; the whole answer, or "" when none came within `seconds`.
std::string get_within(std::uint16_t port, const std::string& path, int seconds) {
  const int fd = connect_to(port, seconds);
  std::string answer;
  if (fd < 0) {
    return answer;
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  if (send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    ssize_t n = 0;
    while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) {
      answer.append(buffer, static_cast<std::size_t>(n));
    }
  }
  close(fd);
  return answer;
}

std::string get(std::uint16_t port, const std::string& path) {
  return get_within(port, path, 2);
}

http::Response text(std::string body) {
  http::Response r;
  r.status = 200;
  r.set_header("Content-Type", "text/plain");
  r.body = std::move(body);
  return r;
}

}  // namespace

TEST(Server, AnAnswerMadeOnAWorkerKeepsNoOneWaiting) {
  std::promise<void> slow_started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  http::ServerOptions options;
  options.port = 0;
  options.io_threads = 1;  // one loop: were the slow answer made on it, /fast would wait
  http::Server server(options, [&](const http::Request& r) -> http::Outcome {
    if (r.target == "/slow") {
      return http::Outcome::on_worker([&, released] {
        slow_started.set_value();
        released.wait();
        return text("báo cáo");
      });
    }
    return text("nhanh");
  });
  const auto port = server.start();
  auto slow = std::async(std::launch::async, [&] { return get(port, "/slow"); });
  slow_started.get_future().wait();
  const std::string fast = get(port, "/fast");
  release.set_value();
  EXPECT_NE(fast.find("200 OK"), std::string::npos) << fast;
  EXPECT_NE(fast.find("nhanh"), std::string::npos) << "answered while the slow one was not";
  const std::string answer = slow.get();
  EXPECT_NE(answer.find("báo cáo"), std::string::npos) << answer;
  server.stop();
}

// A client that opens a connection and stalls, before its request or halfway through it, is
// disconnected once its timeout has passed: a second for each here.
TEST(Server, AStalledClientIsDisconnectedAfterItsTimeout) {
  http::ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.idle_timeout_s = 1;
  options.read_timeout_s = 1;
  options.write_timeout_s = 1;
  http::Server server(options, [](const http::Request&) -> http::Outcome { return text("ok"); });
  const auto port = server.start();
  for (const std::string& sent :
       {std::string(), std::string("GET /x HTTP/1.1\r\nHost: x\r\n"),
        std::string("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12")}) {
    const int fd = connect_to(port, 5);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(send(fd, sent.data(), sent.size(), 0), static_cast<ssize_t>(sent.size()));
    const auto t0 = std::chrono::steady_clock::now();
    char buffer[256];
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    const auto waited = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(n, 0) << "the server closes the connection: '" << sent << "'";
    EXPECT_LT(waited, std::chrono::seconds(3)) << "'" << sent << "'";
    close(fd);
  }
  server.stop();
}

// No timeout runs while a request is being answered: an answer that takes longer than every
// timeout still arrives.
TEST(Server, AnAnswerSlowerThanTheTimeoutsStillArrives) {
  http::ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.idle_timeout_s = 1;
  options.read_timeout_s = 1;
  options.write_timeout_s = 1;
  http::Server server(options, [](const http::Request&) -> http::Outcome {
    return http::Outcome::on_worker([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // the work itself is slow
      return text("báo cáo tổng hợp");
    });
  });
  const auto port = server.start();
  const std::string answer = get_within(port, "/slow", 6);
  EXPECT_NE(answer.find("báo cáo tổng hợp"), std::string::npos) << answer;
  server.stop();
}
