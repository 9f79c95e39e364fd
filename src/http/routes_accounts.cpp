// Users, their API tokens, the caller's own identity, and the audit log.
#include "api_impl.hpp"

namespace dondoc::http {

namespace {

const std::set<std::string> kNewUserFields = {"login", "display_name", "email", "role", "unit_id"};
const std::set<std::string> kUserPatchFields = {"display_name", "email", "role", "unit_id",
                                                "active"};
const std::set<std::string> kUserReadOnly = {
    "id", "active", "has_password", "must_change_password", "created_at", "updated_at"};
const std::set<std::string> kUserPatchReadOnly = {
    "id", "login", "has_password", "must_change_password", "created_at", "updated_at"};
const std::set<std::string> kNewTokenFields = {"label", "expires_in_days"};
const std::set<std::string> kTokenReadOnly = {"id",         "user_id",    "token",
                                              "created_at", "expires_at", "revoked_at"};

std::optional<domain::Role> read_role(JsonFields& f, bool required) {
  auto text = f.string("role", required);
  if (!text) {
    return std::nullopt;
  }
  auto role = domain::parse_role(*text);
  if (!role) {
    f.errors().add("role", "must be one of " + domain::role_names());
  }
  return role;
}

}  // namespace

void Api::Impl::add_account_routes() {
  add("GET", "/api/v1/me",
      [](const Request&, const Target&, const Params&, const Actor& actor) -> Outcome {
        return json_response(
            200, {{"user_id", actor.user_id ? json(*actor.user_id) : json(nullptr)},
                  {"login", actor.name},
                  {"role", actor.role ? json(domain::to_string(*actor.role)) : json(nullptr)},
                  {"unit_id", actor.unit_id ? json(*actor.unit_id) : json(nullptr)}});
      });

  add("POST", "/api/v1/users",
      [this](const Request& req, const Target&, const Params&, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kNewUserFields, kUserReadOnly, errors);
        service::NewUser u;
        u.login = f.string("login", true).value_or("");
        u.display_name = f.string("display_name", true).value_or("");
        u.email = f.string("email").value_or("");
        u.role = read_role(f, true).value_or(domain::Role::unit);
        u.unit_id = f.nullable_integer("unit_id", 1, kMaxId).value_or(std::nullopt);
        errors.throw_if_any();
        return deferred(accounts_.plan_create_user(actor, std::move(u)), actor, req,
                        [this](const domain::User& created_user) {
                          return created("/api/v1/users/" + std::to_string(created_user.id),
                                         codec_.user(created_user));
                        });
      });
  add("GET", "/api/v1/users",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        domain::FieldErrors errors;
        QueryParams q(t.query, {"role", "unit_id", "active", "limit", "cursor"}, errors);
        service::UserListRequest r;
        if (auto v = q.string("role")) {
          r.role = domain::parse_role(*v);
          if (!r.role) {
            errors.add("role", "must be one of " + domain::role_names());
          }
        }
        r.unit_id = q.integer("unit_id", 1, kMaxId);
        r.active = q.boolean("active");
        if (auto l = q.integer("limit", 1, INT32_MAX)) {
          r.limit = static_cast<int>(*l);
        }
        r.cursor = q.string("cursor");
        errors.throw_if_any();
        auto page = accounts_.list_users(actor, r);
        return json_response(
            200, page_json(items_json(page.items, [this](const auto& u) { return codec_.user(u); }),
                           page.total, page.next));
      });
  add("GET", "/api/v1/leaders",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        domain::FieldErrors errors;
        QueryParams q(t.query, {}, errors);
        errors.throw_if_any();
        return json_response(
            200, {{"items", items_json(accounts_.leaders(actor),
                                       [this](const auto& u) { return codec_.leader(u); })}});
      });
  add("GET", "/api/v1/users/{id}",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        return json_response(200, codec_.user(accounts_.get_user(actor, p[0])));
      });
  add("PATCH", "/api/v1/users/{id}",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kUserPatchFields, kUserPatchReadOnly, errors);
        service::UserPatch patch;
        patch.display_name = f.string("display_name");
        patch.email = f.string("email");
        patch.role = read_role(f, false);
        patch.unit_id = f.nullable_integer("unit_id", 1, kMaxId);
        patch.active = f.boolean("active");
        errors.throw_if_any();
        return deferred(
            accounts_.plan_update_user(actor, p[0], std::move(patch)), actor, req,
            [this](const domain::User& u) { return json_response(200, codec_.user(u)); });
      });

  add("POST", "/api/v1/users/{id}/tokens",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, true);
        domain::FieldErrors errors;
        JsonFields f(body, kNewTokenFields, kTokenReadOnly, errors);
        service::NewToken in;
        in.label = f.string("label").value_or("");
        if (auto d = f.integer("expires_in_days", 1, 3650)) {
          in.expires_in_days = static_cast<int>(*d);
        }
        errors.throw_if_any();
        return deferred(accounts_.plan_issue_token(actor, p[0], std::move(in)), actor, req,
                        [this](const service::IssuedToken& issued) {
                          json body = codec_.token(issued.token);
                          body["token"] = issued.secret;  // shown this once, stored nowhere
                          Response r = created(
                              "/api/v1/users/" + std::to_string(issued.token.user_id) + "/tokens",
                              body);
                          r.set_header("Cache-Control", "no-store");
                          return r;
                        });
      });
  add("GET", "/api/v1/users/{id}/tokens",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        auto tokens = accounts_.list_tokens(actor, p[0]);
        return json_response(
            200, page_json(items_json(tokens, [this](const auto& t) { return codec_.token(t); }),
                           static_cast<std::int64_t>(tokens.size()), std::nullopt));
      });
  add("POST", "/api/v1/tokens/{id}/revoke",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, true);
        domain::FieldErrors errors;
        JsonFields f(body, kNoFields, kNoFields, errors);
        errors.throw_if_any();
        return deferred(
            accounts_.plan_revoke_token(actor, p[0]), actor, req,
            [this](const domain::ApiToken& t) { return json_response(200, codec_.token(t)); });
      });

  add("GET", "/api/v1/audit",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        domain::FieldErrors errors;
        QueryParams q(t.query,
                      {"actor", "action", "target", "outcome", "from", "to", "limit", "cursor"},
                      errors);
        service::AuditListRequest r;
        r.actor = q.string("actor");
        r.action = q.string("action");
        r.target = q.string("target");
        r.outcome = q.string("outcome");
        r.from = q.date("from");
        r.to = q.date("to");
        if (auto l = q.integer("limit", 1, INT32_MAX)) {
          r.limit = static_cast<int>(*l);
        }
        r.cursor = q.string("cursor");
        errors.throw_if_any();
        auto page = audit_.list(actor, r);
        return json_response(
            200,
            page_json(items_json(page.items, [this](const auto& a) { return codec_.audit(a); }),
                      page.total, page.next));
      });
}

}  // namespace dondoc::http
