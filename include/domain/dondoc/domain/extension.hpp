// Extension requests (xin lùi thời hạn, docs/design.md, "The domain"): a lead unit asks for a later
// deadline with a reason; a leader approves, possibly with another date, or rejects; the requester
// may withdraw. A pending request whose task moves on without a decision (reported, done,
// cancelled, suspended, given to another unit, or its deadline set directly) closes itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/date.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

using ExtensionId = std::int64_t;

enum class ExtensionState { pending, approved, rejected, withdrawn, closed };

std::string_view to_string(ExtensionState s);
std::optional<ExtensionState> parse_extension_state(std::string_view text);
std::string extension_state_names();  // "pending, approved, ..."

// Why a request closed itself: what happened to its task while it waited.
enum class ExtensionClosure {
  none,
  task_reported,      // the unit reported the task done
  task_done,          // the Office confirmed it done
  task_cancelled,     // the task was withdrawn
  task_suspended,     // the task was put on hold
  lead_unit_changed,  // another unit leads it now (an edit, or a merge of units)
  deadline_changed,   // the Office set its deadline directly
};

std::string_view to_string(ExtensionClosure c);
std::optional<ExtensionClosure> parse_extension_closure(std::string_view text);

// Who moved the deadline: a unit that asked and a leader who decided, or the Office setting it
// directly on a decision made elsewhere (recorded approved, with the deciding document).
enum class ExtensionOrigin { unit, office };

std::string_view to_string(ExtensionOrigin o);
std::optional<ExtensionOrigin> parse_extension_origin(std::string_view text);

struct ExtensionRequest {
  ExtensionId id = 0;
  TaskId task_id = 0;
  UnitId unit_id = 0;  // the task's lead unit when the request was filed
  std::int64_t requested_by_user_id = 0;
  std::string requested_by;  // login
  Date current_due_on;       // the deadline the request asks to move
  Date proposed_due_on;
  std::string reason;
  std::string document_ref;  // the unit's letter, e.g. "125/SXD-KHTC"
  bool late = false;         // filed after the configured minimum lead time
  ExtensionState state = ExtensionState::pending;
  ExtensionOrigin origin = ExtensionOrigin::unit;
  ExtensionClosure closure = ExtensionClosure::none;  // set when state is closed
  std::string decided_by;                             // login
  std::optional<Instant> decided_at;
  std::optional<Date> decided_due_on;
  std::string note;  // the leader's note, or the requester's on withdrawal
  Instant created_at{};
  Instant updated_at{};
  // The dates filing and deciding took effect (issue 16): the day of filing, or of the decision
  // an extension recorded by the Office stands on; the day of the leader's decision, as entered,
  // or of the change that closed the request. None for requests from before schema 18: the local
  // dates of created_at and decided_at (effective.hpp, filed_date and decided_date).
  std::optional<Date> filed_on;
  std::optional<Date> decided_on;
};

// What to do with a request filed later than `min_lead_working_days` before the deadline.
enum class LateRequestPolicy { flag, refuse };

struct ExtensionPolicy {
  int min_lead_working_days = 3;
  int max_per_task = 3;
  LateRequestPolicy late_requests = LateRequestPolicy::flag;
};

// The rules a new request must meet (docs/design.md, "The domain"). Throws Conflict when the task
// cannot take a request now and ValidationError for a bad date or reason; returns whether the
// request is late. `requests_so_far` counts the task's earlier requests that were not withdrawn.
bool check_new_extension(const Task& task, Date proposed_due_on, const std::string& reason,
                         Date today, int requests_so_far, bool has_pending,
                         const WorkingCalendar& calendar, const ExtensionPolicy& policy);

// Whether a pending request can still be decided as `task` now stands: none while the task is
// open, led by the unit that asked and still due on the date the request asks to move;
// otherwise why it lapsed. A request that is not pending never lapses.
ExtensionClosure lapse_of(const ExtensionRequest& request, const Task& task);

// Whether a request counts towards `max_per_task`: a unit's own request that was not withdrawn
// and did not close itself.
bool counts_towards_limit(const ExtensionRequest& request);

// The last day on which a request for `due_on` is on time: `min_lead_working_days` working days
// before it.
Date last_on_time_request_day(Date due_on, int min_lead_working_days,
                              const WorkingCalendar& calendar);

}  // namespace dondoc::domain
