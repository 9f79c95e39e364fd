// The monthly meeting report (docs/design.md, "Reports"): for a period and as of a date, the tasks
// carried over and the new ones, each counted into buckets that always add up, per lead unit and
// per assigner; and the extension requests. Pure: the rows come in, the counts come out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dondoc/domain/classify.hpp"
#include "dondoc/domain/extension.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

// Sets back every field that the events (a task's events from some instant on, oldest first)
// changed, so that the task is as it stood at that instant. Fields a report does not read are
// left as they are.
void rewind(Task& task, std::span<const TaskEvent> later_events);

enum class Bucket { done_on_time, done_late, open_on_time, open_overdue, suspended, cancelled };
Bucket bucket_of(Timeliness t);

struct BucketCounts {
  std::int64_t total = 0;
  std::int64_t done_on_time = 0;
  std::int64_t done_late = 0;
  std::int64_t open_on_time = 0;
  std::int64_t open_overdue = 0;
  std::int64_t suspended = 0;
  std::int64_t cancelled = 0;

  void add(Bucket b);
  BucketCounts& operator+=(const BucketCounts& o);
  // Done on time out of all done; none when nothing is done yet.
  std::optional<double> on_time_rate() const;
  bool adds_up() const;
  bool operator==(const BucketCounts&) const = default;
};

// The figure the Government's task system reports: of the tasks assigned by the period's end,
// those whose deadline falls in the period (a task done before the period began among them),
// how many were done (on time or late) and how many are overdue as of the report's date.
// Cancelled tasks are not due.
struct DueCounts {
  std::int64_t due = 0;
  std::int64_t done_on_time = 0;
  std::int64_t done_late = 0;
  std::int64_t overdue = 0;

  void add(Bucket b);
  DueCounts& operator+=(const DueCounts& o);
  std::int64_t done() const { return done_on_time + done_late; }
  // Done out of due; none when nothing fell due.
  std::optional<double> done_rate() const;
  bool operator==(const DueCounts&) const = default;
};

// One line of the report: the tasks carried over into the period and the new ones.
struct SummaryLine {
  BucketCounts carried_over;
  BucketCounts fresh;  // "new" in the API
  DueCounts due_in_period;
  BucketCounts total() const;
};

struct ExtensionCounts {
  std::int64_t requested = 0;
  std::int64_t approved = 0;
  std::int64_t rejected = 0;
  std::int64_t withdrawn = 0;
  std::int64_t closed = 0;  // closed themselves: the task moved on before a decision
  std::int64_t pending = 0;
  std::int64_t late = 0;  // filed later than the lead time allows (counted among the others too)
  bool operator==(const ExtensionCounts&) const = default;
};

struct ReportPeriod {
  Date from;
  Date to;
  Date as_of;
};

struct Summary {
  ReportPeriod period;
  SummaryLine all;
  std::map<UnitId, SummaryLine> by_lead_unit;
  std::map<std::string, SummaryLine> by_assigner;
  SummaryLine key_tasks;  // the key tasks (nhiệm vụ trọng tâm) among them, as they stood
  ExtensionCounts extensions;
  std::map<UnitId, ExtensionCounts> extensions_by_unit;
};

// Adds the counts of `part` (a summary of other tasks over the same period) to `into`.
void add_counts(Summary& into, const Summary& part);

// Counts tasks into a Summary. Each task comes as it stood at the end of `as_of` and as it stood
// when the period began (both rebuilt with rewind); `unit_of` maps a lead unit to the one the
// report groups it under (itself, or today's successor).
class SummaryBuilder {
 public:
  SummaryBuilder(const Classifier& classifier, ReportPeriod period);

  // `at_start`: the task at the start of `from`; only read for tasks assigned before it.
  void add_task(const Task& as_of, const Task& at_start, UnitId group_unit);
  // An extension request as it stood at the end of `as_of` (state pending if decided later).
  void add_extension(const ExtensionRequest& request, UnitId group_unit);

  const Summary& summary() const { return summary_; }

 private:
  const Classifier& classifier_;
  Summary summary_;
};

// Whether the task was finished (done, or cancelled) in the state given. A completion the unit
// reported and the Office has not confirmed is not yet finished, as classify() has it.
bool finished(const Task& task);

}  // namespace dondoc::domain
