// The server on a real loopback socket: an answer made on a worker (a long report) keeps no
// other request of its event loop waiting.
#include "dondoc/http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fake_clock.hpp"

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

// A server on one event loop and a port the kernel picks.
http::ServerOptions one_loop_on_a_free_port() {
  http::ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  return options;
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
  dondoc::testing::AdvancingClock clock;
  std::promise<void> slow_started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  // One loop: were the slow answer made on it, /fast would wait.
  http::ServerOptions options = one_loop_on_a_free_port();
  http::Server server(clock, options, [&](const http::Request& r) -> http::Outcome {
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
// disconnected once its timeout has passed on the server's clock.
TEST(Server, AStalledClientIsDisconnectedAfterItsTimeout) {
  dondoc::testing::AdvancingClock clock;
  http::ServerOptions options = one_loop_on_a_free_port();
  http::Server server(clock, options,
                      [](const http::Request&) -> http::Outcome { return text("ok"); });
  const auto port = server.start();
  for (const std::string& sent :
       {std::string(), std::string("GET /x HTTP/1.1\r\nHost: x\r\n"),
        std::string("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12")}) {
    const int fd = connect_to(port, 5);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(send(fd, sent.data(), sent.size(), 0), static_cast<ssize_t>(sent.size()));
    // The server's clock, not the wall, decides: it is moved past every timeout (60 s idle,
    // 30 s reading) until the server closes, the first move perhaps made before the server has
    // even set its deadline for this connection. Without the clock, none of this would end it.
    timeval short_wait{0, 200 * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &short_wait, sizeof short_wait);
    char buffer[256];
    ssize_t n = -1;
    for (int moves = 0; moves < 15 && n < 0; ++moves) {
      clock.advance(std::chrono::seconds(61));
      n = recv(fd, buffer, sizeof buffer, 0);
    }
    EXPECT_EQ(n, 0) << "the server closes the connection: '" << sent << "'";
    close(fd);
  }
  server.stop();
}

// No timeout runs while a request is being answered: an answer that takes longer than every
// timeout still arrives.
TEST(Server, AnAnswerSlowerThanTheTimeoutsStillArrives) {
  dondoc::testing::AdvancingClock clock;
  http::ServerOptions options = one_loop_on_a_free_port();
  options.idle_timeout_s = 1;
  options.read_timeout_s = 1;
  options.write_timeout_s = 1;
  http::Server server(clock, options, [](const http::Request&) -> http::Outcome {
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

namespace {

// Sends `bytes` on a new connection; everything the server sends back before closing it (or
// until `seconds` pass).
std::string send_and_read(std::uint16_t port, const std::string& bytes, int seconds = 3) {
  const int fd = connect_to(port, seconds);
  std::string answer;
  if (fd < 0) {
    return answer;
  }
  send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  char buffer[4096];
  ssize_t n = 0;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) {
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return answer;
}

}  // namespace

// Whatever a handler throws, on the loop or on a worker, ends that request alone with a 500; the
// next request is answered.
TEST(Server, AThrowingHandlerCostsOneRequestA500) {
  dondoc::testing::AdvancingClock clock;
  http::ServerOptions options = one_loop_on_a_free_port();
  http::Server server(clock, options, [](const http::Request& r) -> http::Outcome {
    if (r.target == "/int") {
      throw 42;  // not even a std::exception
    }
    if (r.target == "/std") {
      throw std::runtime_error("bad\xff\xfe bytes \"quoted\"");
    }
    if (r.target == "/worker") {
      return http::Outcome::on_worker([]() -> http::Response { throw 7; });
    }
    if (r.target == "/write") {
      return http::Outcome([] {}, []() -> http::Response { throw std::logic_error("render"); });
    }
    return text("vẫn chạy");
  });
  const auto port = server.start();
  for (const char* path : {"/int", "/std", "/worker", "/write"}) {
    const std::string answer = get(port, path);
    EXPECT_EQ(answer.rfind("HTTP/1.1 500", 0), 0u) << path << ": " << answer;
    EXPECT_NE(get(port, "/ok").find("vẫn chạy"), std::string::npos) << "after " << path;
  }
  server.stop();
}

// RFC 9112: one Host; a Transfer-Encoding ends in chunked and comes without Content-Length.
// Anything else is answered once and the connection closed, so that no byte after it is read
// as a request of its own.
TEST(Server, FramingThatCannotBeTrustedIsRefusedAndClosed) {
  dondoc::testing::AdvancingClock clock;
  std::atomic<int> handled{0};
  http::ServerOptions options = one_loop_on_a_free_port();
  http::Server server(clock, options, [&](const http::Request&) -> http::Outcome {
    handled.fetch_add(1);
    return text("ok");
  });
  const auto port = server.start();
  const std::string next = "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n";
  struct Case {
    std::string head;
    const char* status;
  };
  for (const Case& c : std::vector<Case>{
           {"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n", "400"},
           {"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n", "400"},
           {"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: "
            "3\r\n\r\n",
            "400"},
           {"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "501"},
           {"GET /x HTTP/1.1\r\n\r\n", "400"},
           {"GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400"},
       }) {
    const std::string answer = send_and_read(port, c.head + next);
    EXPECT_EQ(answer.rfind(std::string("HTTP/1.1 ") + c.status, 0), 0u) << c.head << answer;
    EXPECT_EQ(answer.find("200 OK"), std::string::npos) << "one answer only: " << c.head;
  }
  EXPECT_EQ(handled.load(), 0);
  EXPECT_NE(send_and_read(port, "GET /x HTTP/1.0\r\n\r\n").find("200 OK"), std::string::npos)
      << "HTTP/1.0 needs no Host";
  server.stop();
}

// At the cap, a new connection closes the longest-idle one; with none idle it gets 503 at once.
TEST(Server, AtTheConnectionCapIdleConnectionsMakeRoom) {
  dondoc::testing::AdvancingClock clock;
  http::ServerOptions options = one_loop_on_a_free_port();
  options.max_connections = 3;
  http::Server server(clock, options,
                      [](const http::Request&) -> http::Outcome { return text("ok"); });
  const auto port = server.start();
  std::vector<int> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(connect_to(port, 3));
  }
  EXPECT_NE(get(port, "/x").find("200 OK"), std::string::npos) << "an idle one made room";
  char c = 0;
  EXPECT_EQ(recv(idle[0], &c, 1, 0), 0) << "the longest-idle connection was closed";
  for (int fd : idle) {
    close(fd);
  }
  // Three connections each in the middle of a request: none is idle, the fourth is refused.
  std::vector<int> busy;
  for (int i = 0; i < 3; ++i) {
    busy.push_back(connect_to(port, 3));
    send(busy.back(), "GET /x HTTP/1.1\r\n", 17, MSG_NOSIGNAL);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the server read them
  const std::string refused = get(port, "/x");
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After"), std::string::npos);
  for (int fd : busy) {
    close(fd);
  }
  server.stop();
}

// A request that asks to continue is judged on its header first: refused, its body is never
// read and no "100 Continue" is sent.
TEST(Server, ExpectContinueIsScreenedFirst) {
  dondoc::testing::AdvancingClock clock;
  std::atomic<int> handled{0};
  http::ServerOptions options = one_loop_on_a_free_port();
  http::Server server(
      clock, options,
      [&](const http::Request&) -> http::Outcome {
        handled.fetch_add(1);
        return text("ok");
      },
      {},
      [](const http::Request& head) -> std::optional<http::Outcome> {
        if (head.header("authorization").value_or("") != "Bearer good") {
          http::Response r;
          r.status = 401;
          return http::Outcome(r);
        }
        return std::nullopt;
      });
  const auto port = server.start();
  const std::string head =
      "POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n";
  const std::string refused = send_and_read(port, head + "Authorization: Bearer bad\r\n\r\n");
  EXPECT_EQ(refused.rfind("HTTP/1.1 401", 0), 0u) << refused;
  EXPECT_EQ(handled.load(), 0);
  const std::string admitted = send_and_read(port, head +
                                                       "Authorization: Bearer good\r\n"
                                                       "Connection: close\r\n\r\nok");
  EXPECT_EQ(admitted.rfind("HTTP/1.1 100", 0), 0u) << admitted;
  EXPECT_NE(admitted.find("200 OK"), std::string::npos) << admitted;
  server.stop();
}

namespace {

// Sends `request` whole on a new connection and reads until the server closes it.
std::string send_whole(std::uint16_t port, const std::string& request) {
  const int fd = connect_to(port, 5);
  std::string answer;
  std::size_t sent = 0;
  while (sent < request.size()) {
    const auto n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      break;  // the server answered and closed before taking it all
    }
    sent += static_cast<std::size_t>(n);
  }
  char buffer[65536];
  ssize_t n = 0;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) {
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return answer;
}

// A sink that keeps what it is given, piece by piece.
class Recorder final : public http::BodySink {
 public:
  explicit Recorder(std::uint64_t limit) : limit_(limit) {}
  std::uint64_t limit() const override { return limit_; }
  std::optional<http::Response> append(std::string_view bytes) override {
    largest_piece = std::max(largest_piece, bytes.size());
    body += bytes;
    return std::nullopt;
  }
  http::Response too_large() const override {
    http::Response r;
    r.status = 413;
    r.body = "too large";
    return r;
  }
  http::Outcome finish() override { return text("got " + std::to_string(body.size())); }

  std::string body;
  std::size_t largest_piece = 0;

 private:
  std::uint64_t limit_;
};

}  // namespace

// A streamed body (an upload) goes to its sink in pieces, past the body limit of the others;
// a chunked one past the sink's limit is refused; the other requests keep the usual limit.
TEST(Server, AStreamedBodyGoesToItsSinkInPieces) {
  dondoc::testing::AdvancingClock clock;
  http::ServerOptions options = one_loop_on_a_free_port();
  options.max_body_bytes = 1024;
  std::shared_ptr<Recorder> sink;
  http::Server server(
      clock, options, [](const http::Request& r) -> http::Outcome { return text(r.body); }, {}, {},
      [&](const http::Request& head) -> std::optional<http::Streamed> {
        if (head.target != "/upload") {
          return std::nullopt;
        }
        sink = std::make_shared<Recorder>(1024 * 1024);
        return http::Streamed{std::nullopt, sink};
      });
  const auto port = server.start();
  std::string body(700000, 'x');
  for (std::size_t i = 0; i < body.size(); i += 997) {
    body[i] = static_cast<char>('a' + i % 26);
  }
  const std::string answer =
      send_whole(port, "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_NE(answer.find("got 700000"), std::string::npos) << answer.substr(0, 200);
  EXPECT_TRUE(sink->body == body);
  EXPECT_LE(sink->largest_piece, 64u * 1024u);

  // Chunked past the sink's limit.
  std::string chunked = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string piece(256 * 1024, 'y');
  for (int i = 0; i < 5; ++i) {
    chunked += "40000\r\n" + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  const std::string refused = send_whole(port, chunked);
  EXPECT_EQ(refused.rfind("HTTP/1.1 413", 0), 0u) << refused.substr(0, 200);
  EXPECT_LE(sink->body.size(), 1024u * 1024u);

  // Anywhere else, the usual limit, with the length declared or not.
  const std::string other = send_whole(port,
                                       "POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                       "2000\r\n\r\n" +
                                           std::string(2000, 'z'));
  EXPECT_EQ(other.rfind("HTTP/1.1 413", 0), 0u) << other.substr(0, 200);
  const std::string small = send_whole(
      port,
      "POST /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_NE(small.find("\r\n\r\nhello"), std::string::npos) << small;
  server.stop();
}

// A file as the body: sent whole, with its length, from the disk.
TEST(Server, AFileBodyIsSentFromTheDisk) {
  dondoc::testing::AdvancingClock clock;
  char path[] = "/tmp/dondoc-body-XXXXXX";
  const int fd = mkstemp(path);
  std::string content(300000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>(i * 7 % 251);
  }
  ASSERT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  close(fd);
  http::Server server(clock, one_loop_on_a_free_port(), [&](const http::Request&) -> http::Outcome {
    http::Response r;
    r.set_header("Content-Type", "application/pdf");
    r.body_file = path;
    return r;
  });
  const auto port = server.start();
  const std::string answer = get(port, "/file");
  unlink(path);
  const auto at = answer.find("\r\n\r\n");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(answer.find("Content-Length: 300000\r\n"), std::string::npos);
  EXPECT_TRUE(answer.substr(at + 4) == content);
  server.stop();
}
