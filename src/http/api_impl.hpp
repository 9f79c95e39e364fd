// The Api's insides, shared by the files that add its routes: api.cpp (routing, credentials,
// errors, health), routes_units.cpp, routes_tasks.cpp, routes_series.cpp, routes_contributions.cpp,
// routes_attachments.cpp, routes_extensions.cpp, routes_accounts.cpp (users, tokens, audit),
// routes_outbox.cpp, routes_reports.cpp (reports and the calendar feed).
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "codec.hpp"
#include "dondoc/http/api.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/service/attachments.hpp"
#include "dondoc/service/audit.hpp"
#include "dondoc/service/contributions.hpp"
#include "dondoc/service/extensions.hpp"
#include "dondoc/service/outbox.hpp"
#include "dondoc/service/reports.hpp"
#include "dondoc/service/request_scope.hpp"
#include "dondoc/service/series.hpp"
#include "dondoc/service/task_import.hpp"
#include "json_fields.hpp"
#include "query.hpp"
#include "session_cookie.hpp"
#include "web_assets.hpp"

namespace dondoc::http {

using json = nlohmann::ordered_json;
using Params = std::vector<std::int64_t>;  // the {id} segments of the matched route, in order
using service::Actor;

inline constexpr std::int64_t kMaxId = INT64_MAX;
inline const std::set<std::string> kNoFields;

// Which credential a route takes (each surface extracts its own and hands it to the service
// layer's RequestScope): none (open to anyone), the API's bearer token, or also the `?token=` of
// a calendar feed, which calendar programs fetch by URL alone.
enum class Surface { open, api, feed };

// The credential a request presents on `surface`: its bearer token; else the session in its
// `cookie`, with the CSRF token it sends if it changes anything; for a feed, else `?token=`.
service::Credential credential(const Request& req, const Target& target, Surface surface,
                               const SessionCookie& cookie);

// An update that must name the version it changes (If-Match) and names none: 428.
class PreconditionRequired : public std::runtime_error {
 public:
  PreconditionRequired() : std::runtime_error("If-Match required") {}
};

Response json_response(int status, const json& body);
json page_json(json items, std::int64_t total, const std::optional<std::string>& next);
// The ETag of a version, and the version an If-Match names (nullopt: none given, or `*`).
std::string etag(std::int64_t version);
std::optional<std::int64_t> parse_if_match(const Request& req, bool required);

template <typename T, typename Encode>
json items_json(const std::vector<T>& items, Encode encode) {
  json out = json::array();
  for (const auto& item : items) {
    out.push_back(encode(item));
  }
  return out;
}

using Handler = std::function<Outcome(const Request&, const Target&, const Params&, const Actor&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;
  Handler handler;
  // The media type its request body must have ("a, b": one of them); "*": any (a file).
  std::string body_type;
  Surface surface = Surface::api;
};

struct Api::Impl {
  Impl(const service::ServiceContext& ctx, ApiInfo info);

  const service::ServiceContext& ctx_;
  ApiInfo info_;
  service::UnitService units_;
  mutable service::TaskService tasks_;
  service::ExtensionService extensions_;
  service::AccountService accounts_;
  service::AuditService audit_;
  service::OutboxService outbox_;
  service::ReportService reports_;
  service::SeriesService series_;
  service::ContributionService contributions_;
  service::AttachmentService attachments_;
  service::TaskImporter importer_;
  service::RequestScope scope_;
  Codec codec_;
  SessionCookie cookie_;
  WebAssets web_;
  std::vector<Route> routes_;
  std::atomic<bool> draining_{false};
  std::shared_ptr<spdlog::logger> log_;

  void add(std::string method, std::string pattern, Handler h,
           std::string body_type = "application/json", Surface surface = Surface::api);
  // The surface of the routes at `segments`: open if one of them is, feed if one takes a feed
  // token; the API's for a path with no route (which needs a token before it is told so).
  Surface surface_of(const std::vector<std::string>& segments) const;
  bool is_open(const Request& req) const;
  void add_health_route();
  void add_unit_routes();
  void add_task_routes();
  void add_series_routes();
  void add_contribution_routes();
  void add_attachment_routes();
  void add_extension_routes();
  void add_account_routes();
  void add_outbox_routes();
  void add_report_routes();
  void add_feed_routes();
  void add_session_routes();

  Outcome route(const Request& req) const;
  // An upload's body goes to a file as it arrives (see Api::stream); nullopt for other requests.
  std::optional<Streamed> stream(const Request& head) const;
  // A received upload as an Outcome: made durable on a worker (prepare), then its row written.
  Outcome upload_outcome(std::shared_ptr<service::Upload> upload, const Actor& actor,
                         const Request& req) const;
  // Authenticates and answers. `may_remember`: the caller may be taken from memory, unchecked
  // (then also stored in *remembered); the answer must then confirm it or be confirmed.
  Outcome route_in_snapshot(const Request& req, bool may_remember,
                            std::optional<Actor>* remembered) const;
  // The problem+json answer for an error from a handler or a write.
  Response problem_for(std::exception_ptr error, const std::string& target) const;
  // A refused attempt: recorded in the audit log (a write of its own), then answered.
  Outcome refusal(service::Refusal refusal, Response answer) const;
  Outcome unauthenticated(const Request& req, const std::string& path,
                          const service::AuthFailure& failure) const;
  Outcome forbidden(const Actor& actor, const domain::Forbidden& e, const Request& req,
                    const std::string& path) const;

  // A planned write as an Outcome: the plan's database part is the write (errors kept for the
  // answer; a refusal is recorded in the audit log in the same batch), the rest renders the
  // answer after the commit.
  template <typename T, typename Render>
  Outcome deferred(service::WritePlan<T> plan, const Actor& actor, const Request& req,
                   Render render) const {
    auto error = std::make_shared<std::exception_ptr>();
    const Target target = parse_target(req.target);
    Outcome out(
        [this, apply = std::move(plan.apply), error, actor, path = target.path, method = req.method,
         token = actor.unconfirmed_generation
                     ? credential(req, target, Surface::api, cookie_).secret
                     : std::string()] { *error = scope_.write(apply, actor, token, method, path); },
        [this, result = std::move(plan.result), render = std::move(render), error,
         target = req.target]() -> Response {
          if (*error) {
            return problem_for(*error, target);
          }
          try {
            return render(result());
          } catch (...) {
            return problem_for(std::current_exception(), target);
          }
        });
    out.confirms_credentials = true;
    return out;
  }
  // Work too long for an event loop, as an Outcome made on a worker thread; its errors become
  // problem+json there.
  Outcome on_worker(const std::string& target, std::function<Response()> work) const {
    return Outcome::on_worker([this, target, work = std::move(work)]() -> Response {
      try {
        return work();
      } catch (...) {
        return problem_for(std::current_exception(), target);
      }
    });
  }
  Response task_response(int status, const service::TaskView& v) const;
  Response series_response(int status, const service::SeriesView& v) const;
  Response contributions_response(const std::vector<service::ContributionView>& views) const;
  // A session as the one who holds it sees it: who, its CSRF token, when it ends.
  json session_json(const domain::User& user, const domain::Session& session) const;
  Response created(const std::string& location, const json& body) const;
  json import_json(const service::ImportResult& result) const;
  service::NewTask read_new_task(const nlohmann::json& body) const;
  service::TaskPatch read_task_patch(const nlohmann::json& body) const;
};

}  // namespace dondoc::http
