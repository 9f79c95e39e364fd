// The yearly scorecard of the units (docs/design.md, "Reports"): for the year-end evaluation,
// each lead unit's tasks due in the year, done on time, done late and overdue, its extension
// requests asked and granted, its rate on time and its rank. Pure: counts in, ranked lines out.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "dondoc/domain/report.hpp"

namespace dondoc::domain {

struct ScoreLine {
  int rank = 0;  // 1 is best; units with equal rates share a rank; 0: nothing fell due
  UnitId unit_id = 0;
  DueCounts due;
  std::int64_t extensions_requested = 0;
  std::int64_t extensions_approved = 0;
  // Done on time out of all due; none when nothing fell due.
  std::optional<double> on_time_rate() const;
};

// The lines of every unit with tasks due or requests filed, best first: by rate on time, then by
// more tasks due, then by unit id; units with nothing due last, unranked. Ranks are shared by
// equal rates (1, 2, 2, 4).
std::vector<ScoreLine> score_units(const std::map<UnitId, SummaryLine>& by_unit,
                                   const std::map<UnitId, ExtensionCounts>& extensions);

}  // namespace dondoc::domain
