// The coordinating units' parts in a task (docs/design.md, "Coordinating units' deadlines"): the
// Office gives a coordinating unit its own deadline, the unit (or the Office on its behalf)
// records the input it sent, and anyone who sees the task sees who still owes its input. The
// task's own timeliness does not depend on them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/contribution.hpp"
#include "dondoc/service/tasks.hpp"

namespace dondoc::service {

// One coordinating unit's part, as of today; a unit given no deadline and that sent nothing
// has no stored row and shows as `awaited`.
struct ContributionView {
  domain::Contribution contribution;
  std::string unit_name;
  domain::ContributionState state = domain::ContributionState::awaited;
  int days_late = 0;
};

struct SentInput {
  std::optional<Date> sent_on;  // default: today
  std::string document_ref;     // required: the document the input went with
  std::string note;
};

// A contribution with its task: a late one for the overdue report's appendix, or one a unit
// still owes.
struct LateContribution {
  ContributionView view;
  Task task;
  std::string lead_unit_name;
};

class ContributionService {
 public:
  explicit ContributionService(const ServiceContext& ctx) : ctx_(ctx) {}

  // Every coordinating unit of the task, by unit id.
  std::vector<ContributionView> list(const Actor& actor, TaskId task_id);
  // What `unit_id` owes: its parts with a deadline and nothing sent, in tasks under way that it
  // still coordinates, the earliest deadline first (a unit user: its own unit only).
  std::vector<LateContribution> owed_by(const Actor& actor, UnitId unit_id);
  // `due_on` none: the unit's deadline is taken away. It must not be after the task's own
  // deadline nor before its assignment; a unit that has sent its input has no deadline to move.
  WritePlan<std::vector<ContributionView>> plan_set_deadline(const Actor& actor, TaskId task_id,
                                                             UnitId unit_id,
                                                             std::optional<Date> due_on,
                                                             std::string note);
  // By the coordinating unit itself, or the Office on its behalf.
  WritePlan<std::vector<ContributionView>> plan_mark_sent(const Actor& actor, TaskId task_id,
                                                          UnitId unit_id, SentInput input);
  std::vector<ContributionView> set_deadline(const Actor& actor, TaskId task_id, UnitId unit_id,
                                             std::optional<Date> due_on, std::string note);
  std::vector<ContributionView> mark_sent(const Actor& actor, TaskId task_id, UnitId unit_id,
                                          SentInput input);

 private:
  const ServiceContext& ctx_;
};

// The views of a task's coordinating units inside a transaction, as of `today`.
std::vector<ContributionView> contribution_views(storage::ReadTx& tx, const Task& task, Date today);
// The contributions late at the end of `as_of` (deadline before it, input not sent by then) of
// tasks the unit still coordinates and that were under way then (open or reported now, or
// finished after `as_of`), the oldest deadline first, at most `limit`; `visible_to_unit`: only
// tasks that unit leads or coordinates.
std::vector<LateContribution> late_contributions(storage::ReadTx& tx, Date as_of, int limit,
                                                 std::optional<UnitId> visible_to_unit);

}  // namespace dondoc::service
