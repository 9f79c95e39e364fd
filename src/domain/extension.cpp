#include "dondoc/domain/extension.hpp"

#include "dondoc/domain/errors.hpp"
#include "enum_names.hpp"

namespace dondoc::domain {

namespace {

constexpr detail::NameTable<ExtensionState, 5> kStates{{
    {ExtensionState::pending, "pending"},
    {ExtensionState::approved, "approved"},
    {ExtensionState::rejected, "rejected"},
    {ExtensionState::withdrawn, "withdrawn"},
    {ExtensionState::closed, "closed"},
}};

constexpr detail::NameTable<ExtensionClosure, 7> kClosures{{
    {ExtensionClosure::none, ""},
    {ExtensionClosure::task_reported, "task_reported"},
    {ExtensionClosure::task_done, "task_done"},
    {ExtensionClosure::task_cancelled, "task_cancelled"},
    {ExtensionClosure::task_suspended, "task_suspended"},
    {ExtensionClosure::lead_unit_changed, "lead_unit_changed"},
    {ExtensionClosure::deadline_changed, "deadline_changed"},
}};

constexpr detail::NameTable<ExtensionOrigin, 2> kOrigins{{
    {ExtensionOrigin::unit, "unit"},
    {ExtensionOrigin::office, "office"},
}};

}  // namespace

std::string_view to_string(ExtensionState s) {
  return detail::name_of(kStates, s);
}

std::optional<ExtensionState> parse_extension_state(std::string_view text) {
  return detail::parse_name(kStates, text);
}

std::string_view to_string(ExtensionClosure c) {
  return detail::name_of(kClosures, c);
}

std::optional<ExtensionClosure> parse_extension_closure(std::string_view text) {
  return detail::parse_name(kClosures, text);
}

std::string_view to_string(ExtensionOrigin o) {
  return detail::name_of(kOrigins, o);
}

std::optional<ExtensionOrigin> parse_extension_origin(std::string_view text) {
  return detail::parse_name(kOrigins, text);
}

ExtensionClosure lapse_of(const ExtensionRequest& request, const Task& task) {
  if (request.state != ExtensionState::pending) {
    return ExtensionClosure::none;
  }
  switch (task.state) {
    case LifecycleState::open:
      break;
    case LifecycleState::reported:
      return ExtensionClosure::task_reported;
    case LifecycleState::done:
      return ExtensionClosure::task_done;
    case LifecycleState::cancelled:
      return ExtensionClosure::task_cancelled;
    case LifecycleState::suspended:
      return ExtensionClosure::task_suspended;
  }
  if (task.lead_unit_id != request.unit_id) {
    return ExtensionClosure::lead_unit_changed;
  }
  if (task.due_on != request.current_due_on) {
    return ExtensionClosure::deadline_changed;
  }
  return ExtensionClosure::none;
}

bool counts_towards_limit(const ExtensionRequest& request) {
  return request.origin == ExtensionOrigin::unit && request.state != ExtensionState::withdrawn &&
         request.state != ExtensionState::closed;
}

Date last_on_time_request_day(Date due_on, int min_lead_working_days,
                              const WorkingCalendar& calendar) {
  Date d = due_on;
  for (int counted = 0; counted < min_lead_working_days;) {
    d = d - 1;
    if (calendar.is_working_day(d)) {
      ++counted;
    }
  }
  return d;
}

bool check_new_extension(const Task& task, Date proposed_due_on, const std::string& reason,
                         Date today, int requests_so_far, bool has_pending,
                         const WorkingCalendar& calendar, const ExtensionPolicy& policy) {
  const std::string which = "task " + std::to_string(task.id);
  if (task.state != LifecycleState::open) {
    throw Conflict(which + " is " + std::string(to_string(task.state)) +
                   "; only an open task's deadline can be extended");
  }
  if (!task.due_on) {
    throw Conflict(which + " has no deadline to extend");
  }
  if (has_pending) {
    throw Conflict(which +
                   " already has a pending extension request; wait for the decision "
                   "or withdraw it first");
  }
  if (requests_so_far >= policy.max_per_task) {
    throw Conflict(which + " has had " + std::to_string(requests_so_far) +
                   " extension requests, the most allowed (extensions.max_per_task = " +
                   std::to_string(policy.max_per_task) + ")");
  }
  FieldErrors errors;
  if (!(*task.due_on < proposed_due_on)) {
    errors.add("proposed_due_on",
               "must be later than the current deadline " + task.due_on->to_string());
  }
  if (reason.empty()) {
    errors.add("reason", "is required and must not be blank");
  }
  errors.throw_if_any();
  const Date last_day =
      last_on_time_request_day(*task.due_on, policy.min_lead_working_days, calendar);
  const bool late = last_day < today;
  if (late && policy.late_requests == LateRequestPolicy::refuse) {
    throw Conflict("extension requests for " + which + " had to be filed by " +
                   last_day.to_string() + ", " + std::to_string(policy.min_lead_working_days) +
                   " working days before its deadline " + task.due_on->to_string() +
                   " (extensions.min_lead_working_days); late requests are refused here "
                   "(extensions.late_requests = refuse)");
  }
  return late;
}

std::string extension_state_names() {
  return detail::names_of(kStates);
}

}  // namespace dondoc::domain
