#include "dondoc/domain/effective.hpp"

#include <map>
#include <string>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/report.hpp"

namespace dondoc::domain {

std::string_view to_string(AsOfBasis b) {
  return b == AsOfBasis::effective ? "effective" : "recorded";
}

std::optional<AsOfBasis> parse_as_of_basis(std::string_view text) {
  if (text == "effective") {
    return AsOfBasis::effective;
  }
  if (text == "recorded") {
    return AsOfBasis::recorded;
  }
  return std::nullopt;
}

void validate_effective_on(const Task& task, Date effective_on, Date today, const char* field) {
  if (today < effective_on) {
    throw ValidationError(field, "is after today (" + vn_date(today) +
                                     "); a change cannot take effect in the future");
  }
  if (effective_on < task.assigned_on) {
    throw ValidationError(field,
                          "is before the task was assigned (" + vn_date(task.assigned_on) + ")");
  }
}

void check_effective_order(std::span<const TaskEvent> history,
                           const std::vector<FieldChange>& changes, Date effective_on) {
  std::map<std::string, Date> latest;  // field -> the latest date a change to it took effect
  for (const auto& e : history) {
    if (e.kind == EventKind::created || !e.effective_on) {
      continue;
    }
    for (const auto& c : e.changes) {
      auto [it, fresh] = latest.emplace(c.field, *e.effective_on);
      if (!fresh && it->second < *e.effective_on) {
        it->second = *e.effective_on;
      }
    }
  }
  for (const auto& c : changes) {
    const auto it = latest.find(c.field);
    if (it != latest.end() && effective_on < it->second) {
      throw Conflict("the task's " + c.field + " was already changed with effect from " +
                     vn_date(it->second) + "; a change taking effect earlier (" +
                     vn_date(effective_on) + ") cannot be entered after it");
    }
  }
}

Date effective_date(const TaskEvent& e, const TimeZone& zone) {
  return e.effective_on ? *e.effective_on : local_date(e.at, zone.utc_offset(e.at));
}

Date filed_date(const ExtensionRequest& r, const TimeZone& zone) {
  return r.filed_on ? *r.filed_on : local_date(r.created_at, zone.utc_offset(r.created_at));
}

std::optional<Date> decided_date(const ExtensionRequest& r, const TimeZone& zone) {
  if (r.decided_on) {
    return r.decided_on;
  }
  if (r.decided_at) {
    return local_date(*r.decided_at, zone.utc_offset(*r.decided_at));
  }
  return std::nullopt;
}

void rewind_to_effective(Task& task, std::span<const TaskEvent> history, Date day) {
  std::vector<TaskEvent> later;
  for (const auto& e : history) {
    if (e.kind != EventKind::created && e.effective_on && day < *e.effective_on) {
      later.push_back(e);
    }
  }
  const Date assigned_on = task.assigned_on;
  rewind(task, later);
  task.assigned_on = assigned_on;
}

}  // namespace dondoc::domain
