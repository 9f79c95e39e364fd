// Raw bytes as a request on the wire: Beast's parser with the server's limits, the framing
// checks, then routing and the answer (Api::handle) on a fresh database. `@TOKEN@` in the input
// becomes a real office token, so that the fuzzer gets past authentication.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <string>

#include "api_fixture.hpp"
#include "wire.hpp"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static dondoc::fuzz::ApiFixture fixture;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  for (auto at = bytes.find("@TOKEN@"); at != std::string::npos; at = bytes.find("@TOKEN@")) {
    bytes.replace(at, 7, fixture.token("office"));
  }
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  boost::beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(bytes), ec);
  if (!ec && !parser.is_done()) {
    // The rest of the body, as the server reads it: put() takes one part at a time.
    while (!ec && !parser.is_done() && used < bytes.size()) {
      used += parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    }
    if (!ec && !parser.is_done()) {
      parser.put_eof(ec);
    }
  }
  if (ec || !parser.is_header_done()) {
    return 0;  // the server answers these 400, 413 or 431 without calling a handler
  }
  if (auto refused = dondoc::http::framing_problem(parser)) {
    dondoc::fuzz::ApiFixture::check(
        dondoc::http::problem(refused->first, refused->second, std::string(parser.get().target())));
    return 0;
  }
  if (!parser.is_done()) {
    return 0;
  }
  auto& message = parser.get();
  dondoc::http::Request request =
      dondoc::http::to_request(message, std::move(message.body()), "192.0.2.1");
  (void)fixture.api().screen(request);
  fixture.call(request);
  return 0;
}
