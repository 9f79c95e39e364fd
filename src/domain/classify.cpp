#include "dondoc/domain/classify.hpp"

#include "enum_names.hpp"

namespace dondoc::domain {

namespace {
constexpr detail::NameTable<Timeliness, 8> kNames{{
    {Timeliness::done_on_time, "done_on_time"},
    {Timeliness::done_late, "done_late"},
    {Timeliness::open_on_time, "open_on_time"},
    {Timeliness::due_soon, "due_soon"},
    {Timeliness::overdue, "overdue"},
    {Timeliness::no_deadline, "no_deadline"},
    {Timeliness::suspended, "suspended"},
    {Timeliness::cancelled, "cancelled"},
}};
}  // namespace

std::string_view to_string(Timeliness t) {
  return detail::name_of(kNames, t);
}
std::optional<Timeliness> parse_timeliness(std::string_view text) {
  return detail::parse_name(kNames, text);
}

Date Classifier::due_soon_until(Date as_of) const {
  return calendar_.add_working_days(as_of, policy_.due_soon_working_days);
}

std::optional<Date> Classifier::completion_deadline(const Task& task) const {
  if (!task.due_on || policy_.extension_counts_as_on_time) {
    return task.due_on;
  }
  return task.original_due_on ? task.original_due_on : task.due_on;
}

Timeliness Classifier::classify(const Task& task, Date as_of) const {
  switch (task.state) {
    case LifecycleState::cancelled:
      return Timeliness::cancelled;
    case LifecycleState::suspended:
      return Timeliness::suspended;
    case LifecycleState::done: {
      const auto deadline = completion_deadline(task);
      if (!deadline || !task.completed_on || *task.completed_on <= *deadline) {
        return Timeliness::done_on_time;
      }
      return Timeliness::done_late;
    }
    case LifecycleState::reported:
      if (!task.due_on) {
        return Timeliness::no_deadline;
      }
      if (task.completed_on && *task.completed_on <= *task.due_on) {
        return Timeliness::open_on_time;
      }
      return as_of > *task.due_on ? Timeliness::overdue : Timeliness::open_on_time;
    case LifecycleState::open:
      if (!task.due_on) {
        return Timeliness::no_deadline;
      }
      if (as_of > *task.due_on) {
        return Timeliness::overdue;
      }
      return *task.due_on <= due_soon_until(as_of) ? Timeliness::due_soon
                                                   : Timeliness::open_on_time;
  }
  return Timeliness::open_on_time;
}

int Classifier::days_overdue(const Task& task, Date as_of) const {
  switch (classify(task, as_of)) {
    case Timeliness::overdue: {
      const Date until = (task.state == LifecycleState::reported && task.completed_on)
                             ? *task.completed_on
                             : as_of;
      return until - *task.due_on;
    }
    case Timeliness::done_late:
      return *task.completed_on - *completion_deadline(task);
    default:
      return 0;
  }
}

std::string timeliness_names() {
  return detail::names_of(kNames);
}

}  // namespace dondoc::domain
