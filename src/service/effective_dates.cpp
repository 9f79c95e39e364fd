#include "dondoc/domain/effective.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

Date effective_date_of_change(storage::ReadTx& tx, const Task& before,
                              const std::vector<domain::FieldChange>& changes,
                              std::optional<Date> given, Date fallback, Date today,
                              const char* field) {
  if (given) {
    domain::validate_effective_on(before, *given, today, field);
  }
  // A task made ahead of its assignment (a periodic one) changes, until then, with effect from
  // its assignment: it did not exist before.
  const Date effective = given ? *given : std::max(fallback, before.assigned_on);
  if (!changes.empty() && before.effective_through && effective < *before.effective_through) {
    // Entered after a change that took effect later: the history says whether that change was
    // to one of the same fields.
    domain::check_effective_order(tx.task_history(before.id), changes, effective);
  }
  return effective;
}

}  // namespace dondoc::service
