#include <algorithm>
#include <set>

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

// Appends an entry to the unit's history, in the write that made the change.
void record(storage::WriteTx& tx, const Actor& actor, UnitId unit, domain::Instant at,
            domain::UnitEventKind kind, std::vector<domain::FieldChange> changes,
            std::string note = "") {
  domain::UnitEvent e;
  e.unit_id = unit;
  e.at = at;
  e.actor = actor.name;
  e.kind = kind;
  e.note = std::move(note);
  e.changes = std::move(changes);
  tx.append_unit_event(e);
}

// A new unit's fields, as set from nothing.
std::vector<domain::FieldChange> fields_of(const Unit& u) {
  auto changes = domain::diff(Unit{}, u);
  for (auto& c : changes) {
    c.from.reset();
  }
  return changes;
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
  u->leader_id = input.leader_id;
  normalize(*u);
  domain::validate_unit(*u);
  u->created_at = u->updated_at = ctx_.clock.now();
  return {[this, actor, u](storage::WriteTx& tx) {
            check_code_free(tx, *u);
            check_leader(tx, u->leader_id);
            u->id = tx.insert_unit(*u, unit_search_text(*u));
            record(tx, actor, u->id, u->created_at, domain::UnitEventKind::created, fields_of(*u));
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
  const std::string note = trim(normalize_nfc(patch.note, "note"));
  return {[this, actor, id, patch = std::move(patch), note, result](storage::WriteTx& tx) {
            auto u = tx.find_unit(id);
            if (!u) {
              throw domain::NotFound("unit " + std::to_string(id) + " does not exist");
            }
            const Unit before = *u;
            apply_if(patch.code, u->code);
            apply_if(patch.name, u->name);
            apply_if(patch.kind, u->kind);
            apply_if(patch.emails, u->emails);
            apply_if(patch.active, u->active);
            apply_if(patch.successor_id, u->successor_id);
            apply_if(patch.leader_id, u->leader_id);
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
            if (u->leader_id != before.leader_id) {
              check_leader(tx, u->leader_id);
            }
            u->updated_at = ctx_.clock.now();
            tx.update_unit(*u, unit_search_text(*u));
            if (auto changes = domain::diff(before, *u); !changes.empty()) {
              record(tx, actor, u->id, u->updated_at, domain::UnitEventKind::updated,
                     std::move(changes), note);
            }
            ctx_.audit(tx, actor, "unit.update", "unit/" + std::to_string(id), u->code);
            *result = *u;
          },
          [result] { return *result; }};
}

MergeResult UnitService::merge(const Actor& actor, MergeUnits input) {
  return run(ctx_.store, plan_merge(actor, std::move(input)));
}

WritePlan<MergeResult> UnitService::plan_merge(const Actor& actor, MergeUnits in) {
  require(actor, Operation::unit_merge);
  domain::FieldErrors errors;
  if (in.unit_ids.empty()) {
    errors.add("unit_ids", "is required: the units merged away");
  }
  for (std::size_t i = 0; i < in.unit_ids.size(); ++i) {
    if (std::count(in.unit_ids.begin(), in.unit_ids.end(), in.unit_ids[i]) > 1) {
      errors.add("unit_ids", "unit " + std::to_string(in.unit_ids[i]) + " is listed twice");
      break;
    }
  }
  if (in.into.has_value() == in.new_unit.has_value()) {
    errors.add("into", "give either into (an existing unit) or new_unit (one to create)");
  }
  if (in.into && std::count(in.unit_ids.begin(), in.unit_ids.end(), *in.into)) {
    errors.add("into", "unit " + std::to_string(*in.into) + " cannot be merged into itself");
  }
  const Date today = ctx_.today();
  const Date effective = in.effective_on.value_or(today);
  if (today < effective) {
    errors.add("effective_on", "is after today (" + today.to_string() +
                                   "); record a merge on the day it takes effect or later");
  }
  errors.throw_if_any();
  std::shared_ptr<Unit> created;
  if (in.new_unit) {
    created = std::make_shared<Unit>();
    created->code = in.new_unit->code;
    created->name = in.new_unit->name;
    created->kind = in.new_unit->kind;
    created->emails = in.new_unit->emails;
    normalize(*created);
    domain::validate_unit(*created);
  }
  auto result = std::make_shared<MergeResult>();
  return {[this, actor, in = std::move(in), created, effective, result](storage::WriteTx& tx) {
            const auto now = ctx_.clock.now();
            Unit successor;
            if (created) {
              check_code_free(tx, *created);
              created->created_at = created->updated_at = now;
              created->id = tx.insert_unit(*created, unit_search_text(*created));
              record(tx, actor, created->id, now, domain::UnitEventKind::created,
                     fields_of(*created), in.note);
              ctx_.audit(tx, actor, "unit.create", "unit/" + std::to_string(created->id),
                         created->code);
              successor = *created;
            } else {
              auto found = tx.find_unit(*in.into);
              if (!found) {
                throw domain::ValidationError(
                    "into", "unit " + std::to_string(*in.into) + " does not exist");
              }
              if (!found->active) {
                throw domain::ValidationError("into", "unit " + std::to_string(found->id) + " (" +
                                                          found->name + ") is inactive");
              }
              successor = *found;
            }
            std::vector<Unit> merged;
            for (UnitId id : in.unit_ids) {
              auto u = tx.find_unit(id);
              if (!u) {
                throw domain::ValidationError("unit_ids",
                                              "unit " + std::to_string(id) + " does not exist");
              }
              if (!u->active) {
                throw domain::Conflict("unit " + std::to_string(id) + " (" + u->name +
                                       ") is inactive already");
              }
              merged.push_back(*u);
            }
            const std::string note = "Hợp nhất vào " + successor.name + " từ ngày " +
                                     effective.to_string() +
                                     (in.note.empty() ? "" : " (" + in.note + ")");
            std::set<domain::TaskId> tasks;
            for (const auto& u : merged) {
              for (auto id : tx.unfinished_tasks_of_unit(u.id)) {
                tasks.insert(id);
              }
            }
            std::vector<Task> moved;
            for (auto id : tasks) {
              auto t = *tx.find_task(id);
              const Task before = t;
              if (!domain::transfer_units(t, in.unit_ids, successor.id)) {
                continue;
              }
              t.version += 1;
              t.updated_at = now;
              tx.update_task(t, task_search_text(t));
              domain::TaskEvent e;
              e.task_id = id;
              e.at = now;
              e.actor = actor.name;
              e.kind = domain::EventKind::units_merged;
              e.effective_on = std::max(ctx_.today(), t.assigned_on);
              e.note = note;
              e.changes = domain::diff(before, t);
              tx.append_event(e);
              ++result->tasks_moved;
              moved.push_back(t);
            }
            // The series' patterns too, so that their next tasks go to the successor.
            int series_moved = 0;
            std::set<domain::SeriesId> series_seen;
            for (const auto& u : merged) {
              storage::SeriesQuery q;
              q.state = domain::SeriesState::active;
              q.unit_id = u.id;
              q.limit = 500;
              for (;;) {
                auto page = tx.list_series(q);
                for (auto& s : page.items) {
                  if (!series_seen.insert(s.id).second ||
                      !domain::transfer_units(s.pattern, in.unit_ids, successor.id)) {
                    continue;
                  }
                  s.version += 1;
                  s.updated_at = now;
                  tx.update_series(s);
                  ++series_moved;
                }
                if (!page.next) {
                  break;
                }
                q.cursor = page.next;
              }
            }
            std::string names;
            for (auto& u : merged) {
              const Unit before = u;
              u.active = false;
              u.successor_id = successor.id;
              u.updated_at = now;
              tx.update_unit(u, unit_search_text(u));
              record(tx, actor, u.id, now, domain::UnitEventKind::merged, domain::diff(before, u),
                     note);
              names += (names.empty() ? "" : ", ") + u.name;
            }
            // Once the units are marked merged, so that the notices go to the successor.
            for (const auto& t : moved) {
              close_lapsed_extension(ctx_, tx, actor, t, ctx_.today());
            }
            record(tx, actor, successor.id, now, domain::UnitEventKind::absorbed, {},
                   "Tiếp nhận " + names + " từ ngày " + effective.to_string() +
                       (in.note.empty() ? "" : " (" + in.note + ")"));
            std::string codes;
            for (const auto& u : merged) {
              codes += (codes.empty() ? "" : ", ") + u.code;
            }
            ctx_.audit(tx, actor, "unit.merge", "unit/" + std::to_string(successor.id),
                       codes + " -> " + successor.code + " on " + effective.to_string() + "; " +
                           std::to_string(result->tasks_moved) + " tasks moved, " +
                           std::to_string(series_moved) + " periodic series");
            result->successor = successor;
            result->merged = std::move(merged);
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

std::vector<domain::UnitEvent> UnitService::history(const Actor& actor, UnitId id) {
  require(actor, Operation::unit_read);
  std::vector<domain::UnitEvent> events;
  bool found = false;
  ctx_.store.read([&](storage::ReadTx& tx) {
    found = tx.find_unit(id).has_value();
    events = tx.unit_history(id);
  });
  if (!found) {
    throw domain::NotFound("unit " + std::to_string(id) + " does not exist");
  }
  return events;
}

storage::PageResult<Unit> UnitService::list(const Actor& actor, const UnitListRequest& r) {
  require(actor, Operation::unit_read);
  storage::UnitQuery q;
  q.active = r.active;
  q.kind = r.kind;
  q.search_terms = search_terms_of(r.q, "q");
  q.limit = page_limit(ctx_, r.limit);
  q.cursor = r.cursor;
  storage::PageResult<Unit> page;
  ctx_.store.read([&](storage::ReadTx& tx) { page = tx.list_units(q); });
  return page;
}

}  // namespace dondoc::service
