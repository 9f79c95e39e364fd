// Use cases (design §3): register and change units and tasks, run lifecycle actions, list and
// read history. Validation, normalization and transaction boundaries live here; callers (HTTP,
// CLI) only translate. Every write and its history event commit in one transaction.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/config/config.hpp"
#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/classify.hpp"
#include "dondoc/domain/clock.hpp"
#include "dondoc/domain/deadline.hpp"
#include "dondoc/domain/extension.hpp"
#include "dondoc/domain/reminder.hpp"
#include "dondoc/notify/posting.hpp"
#include "dondoc/service/authorization.hpp"
#include "dondoc/storage/store.hpp"

namespace dondoc::service {

using domain::Date;
using domain::Task;
using domain::TaskId;
using domain::Unit;
using domain::UnitId;

// A write use case, prepared: the checks and normalization that need no database were done when
// it was planned; `apply` runs inside a write transaction; `result` gives the outcome once
// `apply` succeeded. The HTTP server runs `apply` on the store's writer and the rest on its own
// threads, so the single writer does only database work. The plain methods (create, update, act)
// run the three steps in turn.
template <typename T>
struct WritePlan {
  std::function<void(storage::WriteTx&)> apply;
  std::function<T()> result;
};

int default_report_parts();

// What a service needs from its surroundings, wired once by app/.
struct ServiceContext {
  storage::Store& store;
  const domain::Clock& clock;
  const domain::TimeZone& zone;
  const domain::WorkingCalendar& calendar;
  domain::ClassifyPolicy classify_policy;
  int default_page_size = config::kDefaultPageSize;
  int max_page_size = config::kDefaultMaxPageSize;
  domain::ExtensionPolicy extension_policy{};
  domain::ReminderPolicy reminder_policy{};
  // What notices link to, where they go besides email, in whose words, and when they are sent.
  notify::MessageSettings messages{};
  // How many threads (and read connections) a period report counts its tasks with: one per core,
  // up to 4, since the scan of a million tasks is bound by the processor.
  int report_parts = default_report_parts();

  Date today() const { return zone.today(clock); }
  // Appends a successful write to the audit log, inside the transaction that made it.
  void audit(storage::WriteTx& tx, const Actor& actor, std::string_view action, std::string target,
             std::string detail = "") const;
  // Stores when `task`, just written, is due its next reminder, inside the same transaction, so
  // that a moved deadline or a completion changes the schedule at once.
  void reschedule(storage::WriteTx& tx, const Task& task) const;
  // The first reminder of a task not yet registered (none has been sent for it).
  std::optional<domain::Instant> first_reminder(const Task& task) const;
};

// ---- units ----

struct NewUnit {
  std::string code;
  std::string name;
  domain::UnitKind kind = domain::UnitKind::department;
  std::vector<std::string> emails;
};

struct UnitPatch {
  std::optional<std::string> code;
  std::optional<std::string> name;
  std::optional<domain::UnitKind> kind;
  std::optional<std::vector<std::string>> emails;
  std::optional<bool> active;
  std::optional<std::optional<UnitId>> successor_id;  // engaged nullopt clears it
  std::string note;  // why, e.g. the decision that renamed it; kept in the unit's history
};

struct UnitListRequest {
  std::optional<bool> active;
  std::optional<domain::UnitKind> kind;
  std::string q;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

// A reorganisation (design §2): units merged into an existing unit or a new one.
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

// ---- tasks ----

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
  std::string note;  // why, recorded in history
};

// A task with its timeliness derived as of today.
struct TaskView {
  Task task;
  domain::Timeliness timeliness = domain::Timeliness::open_on_time;
  int days_overdue = 0;
};

enum class TaskAction { report_completion, confirm, reopen, suspend, resume, cancel, note };

struct ActionInput {
  std::optional<Date> completed_on;
  std::optional<std::string> completion_ref;
  std::string reason;  // cancel
  std::string note;
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
  std::optional<domain::Priority> priority;
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
