// The store contract, tasks and units: units and their history, tasks and their history, and
// extension requests. Like every part of the contract (see store.hpp):
//  - a method throws domain::StorageError when the database fails, and nothing else of its own;
//  - a write refused by uniqueness (a unit code, one pending request per task) throws
//    domain::Conflict saying what is taken; one naming a missing row throws domain::NotFound;
//  - reads inside a write transaction see that transaction's own changes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/attachment.hpp"
#include "dondoc/domain/classify.hpp"
#include "dondoc/domain/contribution.hpp"
#include "dondoc/domain/extension.hpp"
#include "dondoc/domain/recurrence.hpp"
#include "dondoc/domain/task.hpp"
#include "dondoc/domain/unit.hpp"
#include "dondoc/storage/paging.hpp"

namespace dondoc::storage {

struct UnitQuery {
  std::optional<bool> active;
  std::optional<domain::UnitKind> kind;
  std::vector<std::string> search_terms;  // folded words (see service/text.hpp), all must match
  int limit = 50;
  std::optional<std::string> cursor;
};

enum class TaskSort { id, due_on, assigned_on };

struct TaskQuery {
  std::vector<domain::LifecycleState> states;  // any of these; empty means all
  // Timeliness is derived, so filtering on it needs the date and the policy it is judged by.
  std::optional<domain::Timeliness> timeliness;
  domain::Date today;
  domain::Date due_soon_until;
  bool extension_counts_as_on_time = true;
  std::optional<domain::UnitId> lead_unit_id;
  std::optional<domain::UnitId> unit_id;  // lead or coordinating
  // Authorization scope: only tasks this unit leads or coordinates (a `unit` user's view).
  std::optional<domain::UnitId> visible_to_unit;
  std::optional<domain::Date> assigned_from;
  std::optional<domain::Date> assigned_to;
  std::optional<domain::Date> due_from;
  std::optional<domain::Date> due_to;
  std::optional<std::string> source_ref;
  std::optional<std::string> assigner;  // exactly as registered
  std::optional<domain::Priority> priority;
  std::optional<std::int64_t> leader_id;  // the leader in charge
  bool or_no_leader = false;              // with leader_id: also the tasks nobody is in charge of
  std::optional<bool> key_task;
  std::vector<std::string> search_terms;  // folded words, all must match title or source
  TaskSort sort = TaskSort::id;
  bool descending = false;
  int limit = 50;
  std::optional<std::string> cursor;
};

struct ExtensionQuery {
  std::optional<domain::TaskId> task_id;
  std::optional<domain::UnitId> unit_id;
  std::optional<domain::ExtensionState> state;
  std::optional<domain::Instant> created_from;  // inclusive
  std::optional<domain::Instant> created_before;
  std::optional<domain::UnitId> visible_to_unit;  // tasks this unit leads or coordinates
  std::optional<std::int64_t> leader_id;          // requests on tasks this leader is in charge of
  bool or_no_leader = false;  // with leader_id: also requests on tasks nobody is in charge of
  int limit = 50;
  std::optional<std::string> cursor;
};

struct SeriesQuery {
  std::optional<domain::SeriesState> state;
  std::optional<domain::UnitId> unit_id;          // lead or coordinating
  std::optional<domain::UnitId> visible_to_unit;  // authorization scope, as for tasks
  int limit = 50;
  std::optional<std::string> cursor;
};

class TaskReads {
 public:
  virtual ~TaskReads() = default;
  // nullopt when there is no such unit.
  virtual std::optional<domain::Unit> find_unit(domain::UnitId id) = 0;
  virtual std::optional<domain::Unit> find_unit_by_code(const std::string& code) = 0;
  // By id.
  virtual PageResult<domain::Unit> list_units(const UnitQuery& query) = 0;
  // A unit's renames, mergers and other changes, oldest first.
  virtual std::vector<domain::UnitEvent> unit_history(domain::UnitId id) = 0;

  // nullopt when there is no such task.
  virtual std::optional<domain::Task> find_task(domain::TaskId id) = 0;
  // In the query's sort order, ties by id.
  virtual PageResult<domain::Task> list_tasks(const TaskQuery& query) = 0;
  // A task's events, oldest first (empty for an unknown task).
  virtual std::vector<domain::TaskEvent> task_history(domain::TaskId id) = 0;
  // The tasks registered from the document numbered `source_ref` (compared as stored), by id:
  // what an import compares each row with, to find it already registered. Their coordinating
  // units are not read.
  virtual std::vector<domain::Task> tasks_from_document(const std::string& source_ref) = 0;
  // Tasks not yet done or cancelled that `unit` leads or coordinates, by id.
  virtual std::vector<domain::TaskId> unfinished_tasks_of_unit(domain::UnitId unit) = 0;

  // nullopt when there is no such request.
  virtual std::optional<domain::ExtensionRequest> find_extension(domain::ExtensionId id) = 0;
  // Pending requests first, then the others, newest first within each.
  virtual PageResult<domain::ExtensionRequest> list_extensions(const ExtensionQuery& query) = 0;
  // A task's requests, oldest first.
  virtual std::vector<domain::ExtensionRequest> task_extensions(domain::TaskId task) = 0;

  // nullopt when there is no such series.
  virtual std::optional<domain::TaskSeries> find_series(domain::SeriesId id) = 0;
  // By id.
  virtual PageResult<domain::TaskSeries> list_series(const SeriesQuery& query) = 0;
  // The tasks a series has made, by their index in it.
  virtual std::vector<domain::Task> series_tasks(domain::SeriesId id) = 0;
  // Series whose next task is due to be made on or before `day`, the earliest first (ties by
  // id), at most `limit`.
  virtual std::vector<domain::SeriesId> series_due(domain::Date day, int limit) = 0;
  // The earliest day a series must make its next task; none when no series will.
  virtual std::optional<domain::Date> next_series_day() = 0;

  // The coordinating units' parts in a task that have a row (a deadline or input sent), by unit.
  virtual std::vector<domain::Contribution> contributions_of(domain::TaskId task) = 0;
  // Contributions late at the end of `as_of`: their deadline before it, not sent by then; the
  // oldest deadline first (ties by task and unit), at most `limit`. Whether the unit still
  // coordinates the task, and whether the task was still under way, is for the caller to judge.
  virtual std::vector<domain::Contribution> late_contributions(domain::Date as_of, int limit) = 0;
  // Contributions whose next reminder is due by `now`, the earliest first, at most `limit`.
  virtual std::vector<domain::Contribution> contributions_due_for_reminder(domain::Instant now,
                                                                           int limit) = 0;
  virtual std::optional<domain::Instant> earliest_contribution_reminder() = 0;
  // A unit's contributions with a deadline and nothing sent, the earliest deadline first (ties
  // by task), at most `limit`.
  virtual std::vector<domain::Contribution> contributions_owed_by(domain::UnitId unit,
                                                                  int limit) = 0;

  // nullopt when there is no such attachment.
  virtual std::optional<domain::Attachment> find_attachment(domain::AttachmentId id) = 0;
  // A task's attachments, oldest first.
  virtual std::vector<domain::Attachment> attachments_of(domain::TaskId task) = 0;
  // Whether any attachment keeps its content under `sha256`.
  virtual bool content_referenced(const std::string& sha256) = 0;
};

class TaskWrites {
 public:
  virtual ~TaskWrites() = default;
  // `search_text` is the folded text the list search matches against. Returns the new id.
  virtual domain::UnitId insert_unit(const domain::Unit& unit, const std::string& search_text) = 0;
  virtual void update_unit(const domain::Unit& unit, const std::string& search_text) = 0;
  virtual std::int64_t append_unit_event(const domain::UnitEvent& event) = 0;

  // `next_reminder`: when the new task's first reminder is due (none if it has none). Returns
  // the new id.
  virtual domain::TaskId insert_task(const domain::Task& task, const std::string& search_text,
                                     std::optional<domain::Instant> next_reminder) = 0;
  virtual void update_task(const domain::Task& task, const std::string& search_text) = 0;
  // History is append-only: an event, once written, is never changed. Returns its id.
  virtual std::int64_t append_event(const domain::TaskEvent& event) = 0;

  // A second pending request for a task throws domain::Conflict.
  virtual domain::ExtensionId insert_extension(const domain::ExtensionRequest& request) = 0;
  virtual void update_extension(const domain::ExtensionRequest& request) = 0;

  // Returns the new id. A task made by a series (Task::series_id) with an index the series has
  // already made throws domain::Conflict.
  virtual domain::SeriesId insert_series(const domain::TaskSeries& series) = 0;
  // Throws domain::NotFound for an unknown series.
  virtual void update_series(const domain::TaskSeries& series) = 0;

  // Inserts or replaces the row of (task_id, unit_id). Its next reminder wakes the reminder loop
  // like a task's.
  virtual void put_contribution(const domain::Contribution& contribution) = 0;

  // Returns the new id. The content must already be kept durably (FileStore::keep) before the
  // transaction that names it commits.
  virtual domain::AttachmentId insert_attachment(const domain::Attachment& attachment) = 0;
};

}  // namespace dondoc::storage
