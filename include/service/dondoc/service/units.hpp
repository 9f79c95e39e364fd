// Units (departments, agencies, communes and wards): registering and changing them, and
// reorganisations that merge them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dondoc/service/context.hpp"

namespace dondoc::service {

struct NewUnit {
  std::string code;
  std::string name;
  domain::UnitKind kind = domain::UnitKind::department;
  std::vector<std::string> emails;
  std::optional<std::int64_t> leader_id = std::nullopt;  // the leader in charge of its field
};

struct UnitPatch {
  std::optional<std::string> code;
  std::optional<std::string> name;
  std::optional<domain::UnitKind> kind;
  std::optional<std::vector<std::string>> emails;
  std::optional<bool> active;
  std::optional<std::optional<UnitId>> successor_id;     // engaged nullopt clears it
  std::optional<std::optional<std::int64_t>> leader_id;  // engaged nullopt clears it
  std::string note;  // why, e.g. the decision that renamed it; kept in the unit's history
};

struct UnitListRequest {
  std::optional<bool> active;
  std::optional<domain::UnitKind> kind;
  std::string q;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

// A reorganisation (docs/design.md, "The domain"): units merged into an existing unit or a new one.
struct MergeUnits {
  std::vector<UnitId> unit_ids;      // merged away
  std::optional<UnitId> into;        // an existing successor ...
  std::optional<NewUnit> new_unit;   // ... or one created for it
  std::optional<Date> effective_on;  // default today; recorded with the transfers
  std::string note;                  // e.g. the decision, "Nghị quyết 1234/NQ-UBTVQH15"
};

struct MergeResult {
  Unit successor;
  std::vector<Unit> merged;
  int tasks_moved = 0;
};

class UnitService {
 public:
  explicit UnitService(const ServiceContext& ctx) : ctx_(ctx) {}
  Unit create(const Actor& actor, NewUnit input);
  Unit update(const Actor& actor, UnitId id, UnitPatch patch);
  WritePlan<Unit> plan_create(const Actor& actor, NewUnit input);
  WritePlan<Unit> plan_update(const Actor& actor, UnitId id, UnitPatch patch);
  // Moves the unfinished tasks of the merged units to the successor (each move in the task's
  // history) and marks the merged units inactive with their successor, in one transaction.
  MergeResult merge(const Actor& actor, MergeUnits input);
  WritePlan<MergeResult> plan_merge(const Actor& actor, MergeUnits input);
  Unit get(const Actor& actor, UnitId id);
  // Its renames, mergers and other changes, oldest first.
  std::vector<domain::UnitEvent> history(const Actor& actor, UnitId id);
  storage::PageResult<Unit> list(const Actor& actor, const UnitListRequest& request);

 private:
  const ServiceContext& ctx_;
};

}  // namespace dondoc::service
