// From the bytes Beast parsed to a Request: what RFC 9112 makes a server refuse in a request's
// framing, and the transport-neutral Request the handlers take. Shared by the server and the
// fuzz harness that feeds raw requests through the same steps.
#pragma once

#include <boost/beast/http.hpp>
#include <optional>
#include <string>
#include <utility>

#include "dondoc/http/message.hpp"

namespace dondoc::http {

// The status and reason to refuse a request's framing with, or nullopt when it is sound: exactly
// one Host (none allowed in HTTP/1.0); a Transfer-Encoding that ends in chunked, with no other
// coding (501) and no Content-Length. Beast alone reads `Transfer-Encoding: chunked, identity`
// as a request without a body and the rest of the bytes as the next request (smuggling).
std::optional<std::pair<int, std::string>> framing_problem(
    const boost::beast::http::request_parser<boost::beast::http::string_body>& parser);

// The request as handlers see it: header names in lower case, repeated fields joined by ", ".
Request to_request(const boost::beast::http::request<boost::beast::http::string_body>& req,
                   std::string body, std::string peer);

}  // namespace dondoc::http
