#include "response_head.hpp"

#include <boost/beast/http/status.hpp>
#include <ostream>  // Beast's status header uses std::ostream without including it
#include <stdexcept>
#include <string_view>

namespace dondoc::http {

namespace {

// RFC 9110 §5.6.2: tchar.
bool is_token(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool may_have_body(int status) {
  return status >= 200 && status != 204 && status != 304;
}

}  // namespace

std::string serialize_response(const Response& response, bool keep_alive,
                               std::optional<std::uint64_t> body_length) {
  const auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(response.status));
  std::string out;
  out.reserve(128 + response.body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\nServer: dondocd\r\n";
  // Every answer, page or API: its type is what it says, it is not framed, and no other site
  // learns from a Referer what was open here (docs/design.md, "The web interface").
  out +=
      "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: "
      "same-origin\r\n";
  for (const auto& [name, value] : response.headers) {
    if (!is_token(name)) {
      throw std::invalid_argument("header name '" + name + "' is not an HTTP token");
    }
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      throw std::invalid_argument("the value of header " + name + " has CR, LF or NUL");
    }
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  const bool body = may_have_body(response.status);
  if (body) {
    out += "Content-Length: ";
    out += std::to_string(body_length.value_or(response.body.size()));
    out += "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  }
  out += "\r\n";
  if (body && !body_length) {
    out += response.body;
  }
  return out;
}

const std::string& last_resort_response() {
  static const std::string bytes = [] {
    Response r;
    r.status = 500;
    r.set_header("Content-Type", "application/problem+json");
    r.body = R"({"type":"about:blank","title":"Internal Server Error","status":500,)"
             R"("detail":"internal error"})";
    return serialize_response(r, false);
  }();
  return bytes;
}

}  // namespace dondoc::http
