// The /api/v1 surface: routing, JSON codecs, problem+json errors. Api::handle is a pure function
// of the request (and the services behind it); the server calls it for every request.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/errors.hpp"
#include "dondoc/http/message.hpp"
#include "dondoc/http/report_formats.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/service/sessions.hpp"

namespace dondoc::http {

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/tasks/{id}"
};

struct ApiInfo {
  std::string version;  // dondocd's
  std::string time_zone;
  int rate_limit_per_minute = 0;  // per API token; 0: no limit
  int rate_limit_burst = 1;
  int failures_per_minute = 30;  // failed authentications per client address
  int failure_burst = 10;
  service::SignInLimits sign_in{};  // failed sign-ins per login name
  Letterhead letterhead{};          // of the printed reports
};

class Api {
 public:
  Api(const service::ServiceContext& ctx, ApiInfo info);
  ~Api();

  // What to do for a request: the server's entry point.
  Outcome route(const Request& request) const;
  // A request judged on its header alone (the server's Screen, for `Expect: 100-continue`): the
  // refusal of a request whose credentials fail, or nullopt to read its body and route it.
  std::optional<Outcome> screen(const Request& head) const;
  // The server's Streamer: an upload (POST /api/v1/tasks/{id}/attachments) is checked on its
  // header (credentials, the caller's right, the declared size) and its body streamed to disk.
  std::optional<Streamed> stream(const Request& head) const;
  // Writes the failed authentications held in counts (see service::FailedAttempts): those held
  // for over a minute, or all of them (at shutdown).
  void flush_held_failures(bool all);
  // route() carried out on the calling thread (its write in a transaction of its own), for
  // tests and tools.
  Response handle(const Request& request) const;
  // Every route, for docs/api.md's test and for 405's Allow header.
  std::vector<RouteInfo> routes() const;
  // While draining, /healthz says so and new work is refused with 503.
  void set_draining(bool draining);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// RFC 9457 problem+json with the standard fields; `errors` lists field problems for 400s.
Response problem(int status, const std::string& detail, const std::string& instance,
                 const std::vector<domain::FieldError>& errors = {});

}  // namespace dondoc::http
