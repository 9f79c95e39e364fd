// People's sessions: sign-in (POST /api/v1/sessions: open, so at a path of its own, since a
// route's surface is its path's) and sign-out, the session's own view (with its CSRF token), one's
// own password, and an admin's reset of another's. Password checks and hashes take tens of
// milliseconds each (Argon2id), so those routes run on a worker thread, not an event loop.
#include "api_impl.hpp"
#include "dondoc/service/sessions.hpp"

namespace dondoc::http {

namespace {

const std::set<std::string> kSignInFields = {"login", "password"};
const std::set<std::string> kPasswordFields = {"current_password", "new_password"};

}  // namespace

void Api::Impl::add_session_routes() {
  // Open: the credential is what it makes. A failure is told the same whatever was wrong, is
  // recorded in the audit log and counted against the client's address (as a bad token is) and
  // against the login name, past whose limit the password is not even checked.
  add(
      "POST", "/api/v1/sessions",
      [this](const Request& req, const Target& t, const Params&, const Actor&) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kSignInFields, kNoFields, errors);
        service::SignIn in;
        in.login = f.string("login", true).value_or("");
        in.password = f.string("password", true).value_or("");
        errors.throw_if_any();
        const std::string client = req.peer.empty() ? "local" : req.peer;
        return on_worker(t.path, [this, in, client, path = t.path, target = req.target]() {
          try {
            auto opened = scope_.sign_in(in);
            const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(
                                      opened.session.expires_at - opened.session.created_at)
                                      .count();
            Response r = json_response(201, session_json(opened.user, opened.session));
            r.set_header("Set-Cookie", cookie_.set(opened.credential, lifetime));
            r.set_header("Cache-Control", "no-store");
            return r;
          } catch (const service::SignInLimited& e) {
            Response r = problem(429, e.what(), target);
            r.set_header("Retry-After", std::to_string(e.retry_after()));
            return r;
          } catch (const service::SignInRefused& e) {
            const std::string what = "POST " + path + ": sign-in failed: " + e.reason();
            if (auto wait = scope_.failures_limited(client, path, what)) {
              Response r = problem(429,
                                   "too many failed sign-ins from this address; retry in " +
                                       std::to_string(*wait) + " s",
                                   target);
              r.set_header("Retry-After", std::to_string(*wait));
              return r;
            }
            scope_.record({std::nullopt, "auth", path, "unauthorized",
                           "from " + client + ": " + what, client});
            return problem(401, e.what(), target);
          }
        });
      },
      "application/json", Surface::open);

  add("GET", "/api/v1/session",
      [this](const Request&, const Target&, const Params&, const Actor& actor) -> Outcome {
        if (!actor.session_id) {
          return problem(404,
                         "this request came with an API token; a session is what a person "
                         "signing in gets (POST /api/v1/sessions)",
                         "/api/v1/session");
        }
        auto [user, session] = scope_.sessions().current(actor);
        Response r = json_response(200, session_json(user, session));
        r.set_header("Cache-Control", "no-store");
        return r;
      });

  add("DELETE", "/api/v1/session",
      [this](const Request& req, const Target&, const Params&, const Actor& actor) -> Outcome {
        scope_.sessions().sign_out(actor);
        Response r;
        r.status = 204;
        r.set_header("Set-Cookie", cookie_.clear());
        (void)req;
        return r;
      });

  add("POST", "/api/v1/session/password",
      [this](const Request& req, const Target& t, const Params&, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kPasswordFields, kNoFields, errors);
        const auto current = f.string("current_password", true).value_or("");
        const auto next = f.string("new_password", true).value_or("");
        errors.throw_if_any();
        return on_worker(t.path, [this, actor, current, next]() {
          scope_.sessions().change_password(actor, current, next);
          Response r;
          r.status = 204;
          return r;
        });
      });

  add("POST", "/api/v1/users/{id}/password-reset",
      [this](const Request& req, const Target& t, const Params& p, const Actor& actor) -> Outcome {
        if (!req.body.empty()) {
          parse_body(req.body, true);  // nothing to say, but a body must still be JSON
        }
        const auto user = p[0];
        return on_worker(t.path, [this, actor, user]() {
          const std::string password = scope_.sessions().reset_password(actor, user);
          Response r = json_response(
              200,
              {{"user_id", user}, {"one_time_password", password}, {"must_change_password", true}});
          r.set_header("Cache-Control", "no-store");
          return r;
        });
      });
}

json Api::Impl::session_json(const domain::User& user, const domain::Session& session) const {
  return {{"user", codec_.user(user)},
          {"csrf_token", session.csrf_token},
          {"must_change_password", user.must_change_password},
          {"expires_at", codec_.instant(session.expires_at)},
          {"idle_timeout_minutes",
           std::chrono::duration_cast<std::chrono::minutes>(ctx_.sessions.idle).count()}};
}

}  // namespace dondoc::http
