#include "dondoc/http/api.hpp"

#include <algorithm>
#include <charconv>

#include "api_impl.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"

namespace dondoc::http {

namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kProblemJson = "application/problem+json";
const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

// The segments of an absolute path. A path that is not absolute has none, and every route has
// at least one, so it matches none.
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  if (path.empty() || path[0] != '/') {
    return out;
  }
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) {
      end = path.size();
    }
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Whether a Content-Type header names `media_type` (parameters such as charset aside).
bool is_content_type(const std::optional<std::string>& ct, std::string_view media_type) {
  if (!ct) {
    return false;
  }
  std::string media = ct->substr(0, ct->find(';'));
  while (!media.empty() && media.back() == ' ') {
    media.pop_back();
  }
  for (auto& c : media) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return media == media_type;
}

// The charset a Content-Type names, lower case and unquoted; empty when it names none.
std::string charset_of(const std::string& ct) {
  std::size_t at = ct.find(';');
  while (at != std::string::npos) {
    const std::size_t next = ct.find(';', at + 1);
    std::string param =
        ct.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
    const auto eq = param.find('=');
    std::string name = param.substr(0, eq);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    for (auto& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (name == "charset" && eq != std::string::npos) {
      std::string value = param.substr(eq + 1);
      value.erase(0, value.find_first_not_of(" \t\""));
      value.erase(value.find_last_not_of(" \t\"") + 1);
      for (auto& c : value) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      return value;
    }
    at = next;
  }
  return "";
}

// The token of an `Authorization: Bearer <token>` header; none when there is no header. Any other
// scheme is malformed, and refused as such.
service::Credential bearer_token(const Request& req) {
  auto h = req.header("authorization");
  if (!h) {
    return {};
  }
  constexpr std::string_view kScheme = "bearer ";
  if (h->size() > kScheme.size()) {
    std::string scheme = h->substr(0, kScheme.size());
    for (auto& c : scheme) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (scheme == kScheme) {
      std::string token = h->substr(kScheme.size());
      while (!token.empty() && token.front() == ' ') {
        token.erase(0, 1);
      }
      while (!token.empty() && token.back() == ' ') {
        token.pop_back();
      }
      return {token};
    }
  }
  return {"", true};
}

// Literal segments must be equal; {id} segments must be positive integers (anything else is
// simply not a resource: 404).
bool match(const Route& route, const std::vector<std::string>& segments, Params& params) {
  if (route.segments.size() != segments.size()) {
    return false;
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& p = route.segments[i];
    if (p.size() > 2 && p.front() == '{') {
      std::int64_t id = 0;
      const auto& s = segments[i];
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
      if (ec != std::errc() || ptr != s.data() + s.size() || id < 1 || s.empty() || s[0] == '+') {
        return false;
      }
      params.push_back(id);
    } else if (p != segments[i]) {
      return false;
    }
  }
  return true;
}

// A problem's `instance`: the request's path as a URI reference, query left out (it may carry a
// token). A target is ASCII when well formed; any other byte is percent-encoded, so that what a
// client sent can never make the answer invalid JSON, and a long path is cut.
std::string instance_of(std::string_view target) {
  constexpr std::size_t kMaxInstance = 256;
  static constexpr char kHex[] = "0123456789ABCDEF";
  target = target.substr(0, target.find('?'));
  std::string out;
  for (char ch : target) {
    if (out.size() >= kMaxInstance) {
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", kJson);
  // Every text in an answer is checked UTF-8; should one slip through, it is replaced, not
  // thrown out of the connection.
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

std::string etag(std::int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

// If-Match carries the ETag we sent: "3". `*` matches any version.
std::optional<std::int64_t> parse_if_match(const Request& req, bool required) {
  auto h = req.header("if-match");
  if (!h) {
    if (required) {
      throw PreconditionRequired();
    }
    return std::nullopt;
  }
  std::string v = *h;
  if (v == "*") {
    return std::nullopt;
  }
  std::int64_t n = 0;
  if (v.size() < 3 || v.front() != '"' || v.back() != '"' ||
      std::from_chars(v.data() + 1, v.data() + v.size() - 1, n).ptr != v.data() + v.size() - 1) {
    throw domain::ValidationError("If-Match",
                                  "must be the task's ETag as sent by dondoc, e.g. \"3\"");
  }
  return n;
}

json page_json(json items, std::int64_t total, const std::optional<std::string>& next) {
  return {
      {"items", std::move(items)}, {"total", total}, {"next", next ? json(*next) : json(nullptr)}};
}

Response problem(int status, const std::string& detail, const std::string& instance,
                 const std::vector<domain::FieldError>& errors) {
  json body = {{"type", "about:blank"},
               {"title", reason_phrase(status)},
               {"status", status},
               {"detail", detail}};
  if (!instance.empty()) {
    body["instance"] = instance_of(instance);
  }
  if (!errors.empty()) {
    json list = json::array();
    for (const auto& e : errors) {
      json item = {{"field", e.field}, {"message", e.message}};
      if (e.row > 0) {
        item["row"] = e.row;
      }
      list.push_back(std::move(item));
    }
    body["errors"] = list;
  }
  Response r;
  r.status = status;
  r.set_header("Content-Type", kProblemJson);
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Api::Impl::Impl(const service::ServiceContext& ctx, ApiInfo info)
    : ctx_(ctx),
      info_(std::move(info)),
      units_(ctx),
      tasks_(ctx),
      extensions_(ctx),
      accounts_(ctx),
      audit_(ctx),
      outbox_(ctx),
      reports_(ctx),
      series_(ctx),
      contributions_(ctx),
      attachments_(ctx),
      importer_(ctx, tasks_),
      scope_(ctx, accounts_,
             {info_.rate_limit_per_minute, info_.rate_limit_burst, info_.failures_per_minute,
              info_.failure_burst, info_.sign_in}),
      codec_(ctx.zone),
      cookie_(ctx.messages.base_url) {
  add_health_route();
  add_unit_routes();
  add_task_routes();
  add_series_routes();
  add_contribution_routes();
  add_extension_routes();
  add_account_routes();
  add_outbox_routes();
  add_report_routes();
  add_feed_routes();
  add_session_routes();
  // Last, so that the write routes keep their order (the fuzz seeds name them by position).
  add_attachment_routes();
}

void Api::Impl::add(std::string method, std::string pattern, Handler h, std::string body_type,
                    Surface surface) {
  auto segments = split_path(pattern);
  routes_.push_back({std::move(method), std::move(pattern), std::move(segments), std::move(h),
                     std::move(body_type), surface});
}

Surface Api::Impl::surface_of(const std::vector<std::string>& segments) const {
  Surface surface = Surface::api;
  for (const auto& route : routes_) {
    Params ignored;
    if (!match(route, segments, ignored)) {
      continue;
    }
    if (route.surface == Surface::open) {
      return Surface::open;
    }
    if (route.surface == Surface::feed) {
      surface = Surface::feed;
    }
  }
  return surface;
}

bool Api::Impl::is_open(const Request& req) const {
  try {
    return surface_of(split_path(parse_target(req.target).path)) == Surface::open;
  } catch (...) {
    return false;  // a malformed target: answered as such once routed
  }
}

Outcome Api::Impl::route(const Request& req) const {
  // The web interface's pages and files are open: they hold no data (the pages ask the API for
  // it, with the session), and a link from an email must open before anyone has signed in.
  if (req.method == "GET") {
    try {
      const Target target = parse_target(req.target);
      if (WebAssets::is_web_path(target.path)) {
        return web_.serve(target.path, req.header("if-none-match"));
      }
    } catch (...) {
      // A malformed target: answered as such by the routing below.
    }
  }
  // An open route makes its own reads: /healthz must say the database is unreadable, not fail
  // to begin a snapshot.
  if (req.method != "GET" || is_open(req)) {
    // A write may go on the caller's remembered credentials: its own transaction confirms them
    // (see deferred). Any other answer made for a remembered caller is given only once the
    // accounts are seen unchanged, and otherwise made again with the credential checked.
    std::optional<Actor> remembered;
    Outcome out = route_in_snapshot(req, true, &remembered);
    if (remembered && !out.confirms_credentials && !scope_.still_current(*remembered)) {
      out = route_in_snapshot(req, false, nullptr);
    }
    return out;
  }
  // A GET reads its credential, its user and its data in one snapshot: one transaction, not
  // three. On an event loop, that snapshot is shared with the other GETs the loop has in hand.
  try {
    std::optional<Outcome> out;
    scope_.in_snapshot([&] { out.emplace(route_in_snapshot(req, false, nullptr)); },
                       req.after_work_in_hand);
    return std::move(*out);
  } catch (...) {
    return problem_for(std::current_exception(), req.target);
  }
}

// The credential of a request: its Authorization header; on a calendar feed, which calendar
// programs fetch by URL alone, also `?token=` (the same revocable API token; the request log
// hides it).
service::Credential credential(const Request& req, const Target& target, Surface surface,
                               const SessionCookie& cookie) {
  if (surface == Surface::open) {
    return {};
  }
  service::Credential presented = bearer_token(req);
  if (presented.secret.empty() && !presented.malformed) {
    if (auto session = cookie.in(req)) {
      presented.secret = *session;
      presented.changes_state = req.method != "GET" && req.method != "HEAD";
      presented.csrf = req.header("x-csrf-token").value_or("");
    }
  }
  if (presented.secret.empty() && !presented.malformed && surface == Surface::feed) {
    if (auto it = target.query.find("token"); it != target.query.end()) {
      presented.secret = it->second;
    }
  }
  return presented;
}

Outcome Api::Impl::route_in_snapshot(const Request& req, bool may_remember,
                                     std::optional<Actor>* remembered) const {
  std::optional<Actor> actor;
  std::string path = req.target;
  try {
    const Target target = parse_target(req.target);
    path = target.path;
    const auto segments = split_path(target.path);
    // Every resource but the open ones needs a credential, checked before anything else is
    // revealed (even which paths exist).
    const Surface surface = surface_of(segments);
    if (surface != Surface::open) {
      auto who = scope_.authenticate(credential(req, target, surface, cookie_), may_remember);
      if (auto* failure = std::get_if<service::AuthFailure>(&who)) {
        return unauthenticated(req, path, *failure);
      }
      actor = std::get<Actor>(who);
      if (actor->unconfirmed_generation && remembered != nullptr) {
        *remembered = actor;
      }
      if (auto wait = scope_.rate_limited(*actor)) {
        Response r = problem(429,
                             "this token has made more requests than auth.rate_limit_per_minute "
                             "allows; retry in " +
                                 std::to_string(*wait) + " s",
                             req.target);
        r.set_header("Retry-After", std::to_string(*wait));
        return r;
      }
    }
    std::vector<std::string> allowed;
    for (const auto& route : routes_) {
      Params params;
      if (!match(route, segments, params)) {
        continue;
      }
      if (route.method != req.method) {
        allowed.push_back(route.method);
        continue;
      }
      if (!req.body.empty() && route.body_type != "*") {
        const auto content_type = req.header("content-type");
        // A route may take one of several types, listed "a, b".
        bool accepted = false;
        std::string listed;
        for (std::size_t at = 0; at < route.body_type.size();) {
          const auto comma = std::min(route.body_type.find(", ", at), route.body_type.size());
          const std::string type = route.body_type.substr(at, comma - at);
          accepted = accepted || is_content_type(content_type, type);
          listed += (listed.empty() ? "" : " or ") + type;
          at = comma + 2;
        }
        if (!accepted) {
          return problem(415,
                         "the body of " + route.method + " " + route.pattern + " must be " +
                             listed + ", not '" +
                             domain::excerpt(content_type.value_or("(none)"), 80) + "'",
                         req.target);
        }
        // Every text dondoc reads is UTF-8; a body declared in another charset would be read
        // wrongly, so it is refused rather than guessed at.
        const std::string charset = charset_of(*content_type);
        if (!charset.empty() && charset != "utf-8" && charset != "utf8") {
          return problem(400, "the request has invalid fields", req.target,
                         {{"Content-Type", "the charset must be utf-8, not '" +
                                               domain::excerpt(charset, 40) + "'"}});
        }
      }
      if (actor && actor->must_change_password && route.pattern.rfind("/api/v1/session", 0) != 0) {
        return problem(403,
                       "your password is a one-time password: choose your own first (POST "
                       "/api/v1/session/password)",
                       req.target);
      }
      return route.handler(req, target, params, actor.value_or(Actor::anonymous()));
    }
    if (!allowed.empty()) {
      std::string allow;
      for (const auto& m : allowed) {
        allow += (allow.empty() ? "" : ", ") + m;
      }
      Response r =
          problem(405, req.method + " is not allowed on " + target.path + "; allowed: " + allow,
                  req.target);
      r.set_header("Allow", allow);
      return r;
    }
    return problem(404, "no resource at " + target.path, req.target);
  } catch (const domain::Forbidden& e) {
    return forbidden(actor.value_or(Actor::anonymous()), e, req, path);
  } catch (...) {
    return problem_for(std::current_exception(), req.target);
  }
}

namespace {

// The answer never says what was wrong with a token; the audit log does.
Response unauthorized(const service::AuthFailure& failure, const std::string& target) {
  if (failure.csrf) {
    return problem(403,
                   "this request changes data and came with a session, but without the CSRF token "
                   "of the page that sent it (X-CSRF-Token): reload the page and try again",
                   target);
  }
  if (failure.session) {
    Response r = problem(401, "your session has ended; sign in again", target);
    r.set_header("WWW-Authenticate", "Bearer realm=\"dondoc\"");
    return r;
  }
  const std::string detail =
      failure.no_users
          ? "dondoc has no users yet. On the server, create the first admin with `dondocd user "
            "add --login admin --name \"Quản trị hệ thống\" --role admin`, then issue its token "
            "with `dondocd token issue admin`, and send it as `Authorization: Bearer <token>`"
          : "this request needs a valid API token: send `Authorization: Bearer <token>`";
  Response r = problem(401, detail, target);
  r.set_header("WWW-Authenticate", "Bearer realm=\"dondoc\"");
  return r;
}

}  // namespace

// A refused token: recorded in the audit log, unless its client has failed too often of late;
// then answered 429 and counted (service::FailedAttempts). What is stored of the request is
// bounded: a path may be 16 KiB.
Outcome Api::Impl::unauthenticated(const Request& req, const std::string& path,
                                   const service::AuthFailure& failure) const {
  const std::string client = req.peer.empty() ? "local" : req.peer;
  const std::string what = req.method + " " + domain::excerpt(path, 200) + ": " + failure.reason;
  if (auto wait = scope_.failures_limited(client, path, what)) {
    Response r = problem(429,
                         "too many failed authentications from this address; retry in " +
                             std::to_string(*wait) + " s",
                         req.target);
    r.set_header("Retry-After", std::to_string(*wait));
    return r;
  }
  Response answer = unauthorized(failure, req.target);
  if (failure.session && !failure.csrf) {
    answer.set_header("Set-Cookie", cookie_.clear());  // the browser stops sending it
  }
  return refusal({std::nullopt, "auth", path, failure.csrf ? "forbidden" : "unauthorized",
                  "from " + client + ": " + what, client},
                 std::move(answer));
}

Outcome Api::Impl::forbidden(const Actor& actor, const domain::Forbidden& e, const Request& req,
                             const std::string& path) const {
  return refusal({actor, e.action(), path, "forbidden", req.method + " " + path + ": " + e.what(),
                  std::nullopt},
                 problem(403, e.what(), req.target));
}

Outcome Api::Impl::refusal(service::Refusal refusal, Response answer) const {
  return Outcome([this, refusal = std::move(refusal)] { scope_.record(refusal); },
                 [answer = std::move(answer)] { return answer; });
}

Response Api::Impl::problem_for(std::exception_ptr error, const std::string& target) const {
  try {
    std::rethrow_exception(error);
  } catch (const domain::ValidationError& e) {
    bool body_level =
        e.errors().size() == 1 && e.errors()[0].field.empty() && e.errors()[0].row == 0;
    const bool about_a_file = std::any_of(e.errors().begin(), e.errors().end(),
                                          [](const domain::FieldError& f) { return f.row > 0; });
    std::string detail = "the request has invalid fields";
    if (body_level) {
      detail = e.errors()[0].message;
    } else if (about_a_file) {
      detail =
          "the file has problems (listed in errors, by row and column); nothing was "
          "registered";
    }
    return problem(400, detail, target,
                   body_level ? std::vector<domain::FieldError>{} : e.errors());
  } catch (const PreconditionRequired&) {
    return problem(428,
                   "this update needs an If-Match header with the task's ETag (from GET), "
                   "so that it cannot overwrite a change made meanwhile",
                   target);
  } catch (const domain::NotFound& e) {
    return problem(404, e.what(), target);
  } catch (const service::CredentialsRefused& e) {
    return unauthorized(e.failure(), target);
  } catch (const domain::Forbidden& e) {
    return problem(403, e.what(), target);
  } catch (const domain::Conflict& e) {
    return problem(409, e.what(), target);
  } catch (const domain::VersionMismatch& e) {
    return problem(412, e.what(), target);
  } catch (const domain::TooLarge& e) {
    Response r = problem(413, e.what(), target);
    r.close = true;  // the rest of the body may still be on its way
    return r;
  } catch (const domain::UnsupportedContent& e) {
    return problem(415, e.what(), target);
  } catch (const domain::StorageError& e) {
    log_->error("event=storage_error target=\"{}\" error=\"{}\"", loggable_target(target),
                domain::excerpt(e.what()));
    return problem(503, "the database is unavailable; the request was not applied", target);
  } catch (const std::exception& e) {
    log_->error("event=internal_error target=\"{}\" error=\"{}\"", loggable_target(target),
                domain::excerpt(e.what()));
    return problem(500, "internal error; the request was not applied", target);
  }
}

Response Api::Impl::task_response(int status, const service::TaskView& v) const {
  Response r;
  r.status = status;
  r.set_header("Content-Type", kJson);
  r.body = codec_.task_text(v);
  r.set_header("ETag", etag(v.task.version));
  if (status == 201) {
    r.set_header("Location", "/api/v1/tasks/" + std::to_string(v.task.id));
  }
  return r;
}

Response Api::Impl::created(const std::string& location, const json& body) const {
  Response r = json_response(201, body);
  r.set_header("Location", location);
  return r;
}

// /healthz: the process is up and answering, and can read its database (liveness). /readyz:
// it can also take writes now (readiness): not when draining, the database file is read-only,
// its file system nearly full, or the last write failed for want of storage.
void Api::Impl::add_health_route() {
  add(
      "GET", "/healthz",
      [this](const Request&, const Target&, const Params&, const Actor&) -> Outcome {
        const bool draining = draining_.load();
        const auto health = scope_.health();
        const std::string database =
            health.readable ? std::string("readable") : "unreadable: " + health.error;
        const bool ok = !draining && database == "readable";
        return json_response(
            ok ? 200 : 503,
            {{"status", draining ? "draining" : (ok ? "ok" : "failing")},
             {"covers",
              "the process answers and can read its database; /readyz tells whether "
              "it can take writes"},
             {"database", database},
             {"version", info_.version},
             {"schema_version", health.schema_version},
             {"durability", health.durability},
             {"time_zone", info_.time_zone},
             {"today", ctx_.today().to_string()}});
      },
      "application/json", Surface::open);
  add(
      "GET", "/readyz",
      [this](const Request&, const Target&, const Params&, const Actor&) -> Outcome {
        auto readiness = scope_.readiness();
        if (draining_.load()) {
          readiness = {false, "the server is shutting down"};
        }
        json body = {{"status", readiness.ready ? "ready" : "not_ready"}};
        if (!readiness.ready) {
          body["reason"] = readiness.reason;
        }
        return json_response(readiness.ready ? 200 : 503, body);
      },
      "application/json", Surface::open);
}

Api::Api(const service::ServiceContext& ctx, ApiInfo info) {
  if (!spdlog::get("http")) {
    spdlog::register_logger(spdlog::default_logger()->clone("http"));
  }
  impl_ = std::make_unique<Impl>(ctx, std::move(info));
  impl_->log_ = spdlog::get("http");
}

Api::~Api() = default;

Outcome Api::route(const Request& request) const {
  return impl_->route(request);
}

std::optional<Outcome> Api::screen(const Request& head) const {
  try {
    const Target target = parse_target(head.target);
    const Surface surface = impl_->surface_of(split_path(target.path));
    if (surface == Surface::open) {
      return std::nullopt;
    }
    auto who = impl_->scope_.authenticate(credential(head, target, surface, impl_->cookie_), false);
    if (auto* failure = std::get_if<service::AuthFailure>(&who)) {
      return impl_->unauthenticated(head, target.path, *failure);
    }
  } catch (...) {
    // The request as a whole says what is wrong (a malformed target: 400), once read.
  }
  return std::nullopt;
}

void Api::flush_held_failures(bool all) {
  impl_->scope_.flush_held_failures(all);
}

std::optional<Streamed> Api::stream(const Request& head) const {
  return impl_->stream(head);
}

Response Api::handle(const Request& request) const {
  Outcome outcome = impl_->route(request);
  if (outcome.now) {
    return std::move(*outcome.now);
  }
  if (outcome.slow) {
    return outcome.slow();
  }
  if (outcome.prepare) {
    if (auto refused = outcome.prepare()) {
      return std::move(*refused);
    }
  }
  outcome.write();
  return outcome.answer();
}

std::vector<RouteInfo> Api::routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : impl_->routes_) {
    out.push_back({r.method, r.pattern});
  }
  return out;
}

void Api::set_draining(bool draining) {
  impl_->draining_.store(draining);
}

}  // namespace dondoc::http