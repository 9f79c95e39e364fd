// The bytes of an HTTP/1.1 response, written by hand rather than by Beast's serializer: that
// walks a variant of buffer sequences per buffer, and was a sixth of the time of answering a GET
// (throughput of GET /api/v1/tasks/{id} rose from 49,898 to 58,727 req/s when a throwaway build
// wrote these bytes instead). Requests are still read by Beast's parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dondoc/http/message.hpp"

namespace dondoc::http {

// Status line, `Server: dondocd`, the response's headers in order, Content-Length (none for
// 1xx, 204 and 304, which have no body), `Connection: close` unless the connection stays open,
// a blank line, then the body (none for those statuses either). Throws std::invalid_argument
// for a header name that is not an HTTP token, or a value with CR, LF or NUL: one could split
// the response.
// `body_length`: the length of a body sent after these bytes (a file), instead of the Response's.
std::string serialize_response(const Response& response, bool keep_alive,
                               std::optional<std::uint64_t> body_length = std::nullopt);

// The bytes of a 500 problem+json that closes the connection, for when even making an answer
// failed. Made on first use (the server makes it when built), so that sending it allocates
// nothing.
const std::string& last_resort_response();

}  // namespace dondoc::http
