#include <spdlog/spdlog.h>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"
#include "dondoc/service/series.hpp"
#include "dondoc/service/text.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

using domain::Occurrence;
using domain::SeriesId;
using domain::SeriesState;
using domain::TaskSeries;

// How many deadlines a series shows ahead of its tasks.
constexpr std::size_t kUpcomingShown = 12;
// Most tasks one series makes in one pass (a series started long ago catches up over a few
// passes instead of holding the writer).
constexpr int kMostTasksPerPass = 240;
// Series looked at in one pass.
constexpr int kMostSeriesPerPass = 2000;

std::string clean(const std::string& s, const std::string& field) {
  return trim(normalize_nfc(s, field));
}

bool finished(const Task& t) {
  return t.state == domain::LifecycleState::done || t.state == domain::LifecycleState::cancelled;
}

TaskSeries load(storage::ReadTx& tx, SeriesId id, std::optional<std::int64_t> expected_version) {
  auto s = tx.find_series(id);
  if (!s) {
    throw domain::NotFound("series " + std::to_string(id) + " does not exist");
  }
  if (expected_version && *expected_version != s->version) {
    throw domain::VersionMismatch(
        "series " + std::to_string(id) + " is at version " + std::to_string(s->version) + ", not " +
        std::to_string(*expected_version) + "; read it again and reapply the change");
  }
  return *s;
}

// The pattern checked as a task assigned on the day the rule starts (the earliest any of its
// tasks is assigned), so that a source document dated after it is caught now.
void validate_pattern(Task pattern, Date starts_on) {
  pattern.assigned_on = starts_on;
  pattern.due_on.reset();
  domain::validate_task(pattern);
}

// The rule must give at least one deadline, or the series would make nothing.
void require_a_deadline(const domain::RecurrenceRule& rule, const domain::WorkingCalendar& cal) {
  if (domain::occurrences(rule, cal, std::nullopt, 1).empty()) {
    throw domain::ValidationError(
        "rule.ends_on", "leaves no deadline after starts_on (" + rule.starts_on.to_string() + ")");
  }
}

bool involves(const Task& pattern, UnitId unit) {
  return pattern.lead_unit_id == unit ||
         std::find(pattern.coordinating_unit_ids.begin(), pattern.coordinating_unit_ids.end(),
                   unit) != pattern.coordinating_unit_ids.end();
}

bool can_see_series(const Actor& actor, const TaskSeries& s) {
  return actor.role != domain::Role::unit || (actor.unit_id && involves(s.pattern, *actor.unit_id));
}

}  // namespace

int SeriesService::make_tasks(storage::WriteTx& tx, TaskSeries& s, const Actor& actor) const {
  const Date today = ctx_.today();
  int made = 0;
  while (s.state == SeriesState::active) {
    const auto next = domain::upcoming(s, ctx_.calendar, 1);
    if (next.empty()) {
      s.state = SeriesState::finished;
      s.next_generate_on.reset();
      break;
    }
    const Date make_on = next[0].assigned_on - ctx_.series_horizon_days;
    if (make_on > today || made == kMostTasksPerPass) {
      s.next_generate_on = make_on > today ? make_on : today;
      break;
    }
    Task t = s.pattern;
    t.id = 0;
    t.assigned_on = next[0].assigned_on;
    t.due_on = next[0].due_on;
    t.state = domain::LifecycleState::open;
    t.version = 1;
    t.series_id = s.id;
    t.series_index = ++s.last_index;
    t.created_at = t.updated_at = ctx_.clock.now();
    t.id = tx.insert_task(t, task_search_text(t), ctx_.first_reminder(t));
    domain::TaskEvent e;
    e.task_id = t.id;
    e.at = t.created_at;
    e.actor = actor.name;
    e.kind = domain::EventKind::created;
    e.effective_on = t.assigned_on;
    e.note = "Nhiệm vụ định kỳ, kỳ thứ " + std::to_string(t.series_index);
    e.changes = domain::diff(Task{}, t);
    for (auto& c : e.changes) {
      c.from.reset();
    }
    const auto event_id = tx.append_event(e);
    queue_notice(ctx_, tx, notify::Notice::task_assigned, t, event_id);
    s.generated += 1;
    s.last_due_on = t.due_on;
    ++made;
  }
  if (s.state != SeriesState::active) {
    s.next_generate_on.reset();
  }
  return made;
}

SeriesView SeriesService::view(storage::ReadTx& tx, const TaskSeries& s, bool with_tasks) const {
  SeriesView v;
  v.series = s;
  v.upcoming = domain::upcoming(s, ctx_.calendar, with_tasks ? kUpcomingShown : 1);
  if (with_tasks) {
    for (const auto& t : tx.series_tasks(s.id)) {
      v.tasks.push_back(tasks_.view(t));
    }
  }
  return v;
}

SeriesView SeriesService::create(const Actor& actor, NewSeries input) {
  return run(ctx_.store, plan_create(actor, std::move(input)));
}

WritePlan<SeriesView> SeriesService::plan_create(const Actor& actor, NewSeries in) {
  require(actor, Operation::series_manage);
  auto s = std::make_shared<TaskSeries>();
  Task& p = s->pattern;
  p.title = std::move(in.pattern.title);
  p.description = std::move(in.pattern.description);
  p.source_ref = std::move(in.pattern.source_ref);
  p.source_date = in.pattern.source_date;
  p.source_title = std::move(in.pattern.source_title);
  p.assigner = std::move(in.pattern.assigner);
  p.lead_unit_id = in.pattern.lead_unit_id;
  p.coordinating_unit_ids = std::move(in.pattern.coordinating_unit_ids);
  p.priority = in.pattern.priority;
  p.leader_id = in.pattern.leader_id;
  p.key_task = in.pattern.key_task;
  normalize_task(p);
  s->rule = in.rule;
  s->rule.starts_on = in.starts_on.value_or(ctx_.today());
  domain::FieldErrors errors;
  try {
    validate_pattern(p, s->rule.starts_on);
  } catch (const domain::ValidationError& e) {
    for (const auto& f : e.errors()) {
      errors.add(f.field, f.message);
    }
  }
  try {
    domain::validate_rule(s->rule);
    require_a_deadline(s->rule, ctx_.calendar);
  } catch (const domain::ValidationError& e) {
    for (const auto& f : e.errors()) {
      errors.add(f.field, f.message);
    }
  }
  errors.throw_if_any();
  s->created_at = s->updated_at = ctx_.clock.now();
  auto result = std::make_shared<SeriesView>();
  return {[this, actor, s, result](storage::WriteTx& tx) {
            check_task_units(tx, s->pattern);
            if (!s->pattern.leader_id) {  // as for a task: the lead unit's leader in charge
              const auto lead = tx.find_unit(s->pattern.lead_unit_id);
              s->pattern.leader_id = lead ? lead->leader_id : std::nullopt;
            }
            check_leader(tx, s->pattern.leader_id);
            s->id = tx.insert_series(*s);
            make_tasks(tx, *s, actor);
            tx.update_series(*s);
            ctx_.audit(tx, actor, "series.create", "series/" + std::to_string(s->id));
            *result = view(tx, *s, true);
          },
          [result] { return *result; }};
}

SeriesView SeriesService::change(const Actor& actor, SeriesId id, SeriesChange change,
                                 std::optional<std::int64_t> expected_version) {
  return run(ctx_.store, plan_change(actor, id, std::move(change), expected_version));
}

WritePlan<SeriesView> SeriesService::plan_change(const Actor& actor, SeriesId id, SeriesChange c,
                                                 std::optional<std::int64_t> expected_version) {
  require(actor, Operation::series_manage);
  c.note = clean(c.note, "note");
  c.decision_ref = clean(c.decision_ref, "decision_ref");
  if (c.note.empty()) {
    throw domain::ValidationError("note", "is required: say why the series changes");
  }
  if (c.pattern.due_on || c.pattern.assigned_on) {
    throw domain::ValidationError(c.pattern.due_on ? "due_on" : "assigned_on",
                                  "is given by the series' rule; change the rule instead");
  }
  if (c.rule) {
    domain::RecurrenceRule probe = *c.rule;
    probe.starts_on = c.starts_on.value_or(Date::from_days(0));
    domain::validate_rule(probe);
  }
  auto result = std::make_shared<SeriesView>();
  return {[this, actor, id, c = std::move(c), expected_version, result](storage::WriteTx& tx) {
            TaskSeries s = load(tx, id, expected_version);
            if (s.state == SeriesState::stopped) {
              throw domain::Conflict("series " + std::to_string(id) +
                                     " was stopped; start a new series instead");
            }
            const Date today = ctx_.today();
            const auto made = tx.series_tasks(id);
            std::optional<Task> from;
            if (c.from_task_id) {
              for (const auto& t : made) {
                from = t.id == *c.from_task_id ? std::optional<Task>(t) : from;
              }
              if (!from) {
                throw domain::ValidationError("from_task_id",
                                              "task " + std::to_string(*c.from_task_id) +
                                                  " is not a task of series " + std::to_string(id));
              }
              if (finished(*from)) {
                throw domain::Conflict("task " + std::to_string(from->id) + " is " +
                                       std::string(domain::to_string(from->state)) +
                                       "; change the series from a later task");
              }
            } else if (!made.empty()) {
              throw domain::ValidationError(
                  "from_task_id",
                  "is required: the first task of the series the change applies to (earlier "
                  "ones keep their history)");
            }
            // The tasks the change reaches: from `from` on, those still to be done.
            std::vector<Task> reached;
            std::optional<Task> before_from;
            for (const auto& t : made) {
              if (from && t.series_index < from->series_index) {
                before_from = t;
              } else if (from && finished(t) && t.state == domain::LifecycleState::done) {
                throw domain::Conflict("task " + std::to_string(t.id) +
                                       " of the series is done; change the series from task " +
                                       std::to_string(t.id) + " on or a later one");
              } else if (from && !finished(t)) {
                reached.push_back(t);
              }
            }
            // The pattern.
            Task& p = s.pattern;
            apply_if(c.pattern.title, p.title);
            apply_if(c.pattern.description, p.description);
            apply_if(c.pattern.source_ref, p.source_ref);
            apply_if(c.pattern.source_date, p.source_date);
            apply_if(c.pattern.source_title, p.source_title);
            apply_if(c.pattern.assigner, p.assigner);
            apply_if(c.pattern.lead_unit_id, p.lead_unit_id);
            apply_if(c.pattern.coordinating_unit_ids, p.coordinating_unit_ids);
            apply_if(c.pattern.priority, p.priority);
            apply_if(c.pattern.leader_id, p.leader_id);
            apply_if(c.pattern.key_task, p.key_task);
            normalize_task(p);
            // The rule, from the period of `from` on.
            std::vector<Occurrence> planned;
            if (c.rule) {
              domain::RecurrenceRule rule = *c.rule;
              rule.starts_on = c.starts_on.value_or(from ? from->assigned_on : s.rule.starts_on);
              domain::validate_rule(rule);
              require_a_deadline(rule, ctx_.calendar);
              planned = domain::occurrences(
                  rule, ctx_.calendar, std::nullopt,
                  std::min<std::size_t>(
                      reached.size(),
                      static_cast<std::size_t>(rule.count.value_or(domain::kMaxSeriesCount))));
              s.rule = rule;
              s.generated = static_cast<int>(std::min(planned.size(), reached.size()));
              s.last_due_on = s.generated > 0 ? std::optional<Date>(planned[s.generated - 1].due_on)
                                              : (before_from ? before_from->due_on : std::nullopt);
              if (s.state == SeriesState::finished) {
                s.state = SeriesState::active;
              }
            }
            validate_pattern(p, s.rule.starts_on);
            check_task_units(tx, p);
            check_leader(tx, p.leader_id);
            // Each task reached, through the task's own edit (its history, notices, reminders).
            for (std::size_t i = 0; i < reached.size(); ++i) {
              const Task& t = reached[i];
              if (c.rule && i >= planned.size()) {
                ActionInput cancel;
                cancel.reason = "Lịch định kỳ thay đổi: " + c.note;
                tasks_.plan_act(actor, t.id, TaskAction::cancel, cancel, std::nullopt).apply(tx);
                continue;
              }
              TaskPatch patch = c.pattern;
              if (c.rule) {
                patch.assigned_on = planned[i].assigned_on;
                patch.due_on = std::optional<Date>(planned[i].due_on);
              }
              // A task not yet assigned is still a plan: its dates move without a decision.
              patch.series_replan = t.assigned_on > today;
              patch.note = c.note;
              patch.decision_ref = patch.series_replan ? "" : c.decision_ref;
              if (patch.series_replan && !c.decision_ref.empty()) {
                patch.note += " (" + c.decision_ref + ")";
              }
              const bool moves = c.rule && t.due_on != patch.due_on.value_or(std::nullopt);
              if (!patch.series_replan && !moves) {
                patch.decision_ref.clear();  // only a move of a deadline needs (or takes) one
                if (!c.decision_ref.empty()) {
                  patch.note += " (" + c.decision_ref + ")";
                }
              }
              tasks_.plan_update(actor, t.id, std::move(patch), std::nullopt).apply(tx);
            }
            s.version += 1;
            s.updated_at = ctx_.clock.now();
            make_tasks(tx, s, actor);
            tx.update_series(s);
            ctx_.audit(tx, actor, "series.change", "series/" + std::to_string(id), c.note);
            *result = view(tx, s, true);
          },
          [result] { return *result; }};
}

SeriesView SeriesService::stop(const Actor& actor, SeriesId id, std::string note,
                               std::optional<std::int64_t> expected_version) {
  return run(ctx_.store, plan_stop(actor, id, std::move(note), expected_version));
}

WritePlan<SeriesView> SeriesService::plan_stop(const Actor& actor, SeriesId id, std::string note,
                                               std::optional<std::int64_t> expected_version) {
  require(actor, Operation::series_manage);
  note = clean(note, "note");
  if (note.empty()) {
    throw domain::ValidationError("note", "is required: say why the series stops");
  }
  if (domain::code_points(note) > 2000) {
    throw domain::ValidationError("note", "must be at most 2000 characters");
  }
  auto result = std::make_shared<SeriesView>();
  return {[this, actor, id, note, expected_version, result](storage::WriteTx& tx) {
            TaskSeries s = load(tx, id, expected_version);
            if (s.state == SeriesState::stopped) {
              throw domain::Conflict("series " + std::to_string(id) + " is already stopped");
            }
            // Tasks made ahead and not yet assigned go; those under way stay, being real work.
            const Date today = ctx_.today();
            for (const auto& t : tx.series_tasks(id)) {
              if (t.state == domain::LifecycleState::open && t.assigned_on > today) {
                ActionInput cancel;
                cancel.reason = "Dừng nhiệm vụ định kỳ: " + note;
                tasks_.plan_act(actor, t.id, TaskAction::cancel, cancel, std::nullopt).apply(tx);
              }
            }
            s.state = SeriesState::stopped;
            s.next_generate_on.reset();
            s.stop_note = note;
            s.version += 1;
            s.updated_at = ctx_.clock.now();
            tx.update_series(s);
            ctx_.audit(tx, actor, "series.stop", "series/" + std::to_string(id), note);
            *result = view(tx, s, true);
          },
          [result] { return *result; }};
}

SeriesView SeriesService::get(const Actor& actor, SeriesId id) {
  require(actor, Operation::task_read);
  std::optional<SeriesView> v;
  ctx_.store.read([&](storage::ReadTx& tx) {
    auto s = tx.find_series(id);
    if (s && can_see_series(actor, *s)) {
      v = view(tx, *s, true);
    }
  });
  if (!v) {
    throw domain::NotFound("series " + std::to_string(id) + " does not exist");
  }
  std::erase_if(v->tasks, [&](const TaskView& t) { return !can_see(actor, t.task); });
  return *v;
}

SeriesPage SeriesService::list(const Actor& actor, const SeriesListRequest& r) {
  require(actor, Operation::task_read);
  storage::SeriesQuery q;
  q.state = r.state;
  q.unit_id = r.unit_id;
  if (actor.role == domain::Role::unit) {
    q.visible_to_unit = actor.unit_id.value_or(0);
  }
  q.limit = page_limit(ctx_, r.limit);
  q.cursor = r.cursor;
  SeriesPage out;
  ctx_.store.read([&](storage::ReadTx& tx) {
    auto page = tx.list_series(q);
    out.total = page.total;
    out.next = page.next;
    for (const auto& s : page.items) {
      out.items.push_back(view(tx, s, false));
    }
  });
  return out;
}

SeriesPass SeriesService::make_due_tasks() {
  SeriesPass pass;
  const Date today = ctx_.today();
  const Actor system = Actor::system();
  ctx_.store.write([&](storage::WriteTx& tx) {
    for (const SeriesId id : tx.series_due(today, kMostSeriesPerPass)) {
      ++pass.series;
      try {
        // Each series in a savepoint of its own: one that fails is undone alone.
        ctx_.store.write([&](storage::WriteTx& item) {
          auto s = item.find_series(id);
          if (!s) {
            return;
          }
          pass.tasks += make_tasks(item, *s, system);
          item.update_series(*s);
        });
      } catch (const std::exception& e) {
        ++pass.failed;
        service_logger()->error("event=series_failed series_id={} error=\"{}\"", id, e.what());
        if (auto s = tx.find_series(id)) {
          s->next_generate_on = today + 1;  // tried again tomorrow, not in a loop
          tx.update_series(*s);
        }
      }
    }
    pass.next_day = tx.next_series_day();
  });
  if (pass.tasks > 0 || pass.failed > 0) {
    service_logger()->info("event=series_pass series={} tasks={} failed={}", pass.series,
                           pass.tasks, pass.failed);
  }
  return pass;
}

}  // namespace dondoc::service
