#include "dondoc/domain/report.hpp"

#include <charconv>
#include <string_view>

namespace dondoc::domain {

namespace {

std::optional<Date> date_of(const std::optional<std::string>& text) {
  return text ? Date::parse(*text) : std::nullopt;
}

std::int64_t number_of(const std::optional<std::string>& text, std::int64_t fallback) {
  std::int64_t n = fallback;
  if (text) {
    std::from_chars(text->data(), text->data() + text->size(), n);
  }
  return n;
}

// Puts back the value a field had before a change.
void undo(Task& t, const FieldChange& c) {
  const std::string_view f = c.field;
  if (f == "state") {
    t.state = parse_lifecycle_state(c.from.value_or("open")).value_or(t.state);
  } else if (f == "due_on") {
    t.due_on = date_of(c.from);
  } else if (f == "completed_on") {
    t.completed_on = date_of(c.from);
  } else if (f == "original_due_on") {
    t.original_due_on = date_of(c.from);
  } else if (f == "extension_count") {
    t.extension_count = static_cast<int>(number_of(c.from, 0));
  } else if (f == "lead_unit_id") {
    t.lead_unit_id = number_of(c.from, t.lead_unit_id);
  } else if (f == "assigned_on") {
    if (auto d = date_of(c.from)) {
      t.assigned_on = *d;
    }
  } else if (f == "assigner") {
    t.assigner = c.from.value_or("");
  } else if (f == "leader_id") {
    t.leader_id = c.from ? std::optional(number_of(c.from, 0)) : std::nullopt;
  } else if (f == "key_task") {
    t.key_task = c.from == "true";
  }
}

}  // namespace

void rewind(Task& task, std::span<const TaskEvent> later_events) {
  for (auto e = later_events.rbegin(); e != later_events.rend(); ++e) {
    if (e->kind == EventKind::created) {
      continue;  // a task registered later is left out by the caller; its first state stays
    }
    for (auto c = e->changes.rbegin(); c != e->changes.rend(); ++c) {
      undo(task, *c);
    }
  }
}

Bucket bucket_of(Timeliness t) {
  switch (t) {
    case Timeliness::done_on_time:
      return Bucket::done_on_time;
    case Timeliness::done_late:
      return Bucket::done_late;
    case Timeliness::overdue:
      return Bucket::open_overdue;
    case Timeliness::suspended:
      return Bucket::suspended;
    case Timeliness::cancelled:
      return Bucket::cancelled;
    case Timeliness::open_on_time:
    case Timeliness::due_soon:
    case Timeliness::no_deadline:
      return Bucket::open_on_time;
  }
  return Bucket::open_on_time;
}

void BucketCounts::add(Bucket b) {
  ++total;
  switch (b) {
    case Bucket::done_on_time:
      ++done_on_time;
      break;
    case Bucket::done_late:
      ++done_late;
      break;
    case Bucket::open_on_time:
      ++open_on_time;
      break;
    case Bucket::open_overdue:
      ++open_overdue;
      break;
    case Bucket::suspended:
      ++suspended;
      break;
    case Bucket::cancelled:
      ++cancelled;
      break;
  }
}

BucketCounts& BucketCounts::operator+=(const BucketCounts& o) {
  total += o.total;
  done_on_time += o.done_on_time;
  done_late += o.done_late;
  open_on_time += o.open_on_time;
  open_overdue += o.open_overdue;
  suspended += o.suspended;
  cancelled += o.cancelled;
  return *this;
}

std::optional<double> BucketCounts::on_time_rate() const {
  const auto done = done_on_time + done_late;
  if (done == 0) {
    return std::nullopt;
  }
  return static_cast<double>(done_on_time) / static_cast<double>(done);
}

bool BucketCounts::adds_up() const {
  return total == done_on_time + done_late + open_on_time + open_overdue + suspended + cancelled;
}

BucketCounts SummaryLine::total() const {
  BucketCounts t = carried_over;
  t += fresh;
  return t;
}

bool finished(const Task& task) {
  return task.state == LifecycleState::done || task.state == LifecycleState::cancelled;
}

SummaryBuilder::SummaryBuilder(const Classifier& classifier, ReportPeriod period)
    : classifier_(classifier) {
  summary_.period = period;
}

void SummaryBuilder::add_task(const Task& as_of, const Task& at_start, UnitId group_unit) {
  const ReportPeriod& p = summary_.period;
  BucketCounts SummaryLine::*section = nullptr;
  if (as_of.assigned_on < p.from) {
    // Finished before the period began: not carried over, but still among the tasks due in it
    // if its deadline falls within (done early).
    section = finished(at_start) ? nullptr : &SummaryLine::carried_over;
  } else if (!(p.to < as_of.assigned_on)) {
    section = &SummaryLine::fresh;
  } else {
    return;  // assigned after the period
  }
  const bool due_in_period = as_of.due_on && !(*as_of.due_on < p.from) && !(p.to < *as_of.due_on);
  if (section == nullptr && !due_in_period) {
    return;
  }
  const Bucket b = bucket_of(classifier_.classify(as_of, p.as_of));
  if (section == nullptr && b == Bucket::cancelled) {
    return;  // cancelled tasks are not among those due
  }
  auto count = [&](SummaryLine& line) {
    if (section != nullptr) {
      (line.*section).add(b);
    }
    if (due_in_period) {
      line.due_in_period.add(b);
    }
  };
  count(summary_.all);
  count(summary_.by_lead_unit[group_unit]);
  count(summary_.by_assigner[as_of.assigner]);
  if (as_of.key_task) {
    count(summary_.key_tasks);
  }
}

void DueCounts::add(Bucket b) {
  if (b == Bucket::cancelled) {
    return;
  }
  ++due;
  done_on_time += b == Bucket::done_on_time ? 1 : 0;
  done_late += b == Bucket::done_late ? 1 : 0;
  overdue += b == Bucket::open_overdue ? 1 : 0;
}

DueCounts& DueCounts::operator+=(const DueCounts& o) {
  due += o.due;
  done_on_time += o.done_on_time;
  done_late += o.done_late;
  overdue += o.overdue;
  return *this;
}

std::optional<double> DueCounts::done_rate() const {
  if (due == 0) {
    return std::nullopt;
  }
  return static_cast<double>(done()) / static_cast<double>(due);
}

void add_counts(Summary& into, const Summary& part) {
  auto add_line = [](SummaryLine& a, const SummaryLine& b) {
    a.carried_over += b.carried_over;
    a.fresh += b.fresh;
    a.due_in_period += b.due_in_period;
  };
  auto add_extensions = [](ExtensionCounts& a, const ExtensionCounts& b) {
    a.requested += b.requested;
    a.approved += b.approved;
    a.rejected += b.rejected;
    a.withdrawn += b.withdrawn;
    a.closed += b.closed;
    a.pending += b.pending;
    a.late += b.late;
  };
  add_line(into.all, part.all);
  add_line(into.key_tasks, part.key_tasks);
  for (const auto& [unit, line] : part.by_lead_unit) {
    add_line(into.by_lead_unit[unit], line);
  }
  for (const auto& [assigner, line] : part.by_assigner) {
    add_line(into.by_assigner[assigner], line);
  }
  add_extensions(into.extensions, part.extensions);
  for (const auto& [unit, counts] : part.extensions_by_unit) {
    add_extensions(into.extensions_by_unit[unit], counts);
  }
}

void SummaryBuilder::add_extension(const ExtensionRequest& r, UnitId group_unit) {
  for (ExtensionCounts* c : {&summary_.extensions, &summary_.extensions_by_unit[group_unit]}) {
    ++c->requested;
    c->late += r.late ? 1 : 0;
    switch (r.state) {
      case ExtensionState::pending:
        ++c->pending;
        break;
      case ExtensionState::approved:
        ++c->approved;
        break;
      case ExtensionState::rejected:
        ++c->rejected;
        break;
      case ExtensionState::withdrawn:
        ++c->withdrawn;
        break;
      case ExtensionState::closed:
        ++c->closed;
        break;
    }
  }
}

}  // namespace dondoc::domain
