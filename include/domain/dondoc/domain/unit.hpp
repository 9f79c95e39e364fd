// Units: the departments, agencies, communes and wards that carry tasks out (docs/design.md, "The
// domain").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/domain/date.hpp"
#include "dondoc/domain/field_change.hpp"

namespace dondoc::domain {

using UnitId = std::int64_t;

// A unit has a kind, not a fixed place in a hierarchy (districts were abolished in 2025).
enum class UnitKind { department, agency, commune, ward, other };

std::string_view to_string(UnitKind kind);
std::optional<UnitKind> parse_unit_kind(std::string_view text);
std::string unit_kind_names();  // "department, agency, ..."

struct Unit {
  UnitId id = 0;
  std::string code;  // short stable code, e.g. "SXD"
  std::string name;  // "Sở Xây dựng"
  UnitKind kind = UnitKind::department;
  std::vector<std::string> emails;
  bool active = true;
  std::optional<UnitId> successor_id;  // set when merged into another unit
  // The leader in charge of the unit's field: the new tasks it leads follow this leader.
  std::optional<std::int64_t> leader_id;
  Instant created_at{};
  Instant updated_at{};
};

// Every problem with a unit's own fields (lengths, code shape, email shape).
void validate_unit(const Unit& unit);

// A unit's history (issue 5): a rename or a merger is recorded, so that a report as of a past
// date names a unit as it was then, and anyone can see what a unit used to be called.
enum class UnitEventKind {
  created,
  updated,   // its own fields changed: a rename, new addresses, deactivation
  merged,    // it was merged into its successor (inactive from then on)
  absorbed,  // other units were merged into it
};

std::string_view to_string(UnitEventKind kind);
std::optional<UnitEventKind> parse_unit_event_kind(std::string_view text);

struct UnitEvent {
  std::int64_t id = 0;
  UnitId unit_id = 0;
  Instant at{};
  std::string actor;
  UnitEventKind kind = UnitEventKind::created;
  std::string note;
  std::vector<FieldChange> changes;
};

// The field-by-field difference between two versions of a unit, in a stable order.
std::vector<FieldChange> diff(const Unit& before, const Unit& after);

// The name `unit` (as it is now) had before `later_events`, its events from some instant on:
// each rename among them undone, latest first.
std::string name_before(const Unit& unit, const std::vector<UnitEvent>& later_events);

}  // namespace dondoc::domain
