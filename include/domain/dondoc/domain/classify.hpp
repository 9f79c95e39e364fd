// Timeliness, derived and never stored (docs/design.md, "The domain"): one pure function of a task
// and a date.
#pragma once

#include <optional>
#include <string_view>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

enum class Timeliness {
  done_on_time,
  done_late,
  open_on_time,
  due_soon,
  overdue,
  no_deadline,
  suspended,
  cancelled,
};

std::string_view to_string(Timeliness t);
std::optional<Timeliness> parse_timeliness(std::string_view text);
// "done_on_time, done_late, ...": every name, for messages that list what is allowed.
std::string timeliness_names();

struct ClassifyPolicy {
  // An open task is due soon when its deadline is within this many working days of the date.
  int due_soon_working_days = 3;
  // Whether finishing within an approved extension counts as on time; if not, completion is
  // measured against the original deadline.
  bool extension_counts_as_on_time = true;
};

class Classifier {
 public:
  Classifier(const WorkingCalendar& calendar, ClassifyPolicy policy)
      : calendar_(calendar), policy_(policy) {}

  // A task due on D is on time through the end of D and overdue from D+1. A reported task's
  // clock stops at the completion date the unit gave, so waiting for the Office's confirmation
  // never makes it late.
  Timeliness classify(const Task& task, Date as_of) const;
  // Calendar days late: for overdue tasks up to as_of (or the reported completion), for done
  // late tasks up to completion; 0 otherwise.
  int days_overdue(const Task& task, Date as_of) const;
  // The last deadline that counts as due soon on `as_of`.
  Date due_soon_until(Date as_of) const;
  // The deadline completion is measured against, under the extension policy.
  std::optional<Date> completion_deadline(const Task& task) const;
  const ClassifyPolicy& policy() const { return policy_; }

 private:
  const WorkingCalendar& calendar_;
  ClassifyPolicy policy_;
};

}  // namespace dondoc::domain
