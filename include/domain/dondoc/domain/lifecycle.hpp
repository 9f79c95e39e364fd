// Lifecycle transitions (docs/design.md, "The domain"): open → reported → done, back to open,
// suspended, cancelled. Each function checks that the transition is allowed from the task's current
// state, applies it and returns the event kind to record; a forbidden transition throws Conflict
// saying why.
#pragma once

#include <optional>
#include <string>

#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

// The unit says the work is finished on `completed_on` (not after `today`).
EventKind report_completion(Task& task, Date completed_on, std::string completion_ref, Date today);
// The Office confirms a reported completion; it may also confirm an open task directly, in which
// case the completion date is required.
EventKind confirm_completion(Task& task, std::optional<Date> completed_on,
                             std::optional<std::string> completion_ref, Date today);
// Back to open from reported (not accepted) or done (found incomplete).
EventKind reopen(Task& task);
EventKind suspend(Task& task);
EventKind resume(Task& task);
EventKind cancel(Task& task, std::string reason);
// Progress notes are allowed while the task is not cancelled; nothing but history changes.
EventKind check_progress_note_allowed(const Task& task);

}  // namespace dondoc::domain
