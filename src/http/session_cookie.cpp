#include "session_cookie.hpp"

#include <string_view>

namespace dondoc::http {

SessionCookie::SessionCookie(const std::string& base_url) {
  const bool https = base_url.rfind("https://", 0) == 0;
  name_ = https ? "__Host-dondoc_session" : "dondoc_session";
  attributes_ = "; Path=/; HttpOnly; SameSite=Strict";
  if (https) {
    attributes_ += "; Secure";
  }
}

std::optional<std::string> SessionCookie::in(const Request& req) const {
  const auto header = req.header("cookie");
  if (!header) {
    return std::nullopt;
  }
  std::string_view rest = *header;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name_) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::string SessionCookie::set(const std::string& credential, long long max_age_seconds) const {
  return name_ + "=" + credential + attributes_ + "; Max-Age=" + std::to_string(max_age_seconds);
}

std::string SessionCookie::clear() const {
  return name_ + "=" + attributes_ + "; Max-Age=0";
}

}  // namespace dondoc::http
