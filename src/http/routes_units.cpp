// Units: registering, reading, listing, editing, history, and reorganisations (merges).
#include "api_impl.hpp"

namespace dondoc::http {

namespace {

const std::set<std::string> kNewUnitFields = {"code", "name", "kind", "emails", "leader_id"};
const std::set<std::string> kNewUnitReadOnly = {"id", "active", "successor_id", "created_at",
                                                "updated_at"};

service::NewUnit read_new_unit(JsonFields& f) {
  service::NewUnit u;
  u.code = f.string("code", true).value_or("");
  u.name = f.string("name", true).value_or("");
  if (auto k = f.string("kind", true)) {
    auto kind = domain::parse_unit_kind(*k);
    if (!kind) {
      f.errors().add(f.path("kind"), "must be one of " + domain::unit_kind_names());
    }
    u.kind = kind.value_or(domain::UnitKind::other);
  }
  u.emails = f.string_array("emails").value_or(std::vector<std::string>{});
  u.leader_id = f.nullable_integer("leader_id", 1, kMaxId).value_or(std::nullopt);
  return u;
}

const std::set<std::string> kMergeFields = {"unit_ids", "into", "new_unit", "effective_on", "note"};
const std::set<std::string> kUnitPatchFields = {"code",   "name",         "kind",      "emails",
                                                "active", "successor_id", "leader_id", "note"};
const std::set<std::string> kUnitReadOnly = {"id", "created_at", "updated_at"};

}  // namespace

void Api::Impl::add_unit_routes() {
  // ---- units ----
  add("GET", "/api/v1/units",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        domain::FieldErrors errors;
        QueryParams q(t.query, {"active", "kind", "q", "limit", "cursor"}, errors);
        service::UnitListRequest r;
        r.active = q.boolean("active");
        if (auto k = q.string("kind")) {
          r.kind = domain::parse_unit_kind(*k);
          if (!r.kind) {
            errors.add("kind", "must be one of " + domain::unit_kind_names());
          }
        }
        r.q = q.string("q").value_or("");
        if (auto l = q.integer("limit", 1, INT32_MAX)) {
          r.limit = static_cast<int>(*l);
        }
        r.cursor = q.string("cursor");
        errors.throw_if_any();
        auto page = units_.list(actor, r);
        json items = json::array();
        for (const auto& u : page.items) {
          items.push_back(codec_.unit(u));
        }
        return json_response(200, page_json(std::move(items), page.total, page.next));
      });
  add("POST", "/api/v1/units",
      [this](const Request& req, const Target&, const Params&, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kNewUnitFields, kNewUnitReadOnly, errors);
        service::NewUnit u = read_new_unit(f);
        errors.throw_if_any();
        return deferred(units_.plan_create(actor, std::move(u)), actor, req,
                        [this](const domain::Unit& created) {
                          Response r = json_response(201, codec_.unit(created));
                          r.set_header("Location", "/api/v1/units/" + std::to_string(created.id));
                          return r;
                        });
      });
  add("POST", "/api/v1/units/merge",
      [this](const Request& req, const Target&, const Params&, const Actor& actor) -> Outcome {
        service::require(actor, service::Operation::unit_merge);
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kMergeFields, kNoFields, errors);
        service::MergeUnits m;
        m.unit_ids = f.id_array("unit_ids").value_or(std::vector<std::int64_t>{});
        m.into = f.integer("into", 1, kMaxId);
        if (const nlohmann::json* nu = f.object("new_unit")) {
          JsonFields nf(*nu, kNewUnitFields, kNewUnitReadOnly, errors, "new_unit.");
          m.new_unit = read_new_unit(nf);
        }
        m.effective_on = f.date("effective_on");
        m.note = f.string("note").value_or("");
        errors.throw_if_any();
        return deferred(units_.plan_merge(actor, std::move(m)), actor, req,
                        [this](const service::MergeResult& r) {
                          json merged = json::array();
                          for (const auto& u : r.merged) {
                            merged.push_back(codec_.unit(u));
                          }
                          return json_response(200, {{"successor", codec_.unit(r.successor)},
                                                     {"merged", std::move(merged)},
                                                     {"tasks_moved", r.tasks_moved}});
                        });
      });
  add("GET", "/api/v1/units/{id}",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        return json_response(200, codec_.unit(units_.get(actor, p[0])));
      });
  add("PATCH", "/api/v1/units/{id}",
      [this](const Request& req, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const nlohmann::json body = parse_body(req.body, false);
        domain::FieldErrors errors;
        JsonFields f(body, kUnitPatchFields, kUnitReadOnly, errors);
        service::UnitPatch patch;
        patch.code = f.string("code");
        patch.name = f.string("name");
        if (auto k = f.string("kind")) {
          patch.kind = domain::parse_unit_kind(*k);
          if (!patch.kind) {
            errors.add("kind", "must be one of " + domain::unit_kind_names());
          }
        }
        patch.emails = f.string_array("emails");
        patch.active = f.boolean("active");
        if (auto s = f.nullable_integer("successor_id", 1, kMaxId)) {
          patch.successor_id = *s;
        }
        if (auto l = f.nullable_integer("leader_id", 1, kMaxId)) {
          patch.leader_id = *l;
        }
        patch.note = f.string("note").value_or("");
        errors.throw_if_any();
        return deferred(
            units_.plan_update(actor, p[0], std::move(patch)), actor, req,
            [this](const domain::Unit& u) { return json_response(200, codec_.unit(u)); });
      });
  add("GET", "/api/v1/units/{id}/history",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        return json_response(
            200, {{"items", items_json(units_.history(actor, p[0]),
                                       [this](const auto& e) { return codec_.unit_event(e); })}});
      });
}

}  // namespace dondoc::http
