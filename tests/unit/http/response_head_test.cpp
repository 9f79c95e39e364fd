// The response bytes dondocd writes, read back by Beast's own parser: what a client sees.
#include "response_head.hpp"

#include <gtest/gtest.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>

using dondoc::http::Response;
using dondoc::http::serialize_response;
namespace bhttp = boost::beast::http;

namespace {

bhttp::response<bhttp::string_body> parse(const std::string& wire) {
  bhttp::response_parser<bhttp::string_body> parser;
  boost::beast::error_code ec;
  parser.eager(true);
  const auto used = parser.put(boost::asio::buffer(wire), ec);
  EXPECT_FALSE(ec) << ec.message() << " in " << wire;
  EXPECT_EQ(used, wire.size()) << "bytes after the message: " << wire;
  EXPECT_TRUE(parser.is_done()) << wire;
  return parser.release();
}

}  // namespace

TEST(ResponseHead, ACreatedTaskReadsBackWhole) {
  Response r;
  r.status = 201;
  r.set_header("Content-Type", "application/json");
  r.set_header("ETag", "\"3\"");
  r.set_header("Location", "/api/v1/tasks/42");
  r.body = R"({"id":42,"title":"Báo cáo tiến độ giải ngân vốn đầu tư công"})";
  const std::string wire = serialize_response(r, true);
  EXPECT_EQ(wire.rfind("HTTP/1.1 201 Created\r\n", 0), 0u) << wire;
  const auto m = parse(wire);
  EXPECT_EQ(m.result_int(), 201);
  EXPECT_EQ(m[bhttp::field::server], "dondocd");
  EXPECT_EQ(m[bhttp::field::content_type], "application/json");
  EXPECT_EQ(m[bhttp::field::etag], "\"3\"");
  EXPECT_EQ(m[bhttp::field::location], "/api/v1/tasks/42");
  EXPECT_EQ(m.body(), r.body);
  EXPECT_TRUE(m.keep_alive());
}

TEST(ResponseHead, ClosingSaysSoAndRepeatedHeadersStay) {
  Response r;
  r.status = 405;
  r.set_header("Allow", "GET, PATCH");
  r.set_header("Vary", "Accept");
  r.set_header("Vary", "Authorization");
  r.body = "{}";
  const auto m = parse(serialize_response(r, false));
  EXPECT_FALSE(m.keep_alive());
  EXPECT_EQ(m[bhttp::field::allow], "GET, PATCH");
  EXPECT_EQ(std::distance(m.equal_range(bhttp::field::vary).first,
                          m.equal_range(bhttp::field::vary).second),
            2);
}

TEST(ResponseHead, StatusesWithoutABodyGetNoLengthAndNoBody) {
  Response r;
  r.status = 204;
  r.body = "ignored";
  const std::string wire = serialize_response(r, true);
  EXPECT_EQ(wire,
            "HTTP/1.1 204 No Content\r\nServer: dondocd\r\nX-Content-Type-Options: nosniff\r\n"
            "X-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n\r\n");
}

TEST(ResponseHead, AHeaderThatCouldSplitTheResponseIsRefused) {
  Response r;
  r.set_header("Content-Disposition", "inline; filename=\"a.csv\"\r\nSet-Cookie: x=1");
  EXPECT_THROW(serialize_response(r, true), std::invalid_argument);
  Response nul;
  nul.set_header("X-Note", std::string("a\0b", 3));
  EXPECT_THROW(serialize_response(nul, true), std::invalid_argument);
  Response name;
  name.set_header("Bad Name", "x");
  EXPECT_THROW(serialize_response(name, true), std::invalid_argument);
}

// The answer of last resort is a whole, closing 500 whose length is right.
TEST(ResponseHead, TheLastResortAnswerReadsBackWhole) {
  const auto m = parse(dondoc::http::last_resort_response());
  EXPECT_EQ(m.result_int(), 500);
  EXPECT_FALSE(m.keep_alive());
  EXPECT_EQ(nlohmann::json::parse(m.body()).at("status"), 500);
}
