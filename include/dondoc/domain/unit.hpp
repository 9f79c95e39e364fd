// Units: the departments, agencies, communes and wards that carry tasks out (design §1–2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/domain/date.hpp"

namespace dondoc::domain {

using UnitId = std::int64_t;

// A unit has a kind, not a fixed place in a hierarchy (districts were abolished in 2025).
enum class UnitKind { department, agency, commune, ward, other };

std::string_view to_string(UnitKind kind);
std::optional<UnitKind> parse_unit_kind(std::string_view text);

struct Unit {
  UnitId id = 0;
  std::string code;  // short stable code, e.g. "SXD"
  std::string name;  // "Sở Xây dựng"
  UnitKind kind = UnitKind::department;
  std::vector<std::string> emails;
  bool active = true;
  std::optional<UnitId> successor_id;  // set when merged into another unit
  Instant created_at{};
  Instant updated_at{};
};

// Every problem with a unit's own fields (lengths, code shape, email shape).
void validate_unit(const Unit& unit);

}  // namespace dondoc::domain
