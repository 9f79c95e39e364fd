// The cookie a person's session travels in (docs/design.md, "Who may do what"): HttpOnly (no
// script reads it), SameSite=Strict (no other site's page sends it), and, when dondoc is served
// over https, Secure and named with the __Host- prefix (no subdomain can set or shadow it).
#pragma once

#include <optional>
#include <string>

#include "dondoc/http/message.hpp"

namespace dondoc::http {

class SessionCookie {
 public:
  explicit SessionCookie(const std::string& base_url);

  const std::string& name() const { return name_; }
  // The session's credential in the request's Cookie header, if any.
  std::optional<std::string> in(const Request& req) const;
  // Set-Cookie values: one that holds `credential` for `max_age_seconds`, one that removes it.
  std::string set(const std::string& credential, long long max_age_seconds) const;
  std::string clear() const;

 private:
  std::string name_;
  std::string attributes_;
};

}  // namespace dondoc::http
