// Tasks: registering, editing, lifecycle actions, lists and history, each task seen with its
// timeliness as of today.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/classify.hpp"
#include "dondoc/domain/deadline.hpp"
#include "dondoc/service/context.hpp"

namespace dondoc::service {

struct NewTask {
  std::string title;
  std::string description;
  std::string source_ref;
  std::optional<Date> source_date;
  std::string source_title;
  std::string assigner;
  std::optional<Date> assigned_on;  // default: today
  UnitId lead_unit_id = 0;
  std::vector<UnitId> coordinating_unit_ids;
  domain::DeadlineSpec deadline;
  domain::Priority priority = domain::Priority::normal;
  // The leader in charge; none: the lead unit's leader in charge, if it has one.
  std::optional<std::int64_t> leader_id = std::nullopt;
  bool key_task = false;
  // Entered from a register's history (task_import.hpp): recorded, and nobody is told.
  bool quiet = false;
};

// Fields an edit may change; an engaged outer optional means "set", for nullable fields an
// engaged inner nullopt means "clear".
struct TaskPatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> source_ref;
  std::optional<std::optional<Date>> source_date;
  std::optional<std::string> source_title;
  std::optional<std::string> assigner;
  std::optional<Date> assigned_on;
  std::optional<UnitId> lead_unit_id;
  std::optional<std::vector<UnitId>> coordinating_unit_ids;
  std::optional<std::optional<Date>> due_on;
  std::optional<domain::Priority> priority;
  std::optional<std::optional<std::int64_t>> leader_id;
  std::optional<bool> key_task;
  std::string note;  // why, recorded in history; required when an existing deadline moves
  // The document that decided a move of an existing deadline ("45/TB-UBND"): required then,
  // refused otherwise.
  std::string decision_ref;
  // Set by the series service alone, for a task of a periodic series not yet assigned: its
  // dates are still a plan, so they move without a decision and the move is no extension.
  bool series_replan = false;
  // The date the change took effect (domain/effective.hpp); none: today.
  std::optional<Date> effective_on = std::nullopt;
};

// A task with its timeliness derived as of today.
struct TaskView {
  Task task;
  domain::Timeliness timeliness = domain::Timeliness::open_on_time;
  int days_overdue = 0;
};

// `mark_key` and `unmark_key` make a task a key task (nhiệm vụ trọng tâm) or an ordinary one: the
// Office or a leader decides which tasks the leaders follow most closely.
enum class TaskAction {
  report_completion,
  confirm,
  reopen,
  suspend,
  resume,
  cancel,
  note,
  mark_key,
  unmark_key
};

struct ActionInput {
  std::optional<Date> completed_on;
  std::optional<std::string> completion_ref;
  std::string reason;  // cancel
  std::string note;
  // The date the change took effect (domain/effective.hpp); none: the completion date for a
  // completion, otherwise today.
  std::optional<Date> effective_on = std::nullopt;
  bool quiet = false;  // entered from a register's history: recorded, and nobody is told
};

struct TaskListRequest {
  std::vector<domain::LifecycleState> states;
  std::optional<domain::Timeliness> timeliness;
  std::optional<UnitId> lead_unit_id;
  std::optional<UnitId> unit_id;
  std::optional<Date> assigned_from;
  std::optional<Date> assigned_to;
  std::optional<Date> due_from;
  std::optional<Date> due_to;
  std::optional<std::string> source_ref;
  std::optional<std::string> assigner;
  std::optional<domain::Priority> priority;
  std::optional<std::int64_t> leader_id;
  std::optional<bool> key_task;
  std::string q;
  std::string sort;  // "id", "due_on", "assigned_on", optionally prefixed with '-'
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

struct TaskPage {
  std::vector<TaskView> items;
  std::int64_t total = 0;
  std::optional<std::string> next;
};

class TaskService {
 public:
  explicit TaskService(const ServiceContext& ctx)
      : ctx_(ctx), classifier_(ctx.calendar, ctx.classify_policy) {}

  TaskView create(const Actor& actor, NewTask input);
  TaskView get(const Actor& actor, TaskId id);
  // `expected_version` from If-Match; nullopt skips the check.
  TaskView update(const Actor& actor, TaskId id, TaskPatch patch,
                  std::optional<std::int64_t> expected_version);
  TaskView act(const Actor& actor, TaskId id, TaskAction action, ActionInput input,
               std::optional<std::int64_t> expected_version);
  WritePlan<TaskView> plan_create(const Actor& actor, NewTask input);
  WritePlan<TaskView> plan_update(const Actor& actor, TaskId id, TaskPatch patch,
                                  std::optional<std::int64_t> expected_version);
  WritePlan<TaskView> plan_act(const Actor& actor, TaskId id, TaskAction action, ActionInput input,
                               std::optional<std::int64_t> expected_version);
  TaskPage list(const Actor& actor, const TaskListRequest& request);
  std::vector<domain::TaskEvent> history(const Actor& actor, TaskId id);

  TaskView view(const Task& task) const;

 private:
  const ServiceContext& ctx_;
  domain::Classifier classifier_;
};

}  // namespace dondoc::service
