#include "dondoc/domain/scorecard.hpp"

#include <algorithm>
#include <tuple>

namespace dondoc::domain {

std::optional<double> ScoreLine::on_time_rate() const {
  if (due.due == 0) {
    return std::nullopt;
  }
  return static_cast<double>(due.done_on_time) / static_cast<double>(due.due);
}

std::vector<ScoreLine> score_units(const std::map<UnitId, SummaryLine>& by_unit,
                                   const std::map<UnitId, ExtensionCounts>& extensions) {
  std::map<UnitId, ScoreLine> lines;
  for (const auto& [id, line] : by_unit) {
    if (line.due_in_period.due > 0) {
      lines[id].due = line.due_in_period;
    }
  }
  for (const auto& [id, c] : extensions) {
    if (c.requested > 0) {
      lines[id].extensions_requested = c.requested;
      lines[id].extensions_approved = c.approved;
    }
  }
  std::vector<ScoreLine> out;
  for (auto& [id, line] : lines) {
    line.unit_id = id;
    out.push_back(line);
  }
  // Compared as whole numbers (done on time × other's due), so that equal rates are equal.
  auto better = [](const ScoreLine& a, const ScoreLine& b) {
    if ((a.due.due == 0) != (b.due.due == 0)) {
      return b.due.due == 0;
    }
    const auto lhs = a.due.done_on_time * b.due.due;
    const auto rhs = b.due.done_on_time * a.due.due;
    return std::tie(rhs, b.due.due, a.unit_id) < std::tie(lhs, a.due.due, b.unit_id);
  };
  std::sort(out.begin(), out.end(), better);
  for (std::size_t i = 0; i < out.size() && out[i].due.due > 0; ++i) {
    const bool tied = i > 0 && out[i].due.done_on_time * out[i - 1].due.due ==
                                   out[i - 1].due.done_on_time * out[i].due.due;
    out[i].rank = tied ? out[i - 1].rank : static_cast<int>(i + 1);
  }
  return out;
}

}  // namespace dondoc::domain
