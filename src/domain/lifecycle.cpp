#include "dondoc/domain/lifecycle.hpp"

#include "dondoc/domain/errors.hpp"

namespace dondoc::domain {

namespace {

// "cannot reopen task 7: it is open; only reported or done tasks can be reopened"
[[noreturn]] void refuse(const Task& task, const std::string& verb, const std::string& allowed) {
  throw Conflict("cannot " + verb + " task " + std::to_string(task.id) + ": it is " +
                 std::string(to_string(task.state)) + "; only " + allowed + " tasks can be " +
                 verb + "ed");
}

void check_completion_date(const Task& task, Date completed_on, Date today) {
  if (completed_on > today) {
    throw ValidationError("completed_on",
                          "must not be in the future (today is " + today.to_string() + ")");
  }
  if (completed_on < task.assigned_on) {
    throw ValidationError("completed_on",
                          "must not be before assigned_on (" + task.assigned_on.to_string() + ")");
  }
}

}  // namespace

EventKind report_completion(Task& task, Date completed_on, std::string completion_ref, Date today) {
  if (task.state != LifecycleState::open) {
    throw Conflict("cannot report completion of task " + std::to_string(task.id) + ": it is " +
                   std::string(to_string(task.state)) + "; only open tasks can be reported");
  }
  check_completion_date(task, completed_on, today);
  task.state = LifecycleState::reported;
  task.completed_on = completed_on;
  task.completion_ref = std::move(completion_ref);
  return EventKind::completion_reported;
}

EventKind confirm_completion(Task& task, std::optional<Date> completed_on,
                             std::optional<std::string> completion_ref, Date today) {
  if (task.state == LifecycleState::open) {
    if (!completed_on) {
      throw ValidationError("completed_on",
                            "is required to confirm a task that the unit has not reported");
    }
  } else if (task.state != LifecycleState::reported) {
    throw Conflict("cannot confirm task " + std::to_string(task.id) + ": it is " +
                   std::string(to_string(task.state)) +
                   "; only open or reported tasks can be confirmed");
  }
  if (completed_on) {
    check_completion_date(task, *completed_on, today);
    task.completed_on = completed_on;
  }
  if (completion_ref) {
    task.completion_ref = std::move(*completion_ref);
  }
  task.state = LifecycleState::done;
  return EventKind::confirmed;
}

EventKind reopen(Task& task) {
  if (task.state != LifecycleState::reported && task.state != LifecycleState::done) {
    refuse(task, "reopen", "reported or done");
  }
  task.state = LifecycleState::open;
  task.completed_on.reset();
  task.completion_ref.clear();
  return EventKind::reopened;
}

EventKind suspend(Task& task) {
  if (task.state != LifecycleState::open && task.state != LifecycleState::reported) {
    refuse(task, "suspend", "open or reported");
  }
  task.state = LifecycleState::suspended;
  task.completed_on.reset();
  task.completion_ref.clear();
  return EventKind::suspended;
}

EventKind resume(Task& task) {
  if (task.state != LifecycleState::suspended) {
    throw Conflict("cannot resume task " + std::to_string(task.id) + ": it is " +
                   std::string(to_string(task.state)) + "; only suspended tasks can be resumed");
  }
  task.state = LifecycleState::open;
  return EventKind::resumed;
}

EventKind cancel(Task& task, std::string reason) {
  if (task.state == LifecycleState::done || task.state == LifecycleState::cancelled) {
    throw Conflict("cannot cancel task " + std::to_string(task.id) + ": it is " +
                   std::string(to_string(task.state)) +
                   "; only open, reported or suspended tasks can be cancelled");
  }
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw ValidationError("reason", "is required to cancel a task");
  }
  task.state = LifecycleState::cancelled;
  task.cancel_reason = std::move(reason);
  task.completed_on.reset();
  task.completion_ref.clear();
  return EventKind::cancelled;
}

EventKind check_progress_note_allowed(const Task& task) {
  if (task.state == LifecycleState::cancelled) {
    throw Conflict("cannot add a progress note to task " + std::to_string(task.id) +
                   ": it is cancelled");
  }
  return EventKind::progress_note;
}

}  // namespace dondoc::domain
