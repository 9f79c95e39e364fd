#include "dondoc/domain/scorecard.hpp"

#include <gtest/gtest.h>

using namespace dondoc::domain;

namespace {

SummaryLine due(std::int64_t n, std::int64_t on_time, std::int64_t late, std::int64_t overdue) {
  SummaryLine l;
  l.due_in_period = {n, on_time, late, overdue};
  return l;
}

}  // namespace

// Best rate on time first; equal rates share a rank and the next rank skips (1, 2, 2, 4); among
// equals the unit with more tasks due comes first; a unit that only asked for extensions is listed
// last, unranked.
TEST(Scorecard, UnitsAreRankedByTheirRateOnTime) {
  const std::map<UnitId, SummaryLine> by_unit = {
      {1, due(10, 5, 3, 2)},  // 50 %
      {2, due(4, 4, 0, 0)},   // 100 %
      {3, due(2, 1, 0, 1)},   // 50 %, fewer due than unit 1
      {4, due(3, 0, 1, 2)},   // 0 %
      {5, due(0, 0, 0, 0)},   // nothing due, no requests: not listed
  };
  std::map<UnitId, ExtensionCounts> extensions;
  extensions[1].requested = 3;
  extensions[1].approved = 2;
  extensions[6].requested = 1;  // asked, nothing due in the year
  const auto lines = score_units(by_unit, extensions);
  ASSERT_EQ(lines.size(), 5u);
  std::vector<std::pair<UnitId, int>> order;
  for (const auto& l : lines) {
    order.emplace_back(l.unit_id, l.rank);
  }
  EXPECT_EQ(order, (std::vector<std::pair<UnitId, int>>{{2, 1}, {1, 2}, {3, 2}, {4, 4}, {6, 0}}));
  EXPECT_EQ(lines[1].extensions_requested, 3);
  EXPECT_EQ(lines[1].extensions_approved, 2);
  EXPECT_DOUBLE_EQ(*lines[1].on_time_rate(), 0.5);
  EXPECT_FALSE(lines[4].on_time_rate());
}

TEST(Scorecard, TheYearsDueFigureLeavesCancelledTasksOut) {
  DueCounts d;
  for (Bucket b : {Bucket::done_on_time, Bucket::done_late, Bucket::open_overdue,
                   Bucket::open_on_time, Bucket::cancelled, Bucket::suspended}) {
    d.add(b);
  }
  EXPECT_EQ(d, (DueCounts{5, 1, 1, 1}));
  EXPECT_EQ(d.done(), 2);
  EXPECT_DOUBLE_EQ(*d.done_rate(), 0.4);
}
