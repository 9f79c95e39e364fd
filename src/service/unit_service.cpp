#include <algorithm>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/service/text.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

std::string unit_search_text(const Unit& u) {
  return fold_for_search(u.code + " " + u.name);
}

void normalize(Unit& u) {
  u.code = trim(u.code);
  u.name = trim(normalize_nfc(u.name, "name"));
  for (std::size_t i = 0; i < u.emails.size(); ++i) {
    u.emails[i] = trim(normalize_nfc(u.emails[i], "emails[" + std::to_string(i) + "]"));
  }
}

void check_code_free(storage::WriteTx& tx, const Unit& u) {
  if (auto other = tx.find_unit_by_code(u.code); other && other->id != u.id) {
    throw domain::Conflict("unit code '" + u.code + "' is already used by unit " +
                           std::to_string(other->id) + " (" + other->name + ")");
  }
}

}  // namespace

Unit UnitService::create(const Actor& actor, NewUnit input) {
  return run(ctx_.store, plan_create(actor, std::move(input)));
}

WritePlan<Unit> UnitService::plan_create(const Actor& actor, NewUnit input) {
  require(actor, Operation::unit_write);
  auto u = std::make_shared<Unit>();
  u->code = std::move(input.code);
  u->name = std::move(input.name);
  u->kind = input.kind;
  u->emails = std::move(input.emails);
  normalize(*u);
  domain::validate_unit(*u);
  u->created_at = u->updated_at = ctx_.clock.now();
  return {[this, actor, u](storage::WriteTx& tx) {
            check_code_free(tx, *u);
            u->id = tx.insert_unit(*u, unit_search_text(*u));
            ctx_.audit(tx, actor, "unit.create", "unit/" + std::to_string(u->id), u->code);
          },
          [u] { return *u; }};
}

Unit UnitService::update(const Actor& actor, UnitId id, UnitPatch patch) {
  return run(ctx_.store, plan_update(actor, id, std::move(patch)));
}

WritePlan<Unit> UnitService::plan_update(const Actor& actor, UnitId id, UnitPatch patch) {
  require(actor, Operation::unit_write);
  auto result = std::make_shared<Unit>();
  return {[this, actor, id, patch = std::move(patch), result](storage::WriteTx& tx) {
            auto u = tx.find_unit(id);
            if (!u) {
              throw domain::NotFound("unit " + std::to_string(id) + " does not exist");
            }
            apply_if(patch.code, u->code);
            apply_if(patch.name, u->name);
            apply_if(patch.kind, u->kind);
            apply_if(patch.emails, u->emails);
            apply_if(patch.active, u->active);
            apply_if(patch.successor_id, u->successor_id);
            normalize(*u);
            domain::validate_unit(*u);
            if (u->successor_id) {
              auto successor = tx.find_unit(*u->successor_id);
              if (!successor) {
                throw domain::ValidationError(
                    "successor_id", "unit " + std::to_string(*u->successor_id) + " does not exist");
              }
              if (!successor->active) {
                throw domain::ValidationError("successor_id",
                                              "unit " + std::to_string(successor->id) + " (" +
                                                  successor->name + ") is inactive");
              }
            }
            check_code_free(tx, *u);
            u->updated_at = ctx_.clock.now();
            tx.update_unit(*u, unit_search_text(*u));
            ctx_.audit(tx, actor, "unit.update", "unit/" + std::to_string(id), u->code);
            *result = *u;
          },
          [result] { return *result; }};
}

Unit UnitService::get(const Actor& actor, UnitId id) {
  require(actor, Operation::unit_read);
  std::optional<Unit> u;
  ctx_.store.read([&](storage::ReadTx& tx) { u = tx.find_unit(id); });
  if (!u) {
    throw domain::NotFound("unit " + std::to_string(id) + " does not exist");
  }
  return *u;
}

storage::PageResult<Unit> UnitService::list(const Actor& actor, const UnitListRequest& r) {
  require(actor, Operation::unit_read);
  storage::UnitQuery q;
  q.active = r.active;
  q.kind = r.kind;
  q.search_terms = search_terms(r.q);
  q.limit = page_limit(ctx_, r.limit);
  q.cursor = r.cursor;
  storage::PageResult<Unit> page;
  ctx_.store.read([&](storage::ReadTx& tx) { page = tx.list_units(q); });
  return page;
}

}  // namespace dondoc::service
