// Tasks (nhiệm vụ): what was assigned, by which document, to whom, by when; and their history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/domain/date.hpp"
#include "dondoc/domain/field_change.hpp"
#include "dondoc/domain/unit.hpp"

namespace dondoc::domain {

using TaskId = std::int64_t;

enum class Priority { normal, urgent };
// The stored lifecycle (docs/design.md, "The domain"). Timeliness is derived, never stored: see
// classify.hpp.
enum class LifecycleState { open, reported, done, suspended, cancelled };

std::string_view to_string(Priority p);
std::optional<Priority> parse_priority(std::string_view text);
std::string_view to_string(LifecycleState s);
std::optional<LifecycleState> parse_lifecycle_state(std::string_view text);
std::string lifecycle_state_names();  // "open, reported, done, ..."

struct Task {
  TaskId id = 0;
  std::string title;
  std::string description;
  std::string source_ref;  // số ký hiệu, e.g. "45/TB-UBND"
  std::optional<Date> source_date;
  std::string source_title;  // trích yếu
  std::string assigner;      // "Chủ tịch UBND tỉnh"
  Date assigned_on;
  UnitId lead_unit_id = 0;
  std::vector<UnitId> coordinating_unit_ids;
  std::optional<Date> due_on;  // none: không thời hạn
  Priority priority = Priority::normal;
  LifecycleState state = LifecycleState::open;
  std::optional<Date> completed_on;
  std::string completion_ref;
  std::string cancel_reason;
  std::optional<Date> original_due_on;  // the first deadline, kept when an extension moves it
  int extension_count = 0;
  // The leader who follows the task (lãnh đạo phụ trách): a user of role leader. A new task of a
  // unit with a leader in charge gets that leader unless it names another.
  std::optional<std::int64_t> leader_id;
  bool key_task = false;  // nhiệm vụ trọng tâm: set by the Office or a leader
  // A task made by a periodic series (recurrence.hpp): the series, and which of its deadlines
  // (1 for the first). Set when the task is made, never changed.
  std::optional<std::int64_t> series_id;
  int series_index = 0;
  std::int64_t version = 1;
  Instant created_at{};
  Instant updated_at{};
  // The latest date any recorded change took effect (effective.hpp), kept by the store: none
  // while the task has changed in nothing since it was registered.
  std::optional<Date> effective_through;
};

// Every problem with a task's own fields, with the field names of the API.
void validate_task(const Task& task);

enum class EventKind {
  created,
  updated,
  progress_note,
  completion_reported,
  confirmed,
  reopened,
  suspended,
  resumed,
  cancelled,
  extension_requested,
  extension_withdrawn,
  extension_approved,  // carries the due_on change
  extension_rejected,
  units_merged,      // the task moved to the successor of a merged unit
  extension_closed,  // a pending request closed itself: the task moved on without a decision
  attachment_added,  // a document attached: its name in the note
};

std::string_view to_string(EventKind k);
std::optional<EventKind> parse_event_kind(std::string_view text);

// An append-only history entry (docs/design.md, "The domain"): who did what, when, and which fields
// changed, so that the state on any past date can be rebuilt.
struct TaskEvent {
  std::int64_t id = 0;
  TaskId task_id = 0;
  Instant at{};  // when it was entered (recorded_at)
  // The date it took effect in reality (effective.hpp): the assignment date for `created`, the
  // completion date for a completion, the date of the decision for an extension. None only for
  // entries from before schema 17, which took effect the local day they were entered.
  std::optional<Date> effective_on;
  std::string actor;
  EventKind kind = EventKind::created;
  std::string note;
  std::vector<FieldChange> changes;
};

// Moves a task from units merged away to their successor: the lead, and each coordinating unit
// (without listing a unit twice, or the lead among the coordinators). Returns whether anything
// changed.
bool transfer_units(Task& task, const std::vector<UnitId>& merged, UnitId successor);

// The field-by-field difference between two versions of a task, in a stable order.
std::vector<FieldChange> diff(const Task& before, const Task& after);

}  // namespace dondoc::domain
