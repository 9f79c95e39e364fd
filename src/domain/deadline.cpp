#include "dondoc/domain/deadline.hpp"

#include <string>

#include "dondoc/domain/errors.hpp"

namespace dondoc::domain {

std::optional<Date> resolve_deadline(const DeadlineSpec& spec, Date assigned_on,
                                     const WorkingCalendar& calendar) {
  switch (spec.kind) {
    case DeadlineSpec::Kind::none:
      return std::nullopt;
    case DeadlineSpec::Kind::date:
      return spec.date;
    case DeadlineSpec::Kind::working_days:
      if (spec.count < 1 || spec.count > kMaxDeadlineWorkingDays) {
        throw ValidationError("deadline.working_days",
                              "must be between 1 and " + std::to_string(kMaxDeadlineWorkingDays));
      }
      return calendar.add_working_days(assigned_on, spec.count);
    case DeadlineSpec::Kind::days:
      if (spec.count < 1 || spec.count > kMaxDeadlineDays) {
        throw ValidationError("deadline.days",
                              "must be between 1 and " + std::to_string(kMaxDeadlineDays));
      }
      return calendar.add_days(assigned_on, spec.count);
  }
  return std::nullopt;
}

}  // namespace dondoc::domain
