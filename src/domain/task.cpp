#include "dondoc/domain/task.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"
#include "enum_names.hpp"

namespace dondoc::domain {

namespace {

constexpr std::size_t kMaxTitleChars = 1000;
constexpr std::size_t kMaxDescriptionChars = 20000;
constexpr std::size_t kMaxSourceRefChars = 100;
constexpr std::size_t kMaxSourceTitleChars = 2000;
constexpr std::size_t kMaxAssignerChars = 200;
constexpr std::size_t kMaxCompletionRefChars = 200;
constexpr std::size_t kMaxReasonChars = 2000;
constexpr std::size_t kMaxCoordinatingUnits = 100;
// The working calendar's range; dates outside it are almost certainly typos.
constexpr int kFirstYear = 1990;
constexpr int kLastYear = 2100;

constexpr detail::NameTable<Priority, 2> kPriorities{{
    {Priority::normal, "normal"},
    {Priority::urgent, "urgent"},
}};
constexpr detail::NameTable<LifecycleState, 5> kStates{{
    {LifecycleState::open, "open"},
    {LifecycleState::reported, "reported"},
    {LifecycleState::done, "done"},
    {LifecycleState::suspended, "suspended"},
    {LifecycleState::cancelled, "cancelled"},
}};
constexpr detail::NameTable<EventKind, 16> kEventKinds{{
    {EventKind::created, "created"},
    {EventKind::updated, "updated"},
    {EventKind::progress_note, "progress_note"},
    {EventKind::completion_reported, "completion_reported"},
    {EventKind::confirmed, "confirmed"},
    {EventKind::reopened, "reopened"},
    {EventKind::suspended, "suspended"},
    {EventKind::resumed, "resumed"},
    {EventKind::cancelled, "cancelled"},
    {EventKind::extension_requested, "extension_requested"},
    {EventKind::extension_withdrawn, "extension_withdrawn"},
    {EventKind::extension_approved, "extension_approved"},
    {EventKind::extension_rejected, "extension_rejected"},
    {EventKind::units_merged, "units_merged"},
    {EventKind::extension_closed, "extension_closed"},
    {EventKind::attachment_added, "attachment_added"},
}};

void check_text(FieldErrors& errors, const char* field, const std::string& value,
                std::size_t max_chars, bool required, bool multiline) {
  const bool blank = std::all_of(value.begin(), value.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
  if (required && blank) {
    errors.add(field, "is required and must not be blank");
  } else if (code_points(value) > max_chars) {
    errors.add(field, "must be at most " + std::to_string(max_chars) + " characters");
  } else if (has_control_characters(value, multiline)) {
    errors.add(field, multiline ? "must not contain control characters"
                                : "must not contain line breaks or control characters");
  }
}

void check_year(FieldErrors& errors, const char* field, const std::optional<Date>& d) {
  if (d && (d->year() < kFirstYear || d->year() > kLastYear)) {
    errors.add(field, "must be between 1990-01-01 and 2100-12-31");
  }
}

std::optional<std::string> text_of(const std::optional<Date>& d) {
  return d ? std::optional<std::string>(d->to_string()) : std::nullopt;
}

}  // namespace

std::string_view to_string(Priority p) {
  return detail::name_of(kPriorities, p);
}
std::optional<Priority> parse_priority(std::string_view t) {
  return detail::parse_name(kPriorities, t);
}
std::string_view to_string(LifecycleState s) {
  return detail::name_of(kStates, s);
}
std::optional<LifecycleState> parse_lifecycle_state(std::string_view t) {
  return detail::parse_name(kStates, t);
}
std::string_view to_string(EventKind k) {
  return detail::name_of(kEventKinds, k);
}
std::optional<EventKind> parse_event_kind(std::string_view t) {
  return detail::parse_name(kEventKinds, t);
}

void validate_task(const Task& task) {
  FieldErrors errors;
  check_text(errors, "title", task.title, kMaxTitleChars, true, false);
  check_text(errors, "description", task.description, kMaxDescriptionChars, false, true);
  check_text(errors, "source_ref", task.source_ref, kMaxSourceRefChars, false, false);
  check_text(errors, "source_title", task.source_title, kMaxSourceTitleChars, false, true);
  check_text(errors, "assigner", task.assigner, kMaxAssignerChars, false, false);
  check_text(errors, "completion_ref", task.completion_ref, kMaxCompletionRefChars, false, false);
  check_text(errors, "cancel_reason", task.cancel_reason, kMaxReasonChars, false, true);
  check_year(errors, "assigned_on", task.assigned_on);
  check_year(errors, "source_date", task.source_date);
  check_year(errors, "due_on", task.due_on);
  check_year(errors, "completed_on", task.completed_on);
  if (task.source_date && *task.source_date > task.assigned_on) {
    errors.add("source_date",
               "must not be after assigned_on (" + task.assigned_on.to_string() + ")");
  }
  if (task.due_on && *task.due_on < task.assigned_on) {
    errors.add("due_on", "must not be before assigned_on (" + task.assigned_on.to_string() + ")");
  }
  if (task.completed_on && *task.completed_on < task.assigned_on) {
    errors.add("completed_on",
               "must not be before assigned_on (" + task.assigned_on.to_string() + ")");
  }
  if (task.lead_unit_id <= 0) {
    errors.add("lead_unit_id", "is required and must be a positive unit id");
  }
  if (task.coordinating_unit_ids.size() > kMaxCoordinatingUnits) {
    errors.add("coordinating_unit_ids",
               "must list at most " + std::to_string(kMaxCoordinatingUnits) + " units");
  }
  std::set<UnitId> seen;
  for (std::size_t i = 0; i < task.coordinating_unit_ids.size(); ++i) {
    const UnitId id = task.coordinating_unit_ids[i];
    const std::string field = "coordinating_unit_ids[" + std::to_string(i) + "]";
    if (id <= 0) {
      errors.add(field, "must be a positive unit id");
    } else if (id == task.lead_unit_id) {
      errors.add(field, "unit " + std::to_string(id) + " is already the lead unit");
    } else if (!seen.insert(id).second) {
      errors.add(field, "unit " + std::to_string(id) + " is listed twice");
    }
  }
  if (task.state == LifecycleState::cancelled && task.cancel_reason.empty()) {
    errors.add("cancel_reason", "is required to cancel a task");
  }
  errors.throw_if_any();
}

bool transfer_units(Task& task, const std::vector<UnitId>& merged, UnitId successor) {
  auto moved = [&](UnitId id) {
    return std::find(merged.begin(), merged.end(), id) != merged.end() ? successor : id;
  };
  const Task before = task;
  task.lead_unit_id = moved(task.lead_unit_id);
  std::vector<UnitId> coordinating;
  for (UnitId id : task.coordinating_unit_ids) {
    const UnitId now = moved(id);
    if (now != task.lead_unit_id &&
        std::find(coordinating.begin(), coordinating.end(), now) == coordinating.end()) {
      coordinating.push_back(now);
    }
  }
  task.coordinating_unit_ids = std::move(coordinating);
  return task.lead_unit_id != before.lead_unit_id ||
         task.coordinating_unit_ids != before.coordinating_unit_ids;
}

std::vector<FieldChange> diff(const Task& a, const Task& b) {
  std::vector<FieldChange> out;
  auto text = [&](const char* f, const std::string& x, const std::string& y) {
    if (x != y) {
      out.push_back({f, x, y});
    }
  };
  auto date = [&](const char* f, const std::optional<Date>& x, const std::optional<Date>& y) {
    if (x != y) {
      out.push_back({f, text_of(x), text_of(y)});
    }
  };
  auto ids = [](const std::vector<UnitId>& v) {
    std::vector<UnitId> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    std::string s;
    for (UnitId id : sorted) {
      s += (s.empty() ? "" : ",") + std::to_string(id);
    }
    return s;
  };
  text("title", a.title, b.title);
  text("description", a.description, b.description);
  text("source_ref", a.source_ref, b.source_ref);
  date("source_date", a.source_date, b.source_date);
  text("source_title", a.source_title, b.source_title);
  text("assigner", a.assigner, b.assigner);
  date("assigned_on", a.assigned_on, b.assigned_on);
  text("lead_unit_id", std::to_string(a.lead_unit_id), std::to_string(b.lead_unit_id));
  text("coordinating_unit_ids", ids(a.coordinating_unit_ids), ids(b.coordinating_unit_ids));
  date("due_on", a.due_on, b.due_on);
  text("priority", std::string(to_string(a.priority)), std::string(to_string(b.priority)));
  text("state", std::string(to_string(a.state)), std::string(to_string(b.state)));
  date("completed_on", a.completed_on, b.completed_on);
  text("completion_ref", a.completion_ref, b.completion_ref);
  text("cancel_reason", a.cancel_reason, b.cancel_reason);
  date("original_due_on", a.original_due_on, b.original_due_on);
  text("extension_count", std::to_string(a.extension_count), std::to_string(b.extension_count));
  if (a.leader_id != b.leader_id) {
    auto id = [](const std::optional<std::int64_t>& v) {
      return v ? std::optional(std::to_string(*v)) : std::nullopt;
    };
    out.push_back({"leader_id", id(a.leader_id), id(b.leader_id)});
  }
  text("key_task", a.key_task ? "true" : "false", b.key_task ? "true" : "false");
  return out;
}

std::string lifecycle_state_names() {
  return detail::names_of(kStates);
}

}  // namespace dondoc::domain
