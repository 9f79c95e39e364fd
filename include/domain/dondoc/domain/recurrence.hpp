// Periodic tasks (nhiệm vụ định kỳ): "báo cáo ... trước ngày 20 hàng tháng", quarterly,
// half-yearly and yearly reports, "ngày làm việc thứ 5 hàng tháng". A series names its rule and a
// pattern; each deadline the rule gives becomes an ordinary task (docs/design.md, "Periodic
// tasks").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/date.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

using SeriesId = std::int64_t;

// How often: the length of a period in months. Periods follow the calendar year: quarters start
// in January, April, July and October, half-years in January and July.
enum class Frequency { monthly, quarterly, half_yearly, yearly };
// Which day of the due month: a day of the month ("ngày 20"), or the n-th working day of the
// month ("ngày làm việc thứ 5").
enum class DayRule { day_of_month, working_day };
// A day of the month that falls on a day off: kept as it is, or moved to the working day before
// ("trước ngày 20": the report must be in by the Friday) or after it.
enum class DayOffRoll { keep, previous, next };
enum class SeriesState { active, stopped, finished };

std::string_view to_string(Frequency f);
std::optional<Frequency> parse_frequency(std::string_view text);
std::string frequency_names();
std::string_view to_string(DayRule r);
std::optional<DayRule> parse_day_rule(std::string_view text);
std::string day_rule_names();
std::string_view to_string(DayOffRoll r);
std::optional<DayOffRoll> parse_day_off_roll(std::string_view text);
std::string day_off_roll_names();
std::string_view to_string(SeriesState s);
std::optional<SeriesState> parse_series_state(std::string_view text);

int months_in_period(Frequency f);

constexpr int kMaxWorkingDayOfMonth = 23;
constexpr int kMaxSeriesCount = 1200;  // a hundred years of monthly reports

struct RecurrenceRule {
  Frequency frequency = Frequency::monthly;
  // The month of each period the deadline falls in: 1 to the period's length (3 for "the last
  // month of the quarter"); always 1 when monthly.
  int month_of_period = 1;
  DayRule day_rule = DayRule::day_of_month;
  // day_of_month: 1 to 31, the month's last day when it is shorter; working_day: 1 to 23, the
  // month's last working day when it has fewer.
  int day = 20;
  DayOffRoll on_day_off = DayOffRoll::keep;  // day_of_month only
  Date starts_on;                            // no deadline before it
  std::optional<Date> ends_on;               // no deadline after it
  std::optional<int> count;                  // at most this many deadlines in all

  bool operator==(const RecurrenceRule&) const = default;
};

// Every problem with a rule, with the API's field names under `prefix` ("rule.day").
void validate_rule(const RecurrenceRule& rule, const std::string& prefix = "rule.");

// One deadline of a series: the task for it is assigned at the start of its period (not before
// the series starts, nor after its deadline) and due on the day the rule gives.
struct Occurrence {
  Date assigned_on;
  Date due_on;
  bool operator==(const Occurrence&) const = default;
};

// The rule's deadlines after `after` (all when none), in order, up to `limit` of them, none past
// `ends_on`. The caller applies `count`, since it knows how many deadlines came before.
std::vector<Occurrence> occurrences(const RecurrenceRule& rule, const WorkingCalendar& calendar,
                                    std::optional<Date> after, std::size_t limit);

// A series: its rule, and the pattern each of its tasks copies (title, source document, units,
// leader in charge, priority, key; the pattern's dates, state and id are unused).
struct TaskSeries {
  SeriesId id = 0;
  Task pattern;
  RecurrenceRule rule;
  SeriesState state = SeriesState::active;
  int generated = 0;   // tasks made under the current rule (what its `count` is measured against)
  int last_index = 0;  // the index of the latest task made (Task::series_index), over all rules
  std::optional<Date> last_due_on;  // the deadline of the latest task made
  // The day the next task must be made (its assignment less the horizon); none once the series
  // has stopped or its rule has no more deadlines.
  std::optional<Date> next_generate_on;
  std::string stop_note;
  std::int64_t version = 1;
  Instant created_at{};
  Instant updated_at{};
};

// The rule's remaining deadlines for `series` after the tasks already made, at most `limit`,
// with `count` applied.
std::vector<Occurrence> upcoming(const TaskSeries& series, const WorkingCalendar& calendar,
                                 std::size_t limit);

}  // namespace dondoc::domain
