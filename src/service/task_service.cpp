#include <algorithm>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/lifecycle.hpp"
#include "dondoc/domain/text.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/service/text.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

using domain::FieldErrors;

std::string clean(const std::string& s, const std::string& field) {
  return trim(normalize_nfc(s, field));
}

// The task to change, once the actor may change it and the client's version is current.
Task load_for_write(storage::WriteTx& tx, TaskId id, std::optional<std::int64_t> expected_version,
                    const Actor& actor, Operation op) {
  auto t = tx.find_task(id);
  if (!t) {
    throw domain::NotFound("task " + std::to_string(id) + " does not exist");
  }
  require_on_task(actor, op, *t);
  if (expected_version && *expected_version != t->version) {
    throw domain::VersionMismatch(
        "task " + std::to_string(id) + " is at version " + std::to_string(t->version) + ", not " +
        std::to_string(*expected_version) + "; read it again and reapply the change");
  }
  return *t;
}

// The notice an action sends, if any (a progress note, a suspension and a resumption send none).
std::optional<notify::Notice> notice_of(TaskAction action) {
  switch (action) {
    case TaskAction::report_completion:
      return notify::Notice::completion_reported;
    case TaskAction::confirm:
      return notify::Notice::task_confirmed;
    case TaskAction::reopen:
      return notify::Notice::task_reopened;
    case TaskAction::cancel:
      return notify::Notice::task_cancelled;
    case TaskAction::suspend:
    case TaskAction::resume:
    case TaskAction::note:
    case TaskAction::mark_key:
    case TaskAction::unmark_key:
      return std::nullopt;
  }
  return std::nullopt;
}

Operation operation_of(TaskAction action) {
  switch (action) {
    case TaskAction::report_completion:
      return Operation::task_report;
    case TaskAction::confirm:
      return Operation::task_confirm;
    case TaskAction::reopen:
      return Operation::task_reopen;
    case TaskAction::suspend:
      return Operation::task_suspend;
    case TaskAction::resume:
      return Operation::task_resume;
    case TaskAction::cancel:
      return Operation::task_cancel;
    case TaskAction::note:
      return Operation::task_note;
    case TaskAction::mark_key:
    case TaskAction::unmark_key:
      return Operation::task_mark_key;
  }
  return Operation::task_note;
}

// A deadline already set moves only on a decision: why, and the document that decided it. A
// first deadline, or an edit that leaves the deadline alone, needs neither.
void check_deadline_move(bool moved, const std::string& note, const std::string& decision_ref) {
  FieldErrors errors;
  if (moved && note.empty()) {
    errors.add("note", "is required when the deadline changes: say why it moves");
  }
  if (moved && decision_ref.empty()) {
    errors.add("decision_ref",
               "is required when the deadline changes: the document that decided it, e.g. "
               "45/TB-UBND");
  }
  if (!moved && !decision_ref.empty()) {
    errors.add("decision_ref", "is only for a change of the deadline");
  }
  errors.throw_if_any();
}

// A deadline the Office moves later on a decision made elsewhere (a leader's conclusion, a
// meeting) counts as an extension granted: a request of origin office, approved at once, with
// the deciding document, so that the extension lists and reports show it beside the others.
void record_direct_extension(const ServiceContext& ctx, storage::WriteTx& tx, const Actor& actor,
                             const Task& before, const Task& after, const std::string& reason,
                             const std::string& decision_ref, Date effective_on) {
  domain::ExtensionRequest r;
  r.task_id = after.id;
  r.unit_id = after.lead_unit_id;
  r.requested_by_user_id = actor.user_id.value_or(0);
  r.requested_by = actor.name;
  r.current_due_on = *before.due_on;
  r.proposed_due_on = *after.due_on;
  r.reason = reason;
  r.document_ref = decision_ref;
  r.state = domain::ExtensionState::approved;
  r.origin = domain::ExtensionOrigin::office;
  r.decided_by = actor.name;
  r.decided_at = after.updated_at;
  r.decided_due_on = after.due_on;
  r.created_at = r.updated_at = after.updated_at;
  r.filed_on = r.decided_on = effective_on;  // the day the decision it stands on took effect
  const auto id = tx.insert_extension(r);
  ctx.audit(tx, actor, "extension.record", "extension/" + std::to_string(id),
            "task/" + std::to_string(after.id) + ", " + decision_ref);
}

std::optional<storage::TaskSort> parse_sort(const std::string& text, bool& descending) {
  std::string name = text;
  descending = !name.empty() && name.front() == '-';
  if (descending) {
    name.erase(0, 1);
  }
  if (name.empty() || name == "id") {
    return storage::TaskSort::id;
  }
  if (name == "due_on") {
    return storage::TaskSort::due_on;
  }
  if (name == "assigned_on") {
    return storage::TaskSort::assigned_on;
  }
  return std::nullopt;
}

}  // namespace

void normalize_task(Task& t) {
  t.title = clean(t.title, "title");
  t.description = clean(t.description, "description");
  t.source_ref = clean(t.source_ref, "source_ref");
  t.source_title = clean(t.source_title, "source_title");
  t.assigner = clean(t.assigner, "assigner");
  t.completion_ref = clean(t.completion_ref, "completion_ref");
  t.cancel_reason = clean(t.cancel_reason, "cancel_reason");
}

void check_task_units(storage::ReadTx& tx, const Task& t) {
  FieldErrors errors;
  auto check = [&](UnitId id, const std::string& field) {
    if (id <= 0) {
      return;  // already reported by validate_task
    }
    auto u = tx.find_unit(id);
    if (!u) {
      errors.add(field, "unit " + std::to_string(id) + " does not exist");
    } else if (!u->active) {
      errors.add(field, "unit " + std::to_string(id) + " (" + u->name + ") is inactive" +
                            (u->successor_id
                                 ? "; its successor is unit " + std::to_string(*u->successor_id)
                                 : std::string()));
    }
  };
  check(t.lead_unit_id, "lead_unit_id");
  for (std::size_t i = 0; i < t.coordinating_unit_ids.size(); ++i) {
    check(t.coordinating_unit_ids[i], "coordinating_unit_ids[" + std::to_string(i) + "]");
  }
  errors.throw_if_any();
}

void check_leader(storage::ReadTx& tx, const std::optional<std::int64_t>& leader) {
  if (!leader) {
    return;
  }
  const auto user = tx.find_user(*leader);
  if (!user || user->role != domain::Role::leader) {
    throw domain::ValidationError("leader_id",
                                  "user " + std::to_string(*leader) + " is not a leader");
  }
  if (!user->active) {
    throw domain::ValidationError(
        "leader_id", "user " + std::to_string(*leader) + " (" + user->display_name + ") is locked");
  }
}

std::string task_search_text(const Task& t) {
  return fold_for_search(t.title + " \n " + t.source_ref + " \n " + t.source_title);
}

TaskView TaskService::view(const Task& task) const {
  const Date today = ctx_.today();
  return {task, classifier_.classify(task, today), classifier_.days_overdue(task, today)};
}

TaskView TaskService::create(const Actor& actor, NewTask in) {
  return run(ctx_.store, plan_create(actor, std::move(in)));
}

WritePlan<TaskView> TaskService::plan_create(const Actor& actor, NewTask in) {
  require(actor, Operation::task_create);
  const Date today = ctx_.today();
  auto t = std::make_shared<Task>();
  t->title = std::move(in.title);
  t->description = std::move(in.description);
  t->source_ref = std::move(in.source_ref);
  t->source_date = in.source_date;
  t->source_title = std::move(in.source_title);
  t->assigner = std::move(in.assigner);
  t->assigned_on = in.assigned_on.value_or(today);
  t->lead_unit_id = in.lead_unit_id;
  t->coordinating_unit_ids = std::move(in.coordinating_unit_ids);
  t->priority = in.priority;
  t->leader_id = in.leader_id;
  t->key_task = in.key_task;
  normalize_task(*t);
  t->due_on = domain::resolve_deadline(in.deadline, t->assigned_on, ctx_.calendar);
  domain::validate_task(*t);
  t->created_at = t->updated_at = ctx_.clock.now();
  // The event is built here too, so that the writer only writes.
  auto e = std::make_shared<domain::TaskEvent>();
  e->at = t->created_at;
  e->actor = actor.name;
  e->kind = domain::EventKind::created;
  e->effective_on = t->assigned_on;  // a task exists from its assignment, whenever entered
  e->changes = domain::diff(Task{}, *t);
  for (auto& c : e->changes) {
    c.from.reset();  // a new task's fields are set from nothing
  }
  return {[this, actor, t, e, search = task_search_text(*t), quiet = in.quiet,
           first_reminder = ctx_.first_reminder(*t)](storage::WriteTx& tx) {
            check_task_units(tx, *t);
            if (!t->leader_id) {  // the lead unit's leader in charge follows its new tasks
              const auto lead = tx.find_unit(t->lead_unit_id);
              t->leader_id = lead ? lead->leader_id : std::nullopt;
              if (t->leader_id) {
                e->changes.push_back({"leader_id", std::nullopt, std::to_string(*t->leader_id)});
              }
            }
            check_leader(tx, t->leader_id);
            t->id = tx.insert_task(*t, search, first_reminder);
            e->task_id = t->id;
            const auto event_id = tx.append_event(*e);
            if (!quiet) {
              queue_notice(ctx_, tx, notify::Notice::task_assigned, *t, event_id);
            }
            ctx_.audit(tx, actor, "task.create", "task/" + std::to_string(t->id));
          },
          [this, t] { return view(*t); }};
}

TaskView TaskService::get(const Actor& actor, TaskId id) {
  require(actor, Operation::task_read);
  std::optional<Task> t;
  ctx_.store.read([&](storage::ReadTx& tx) { t = tx.find_task(id); });
  if (!t || !can_see(actor, *t)) {
    throw domain::NotFound("task " + std::to_string(id) + " does not exist");
  }
  return view(*t);
}

TaskView TaskService::update(const Actor& actor, TaskId id, TaskPatch p,
                             std::optional<std::int64_t> expected_version) {
  return run(ctx_.store, plan_update(actor, id, std::move(p), expected_version));
}

WritePlan<TaskView> TaskService::plan_update(const Actor& actor, TaskId id, TaskPatch p,
                                             std::optional<std::int64_t> expected_version) {
  require(actor, Operation::task_edit);
  auto result = std::make_shared<Task>();
  const std::string note = clean(p.note, "note");
  const std::string decision_ref = clean(p.decision_ref, "decision_ref");
  if (domain::code_points(decision_ref) > 100) {
    throw domain::ValidationError("decision_ref", "must be at most 100 characters");
  }
  const Date today = ctx_.today();
  return {[this, id, p = std::move(p), expected_version, note, decision_ref, actor, today,
           result](storage::WriteTx& tx) {
            Task t = load_for_write(tx, id, expected_version, actor, Operation::task_edit);
            if (t.state == domain::LifecycleState::cancelled ||
                t.state == domain::LifecycleState::done) {
              throw domain::Conflict("task " + std::to_string(id) + " is " +
                                     std::string(domain::to_string(t.state)) +
                                     "; reopen it before editing");
            }
            const Task before = t;
            apply_if(p.title, t.title);
            apply_if(p.description, t.description);
            apply_if(p.source_ref, t.source_ref);
            apply_if(p.source_date, t.source_date);
            apply_if(p.source_title, t.source_title);
            apply_if(p.assigner, t.assigner);
            apply_if(p.assigned_on, t.assigned_on);
            apply_if(p.lead_unit_id, t.lead_unit_id);
            apply_if(p.coordinating_unit_ids, t.coordinating_unit_ids);
            apply_if(p.due_on, t.due_on);
            apply_if(p.priority, t.priority);
            apply_if(p.leader_id, t.leader_id);
            apply_if(p.key_task, t.key_task);
            normalize_task(t);
            domain::validate_task(t);
            const bool deadline_moved =
                !p.series_replan && before.due_on && t.due_on != before.due_on;
            check_deadline_move(deadline_moved, note, decision_ref);
            if (deadline_moved) {
              if (!t.original_due_on) {
                t.original_due_on = before.due_on;  // the first deadline the task ever had
              }
              if (t.due_on && *before.due_on < *t.due_on) {
                t.extension_count += 1;
              }
            }
            auto changes = domain::diff(before, t);
            if (changes.empty()) {
              *result = t;  // nothing to record; the version stays
              return;
            }
            const Date effective_on =
                effective_date_of_change(tx, before, changes, p.effective_on, today, today);
            check_task_units(tx, t);
            if (t.leader_id != before.leader_id) {
              check_leader(tx, t.leader_id);
            }
            t.version += 1;
            t.updated_at = ctx_.clock.now();
            tx.update_task(t, task_search_text(t));
            ctx_.reschedule(tx, t);
            if (deadline_moved && t.due_on && *before.due_on < *t.due_on) {
              record_direct_extension(ctx_, tx, actor, before, t, note, decision_ref, effective_on);
            }
            domain::TaskEvent e;
            e.task_id = id;
            e.at = t.updated_at;
            e.actor = actor.name;
            e.kind = domain::EventKind::updated;
            e.effective_on = effective_on;
            e.note = decision_ref.empty() ? note : note + " (" + decision_ref + ")";
            std::string fields;
            for (const auto& c : changes) {
              fields += (fields.empty() ? "" : ", ") + c.field;
            }
            e.changes = std::move(changes);
            tx.append_event(e);
            close_lapsed_extension(ctx_, tx, actor, t, effective_on);  // after the change
            ctx_.audit(tx, actor, "task.edit", "task/" + std::to_string(id), "fields: " + fields);
            *result = t;
          },
          [this, result] { return view(*result); }};
}

TaskView TaskService::act(const Actor& actor, TaskId id, TaskAction action, ActionInput in,
                          std::optional<std::int64_t> expected_version) {
  return run(ctx_.store, plan_act(actor, id, action, std::move(in), expected_version));
}

WritePlan<TaskView> TaskService::plan_act(const Actor& actor, TaskId id, TaskAction action,
                                          ActionInput in,
                                          std::optional<std::int64_t> expected_version) {
  const Operation op = operation_of(action);
  require(actor, op);
  const Date today = ctx_.today();
  const std::string note = clean(in.note, "note");
  if (action == TaskAction::note && note.empty()) {
    throw domain::ValidationError("note", "is required and must not be blank");
  }
  if (in.completion_ref) {
    in.completion_ref = clean(*in.completion_ref, "completion_ref");
  }
  const std::string reason = clean(in.reason, "reason");
  auto result = std::make_shared<Task>();
  return {[this, id, action, op, in = std::move(in), expected_version, today, note, reason, actor,
           result](storage::WriteTx& tx) {
            Task t = load_for_write(tx, id, expected_version, actor, op);
            const Task before = t;
            domain::EventKind kind{};
            switch (action) {
              case TaskAction::report_completion:
                kind = domain::report_completion(t, in.completed_on.value_or(today),
                                                 in.completion_ref.value_or(""), today);
                break;
              case TaskAction::confirm:
                kind = domain::confirm_completion(t, in.completed_on, in.completion_ref, today);
                break;
              case TaskAction::reopen:
                kind = domain::reopen(t);
                break;
              case TaskAction::suspend:
                kind = domain::suspend(t);
                break;
              case TaskAction::resume:
                kind = domain::resume(t);
                break;
              case TaskAction::cancel:
                kind = domain::cancel(t, reason);
                break;
              case TaskAction::note:
                kind = domain::check_progress_note_allowed(t);
                break;
              case TaskAction::mark_key:
              case TaskAction::unmark_key:
                if (t.key_task == (action == TaskAction::mark_key)) {
                  throw domain::Conflict("task " + std::to_string(id) +
                                         (t.key_task ? " is already" : " is not") + " a key task");
                }
                t.key_task = action == TaskAction::mark_key;
                kind = domain::EventKind::updated;
                break;
            }
            domain::validate_task(t);
            domain::TaskEvent e;
            e.task_id = id;
            e.at = ctx_.clock.now();
            e.actor = actor.name;
            e.kind = kind;
            e.note = note;
            e.changes = domain::diff(before, t);
            // A completion took effect the day the unit's report is dated.
            const bool completes = action == TaskAction::report_completion ||
                                   (action == TaskAction::confirm && t.completed_on);
            e.effective_on = effective_date_of_change(tx, before, e.changes, in.effective_on,
                                                      completes ? *t.completed_on : today, today);
            if (!e.changes.empty()) {
              // A progress note leaves the task as it is, so it does not bump the version and
              // cannot make another client's If-Match stale.
              t.version += 1;
              t.updated_at = e.at;
              tx.update_task(t, task_search_text(t));
              ctx_.reschedule(tx, t);
            }
            const auto event_id = tx.append_event(e);
            close_lapsed_extension(ctx_, tx, actor, t, *e.effective_on);
            if (auto notice = in.quiet ? std::nullopt : notice_of(action)) {
              queue_notice(ctx_, tx, *notice, t, event_id,
                           action == TaskAction::cancel ? "Lý do: " + t.cancel_reason : note);
            }
            ctx_.audit(tx, actor, to_string(op), "task/" + std::to_string(id));
            *result = t;
          },
          [this, result] { return view(*result); }};
}

TaskPage TaskService::list(const Actor& actor, const TaskListRequest& r) {
  require(actor, Operation::task_read);
  storage::TaskQuery q;
  if (actor.role == domain::Role::unit) {
    q.visible_to_unit = actor.unit_id.value_or(0);
  }
  q.states = r.states;
  q.timeliness = r.timeliness;
  q.today = ctx_.today();
  q.due_soon_until = classifier_.due_soon_until(q.today);
  q.extension_counts_as_on_time = ctx_.classify_policy.extension_counts_as_on_time;
  q.lead_unit_id = r.lead_unit_id;
  q.unit_id = r.unit_id;
  q.assigned_from = r.assigned_from;
  q.assigned_to = r.assigned_to;
  q.due_from = r.due_from;
  q.due_to = r.due_to;
  if (r.source_ref) {
    q.source_ref = clean(*r.source_ref, "source_ref");
  }
  if (r.assigner) {
    q.assigner = clean(*r.assigner, "assigner");
  }
  q.priority = r.priority;
  q.leader_id = r.leader_id;
  q.key_task = r.key_task;
  q.search_terms = search_terms_of(normalize_nfc(r.q, "q"), "q");
  auto sort = parse_sort(r.sort, q.descending);
  if (!sort) {
    throw domain::ValidationError("sort",
                                  "must be one of id, due_on, assigned_on, optionally "
                                  "prefixed with '-' for descending order");
  }
  q.sort = *sort;
  q.limit = page_limit(ctx_, r.limit);
  q.cursor = r.cursor;
  storage::PageResult<Task> page;
  ctx_.store.read([&](storage::ReadTx& tx) { page = tx.list_tasks(q); });
  TaskPage out;
  out.total = page.total;
  out.next = page.next;
  out.items.reserve(page.items.size());
  for (const auto& t : page.items) {
    out.items.push_back(view(t));
  }
  return out;
}

std::vector<domain::TaskEvent> TaskService::history(const Actor& actor, TaskId id) {
  require(actor, Operation::task_read);
  std::vector<domain::TaskEvent> events;
  bool exists = false;
  ctx_.store.read([&](storage::ReadTx& tx) {
    auto t = tx.find_task(id);
    exists = t && can_see(actor, *t);
    if (exists) {
      events = tx.task_history(id);
    }
  });
  if (!exists) {
    throw domain::NotFound("task " + std::to_string(id) + " does not exist");
  }
  return events;
}

}  // namespace dondoc::service
