#include "wire.hpp"

#include <cctype>
#include <string_view>

#include "dondoc/domain/text.hpp"

namespace dondoc::http {

namespace bhttp = boost::beast::http;

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The transfer codings of a request, lower case and in order, from all its Transfer-Encoding
// fields; parameters dropped.
std::vector<std::string> transfer_codings(const bhttp::fields& fields) {
  std::vector<std::string> out;
  for (auto it = fields.find(bhttp::field::transfer_encoding); it != fields.end(); ++it) {
    if (it->name() != bhttp::field::transfer_encoding) {
      break;
    }
    const auto raw = it->value();
    std::string_view value(raw.data(), raw.size());
    while (!value.empty()) {
      const auto comma = value.find(',');
      std::string_view item = value.substr(0, comma);
      item = item.substr(0, item.find(';'));
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
        item.remove_prefix(1);
      }
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
        item.remove_suffix(1);
      }
      if (!item.empty()) {
        out.push_back(lower(item));
      }
      value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    }
  }
  return out;
}

}  // namespace

std::optional<std::pair<int, std::string>> framing_problem(
    const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& req = parser.get();
  const auto hosts = req.count(bhttp::field::host);
  if (hosts > 1) {
    return std::pair(400, "the request has " + std::to_string(hosts) +
                              " Host headers; it must have exactly one (RFC 9112 §3.2)");
  }
  if (hosts == 0 && req.version() >= 11) {
    return std::pair(400,
                     std::string("an HTTP/1.1 request must have a Host header (RFC 9112 §3.2)"));
  }
  const auto codings = transfer_codings(req.base());
  if (req.count(bhttp::field::transfer_encoding) > 0) {
    if (codings.empty() || codings.back() != "chunked") {
      return std::pair(400, std::string("a Transfer-Encoding must end with chunked (RFC 9112 "
                                        "§6.3); the request cannot be framed"));
    }
    if (req.count(bhttp::field::content_length) > 0) {
      return std::pair(400, std::string("a request must not have both Transfer-Encoding and "
                                        "Content-Length (RFC 9112 §6.3)"));
    }
    if (codings.size() > 1) {
      return std::pair(501, "transfer coding '" + domain::excerpt(codings.front(), 40) +
                                "' is not supported; send the body with chunked alone or with "
                                "Content-Length");
    }
  }
  return std::nullopt;
}

Request to_request(const bhttp::request<bhttp::string_body>& req, std::string body,
                   std::string peer) {
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  r.peer = std::move(peer);
  for (const auto& f : req) {
    const auto name = f.name_string();
    auto [it, inserted] = r.headers.emplace(lower(std::string_view(name.data(), name.size())),
                                            std::string(f.value()));
    if (!inserted) {
      it->second += ", " + std::string(f.value());
    }
  }
  r.body = std::move(body);
  return r;
}

}  // namespace dondoc::http
