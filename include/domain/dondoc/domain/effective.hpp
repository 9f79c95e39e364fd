// Two kinds of "as of" (docs/design.md, "Two kinds of as of"). Every change to a task is entered
// at an instant (recorded_at, TaskEvent::at) and took effect in reality on a date
// (TaskEvent::effective_on). A report as of D either shows things as they were on D as we know
// them now (effective dates) or the register as it stood on D (recorded instants).
//
// So that both views agree with the task as it is now, the changes of any one field take effect
// in the order they were entered: a change may not be entered with an effective date before that
// of an earlier change to the same field. Undoing the changes that took effect after D, latest
// entered first, then gives each field the value it had on D.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "dondoc/domain/clock.hpp"
#include "dondoc/domain/extension.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

enum class AsOfBasis {
  effective,  // as things were on the date, as we know them now (the default for meetings)
  recorded,   // as the register stood at the end of the date
};

std::string_view to_string(AsOfBasis b);
std::optional<AsOfBasis> parse_as_of_basis(std::string_view text);

// An effective date a client gives for a change of `task`: not after `today`, not before the
// task's assignment. Throws ValidationError on field `field` otherwise.
void validate_effective_on(const Task& task, Date effective_on, Date today,
                           const char* field = "effective_on");

// Throws Conflict if one of `changes`, taking effect on `effective_on`, changes a field that an
// entry of `history` already changed with a later effective date.
void check_effective_order(std::span<const TaskEvent> history,
                           const std::vector<FieldChange>& changes, Date effective_on);

// The date an entry took effect: its own, or for entries from before effective dates were kept,
// the local date it was entered.
Date effective_date(const TaskEvent& e, const TimeZone& zone);

// The dates an extension request was filed and decided, in reality: its own dates, or for a
// request from before they were kept, the local dates it was entered and decided.
Date filed_date(const ExtensionRequest& r, const TimeZone& zone);
std::optional<Date> decided_date(const ExtensionRequest& r, const TimeZone& zone);

// Rewinds `task` (as it is now) to the end of `day`, as known now: undoes the changes of every
// entry of `history` (the task's whole history, oldest first, effective dates resolved) that
// took effect after `day`. The assignment date stays as it is now: a change to it corrects what
// is known of the day the task was given, which did not move on the day it was entered.
void rewind_to_effective(Task& task, std::span<const TaskEvent> history, Date day);

}  // namespace dondoc::domain
