// Periodic series (nhiệm vụ định kỳ): started by the Office with a rule and the pattern of its
// tasks; each deadline becomes an ordinary task, made `series_horizon_days` before it is
// assigned by `make_due_tasks` (the reminder loop calls it), with its own reminders and place in
// the reports. A series changes from one of its tasks on (earlier tasks keep their history) or
// stops.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/recurrence.hpp"
#include "dondoc/service/tasks.hpp"

namespace dondoc::service {

struct NewSeries {
  // The pattern: title, source document, units, leader in charge, priority, key. Its
  // assigned_on and deadline are not used: the rule gives each task's.
  NewTask pattern;
  domain::RecurrenceRule rule;                   // rule.starts_on: see starts_on
  std::optional<Date> starts_on = std::nullopt;  // default: today
};

// A change of a series from one of its tasks on. Pattern fields given apply to the series and to
// that task and the later ones not yet done or cancelled; a new rule (whole) replaces the old one
// from that task's period on and moves those tasks' deadlines.
struct SeriesChange {
  // The first task the change applies to; required once the series has made a task.
  std::optional<TaskId> from_task_id;
  TaskPatch pattern;  // due_on and assigned_on are the rule's, not given here
  std::optional<domain::RecurrenceRule> rule = std::nullopt;
  std::optional<Date> starts_on = std::nullopt;  // of the new rule; default: the from task's period
  std::string note;                              // why; required
  std::string decision_ref;  // required when the deadline of a task already assigned moves
};

struct SeriesView {
  domain::TaskSeries series;
  std::vector<TaskView> tasks;               // made so far, by index (get only)
  std::vector<domain::Occurrence> upcoming;  // the next deadlines not yet made
};

struct SeriesListRequest {
  std::optional<domain::SeriesState> state;
  std::optional<UnitId> unit_id;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

struct SeriesPage {
  std::vector<SeriesView> items;
  std::int64_t total = 0;
  std::optional<std::string> next;
};

// What one pass of `make_due_tasks` did.
struct SeriesPass {
  int series = 0;                // series looked at
  int tasks = 0;                 // tasks made
  int failed = 0;                // series that failed (logged; tried again later)
  std::optional<Date> next_day;  // the next day a series must make a task
};

class SeriesService {
 public:
  explicit SeriesService(const ServiceContext& ctx) : ctx_(ctx), tasks_(ctx) {}

  WritePlan<SeriesView> plan_create(const Actor& actor, NewSeries input);
  WritePlan<SeriesView> plan_change(const Actor& actor, domain::SeriesId id, SeriesChange change,
                                    std::optional<std::int64_t> expected_version);
  WritePlan<SeriesView> plan_stop(const Actor& actor, domain::SeriesId id, std::string note,
                                  std::optional<std::int64_t> expected_version);
  SeriesView create(const Actor& actor, NewSeries input);
  SeriesView change(const Actor& actor, domain::SeriesId id, SeriesChange change,
                    std::optional<std::int64_t> expected_version);
  SeriesView stop(const Actor& actor, domain::SeriesId id, std::string note,
                  std::optional<std::int64_t> expected_version);
  SeriesView get(const Actor& actor, domain::SeriesId id);
  SeriesPage list(const Actor& actor, const SeriesListRequest& request);
  // Makes every task whose day has come, each series in a transaction of its own (a failing
  // series is logged and tried again the next day, the others go on).
  SeriesPass make_due_tasks();

 private:
  // Makes the series' tasks due by today, inside `tx`; returns how many.
  int make_tasks(storage::WriteTx& tx, domain::TaskSeries& series, const Actor& actor) const;
  SeriesView view(storage::ReadTx& tx, const domain::TaskSeries& series, bool with_tasks) const;

  const ServiceContext& ctx_;
  TaskService tasks_;
};

}  // namespace dondoc::service
