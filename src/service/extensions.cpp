#include "dondoc/service/extensions.hpp"

#include <algorithm>
#include <map>

#include "dondoc/domain/effective.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"
#include "dondoc/service/text.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

using domain::ExtensionRequest;
using domain::ExtensionState;

constexpr std::size_t kMaxReasonChars = 2000;
constexpr std::size_t kMaxDocumentRefChars = 100;

std::string clean_text(const std::string& text, const std::string& field, std::size_t max_chars,
                       bool multiline) {
  std::string out = trim(normalize_nfc(text, field));
  if (domain::code_points(out) > max_chars) {
    throw domain::ValidationError(field,
                                  "must be at most " + std::to_string(max_chars) + " characters");
  }
  if (domain::has_control_characters(out, multiline)) {
    throw domain::ValidationError(field, "must not contain control characters");
  }
  return out;
}

ExtensionRequest load_request(storage::ReadTx& tx, domain::ExtensionId id) {
  auto r = tx.find_extension(id);
  if (!r) {
    throw domain::NotFound("extension request " + std::to_string(id) + " does not exist");
  }
  return *r;
}

domain::Task load_task(storage::ReadTx& tx, TaskId id) {
  auto t = tx.find_task(id);
  if (!t) {
    throw domain::NotFound("task " + std::to_string(id) + " does not exist");
  }
  return *t;
}

// A request is visible to whoever may see its task; to anyone else it does not exist.
void require_visible(const Actor& actor, const ExtensionRequest& r, const domain::Task& task) {
  if (!can_see(actor, task)) {
    throw domain::NotFound("extension request " + std::to_string(r.id) + " does not exist");
  }
}

ExtensionView view_of(storage::ReadTx& tx, const ExtensionRequest& r, const domain::Task& task,
                      std::map<UnitId, std::string>& unit_names) {
  auto name = unit_names.find(r.unit_id);
  if (name == unit_names.end()) {
    const auto unit = tx.find_unit(r.unit_id);
    name = unit_names.emplace(r.unit_id, unit ? unit->name : std::string()).first;
  }
  return {r, task.title, task.source_ref, task.source_date, task.state, task.due_on, name->second};
}

ExtensionView view_of(storage::ReadTx& tx, const ExtensionRequest& r, const domain::Task& task) {
  std::map<UnitId, std::string> unit_names;
  return view_of(tx, r, task, unit_names);
}

const char* decision_name(ExtensionDecision d) {
  switch (d) {
    case ExtensionDecision::approve:
      return "approve";
    case ExtensionDecision::reject:
      return "reject";
    case ExtensionDecision::withdraw:
      return "withdraw";
  }
  return "decide";
}

}  // namespace

void close_lapsed_extension(const ServiceContext& ctx, storage::WriteTx& tx, const Actor& actor,
                            const Task& task, Date effective_on) {
  for (auto r : tx.task_extensions(task.id)) {
    const auto closure = domain::lapse_of(r, task);
    if (closure == domain::ExtensionClosure::none) {
      continue;
    }
    const auto now = ctx.clock.now();
    const std::string why = notify::extension_closure_text(closure);
    r.state = ExtensionState::closed;
    r.closure = closure;
    r.decided_at = now;
    // Not before it was filed: a change back-dated past the request still closes it after.
    r.decided_on = std::max({effective_on, task.assigned_on, domain::filed_date(r, ctx.zone)});
    r.note = "Tự đóng: " + why;
    r.updated_at = now;
    tx.update_extension(r);
    domain::TaskEvent e;
    e.task_id = task.id;
    e.at = now;
    e.actor = actor.name;
    e.kind = domain::EventKind::extension_closed;
    e.effective_on = r.decided_on;
    e.note = "extension request " + std::to_string(r.id) + ": " + r.note;
    const auto event_id = tx.append_event(e);
    // Told to the unit that asked, even when the task has gone to another unit since; to its
    // successor if it was merged away.
    Task addressed = task;
    const auto asked = tx.find_unit(r.unit_id);
    if (asked && asked->active) {
      addressed.lead_unit_id = r.unit_id;
    }
    queue_notice(ctx, tx, notify::Notice::extension_closed, addressed, event_id,
                 "Đề nghị gia hạn đến ngày " + domain::vn_date(r.proposed_due_on) +
                     " không còn cần quyết định: " + why + ".");
    ctx.audit(tx, actor, "extension.close", "extension/" + std::to_string(r.id),
              "task/" + std::to_string(task.id) + ", " + std::string(domain::to_string(closure)));
  }
}

WritePlan<ExtensionView> ExtensionService::plan_request(const Actor& actor, TaskId task_id,
                                                        NewExtension in) {
  require(actor, Operation::extension_request);
  domain::FieldErrors errors;
  if (!in.proposed_due_on) {
    errors.add("proposed_due_on", "is required: the deadline asked for, as YYYY-MM-DD");
  }
  errors.throw_if_any();
  auto r = std::make_shared<ExtensionRequest>();
  r->task_id = task_id;
  r->requested_by_user_id = actor.user_id.value_or(0);
  r->requested_by = actor.name;
  r->proposed_due_on = *in.proposed_due_on;
  r->reason = clean_text(in.reason, "reason", kMaxReasonChars, true);
  r->document_ref = clean_text(in.document_ref, "document_ref", kMaxDocumentRefChars, false);
  const Date today = ctx_.today();
  auto result = std::make_shared<ExtensionView>();
  return {[this, actor, r, today, result](storage::WriteTx& tx) {
            const domain::Task task = load_task(tx, r->task_id);
            require_on_task(actor, Operation::extension_request, task);
            int so_far = 0;
            bool pending = false;
            for (const auto& earlier : tx.task_extensions(task.id)) {
              so_far += domain::counts_towards_limit(earlier) ? 1 : 0;
              pending = pending || earlier.state == ExtensionState::pending;
            }
            r->late =
                domain::check_new_extension(task, r->proposed_due_on, r->reason, today, so_far,
                                            pending, ctx_.calendar, ctx_.extension_policy);
            r->unit_id = task.lead_unit_id;
            r->current_due_on = *task.due_on;
            r->created_at = r->updated_at = ctx_.clock.now();
            r->filed_on = std::max(today, task.assigned_on);
            r->id = tx.insert_extension(*r);
            domain::TaskEvent e;
            e.task_id = task.id;
            e.at = r->created_at;
            e.actor = actor.name;
            e.kind = domain::EventKind::extension_requested;
            e.effective_on = std::max(today, task.assigned_on);
            e.note = r->reason;
            e.changes = {
                {"proposed_due_on", r->current_due_on.to_string(), r->proposed_due_on.to_string()}};
            const auto event_id = tx.append_event(e);
            queue_notice(ctx_, tx, notify::Notice::extension_requested, task, event_id,
                         "Đề nghị gia hạn đến ngày " + domain::vn_date(r->proposed_due_on) +
                             ". Lý do: " + r->reason);
            ctx_.audit(tx, actor, "extension.request", "extension/" + std::to_string(r->id),
                       "task/" + std::to_string(task.id) + (r->late ? ", late" : ""));
            *result = view_of(tx, *r, task);
          },
          [result] { return *result; }};
}

WritePlan<ExtensionView> ExtensionService::plan_decide(const Actor& actor, domain::ExtensionId id,
                                                       ExtensionDecision decision,
                                                       DecisionInput in) {
  const Operation op = decision == ExtensionDecision::withdraw ? Operation::extension_withdraw
                                                               : Operation::extension_decide;
  require(actor, op);
  const std::string note = clean_text(in.note, "note", kMaxReasonChars, true);
  if (decision == ExtensionDecision::reject && note.empty()) {
    throw domain::ValidationError("note", "is required: say why the request is rejected");
  }
  if (decision != ExtensionDecision::approve && in.due_on) {
    throw domain::ValidationError("due_on", "is only for approving, with another date");
  }
  if (decision == ExtensionDecision::withdraw && in.effective_on) {
    throw domain::ValidationError("effective_on", "is only for a decision entered later");
  }
  auto result = std::make_shared<ExtensionView>();
  const Date today = ctx_.today();
  return {
      [this, actor, id, decision, op, in, note, today, result](storage::WriteTx& tx) {
        ExtensionRequest r = load_request(tx, id);
        domain::Task task = load_task(tx, r.task_id);
        require_visible(actor, r, task);
        require_on_task(actor, op, task);
        if (r.state != ExtensionState::pending) {
          throw domain::Conflict("extension request " + std::to_string(id) + " is already " +
                                 std::string(domain::to_string(r.state)) +
                                 (r.decided_by.empty() ? "" : " by " + r.decided_by));
        }
        const Date filed_on = domain::filed_date(r, ctx_.zone);
        if (in.effective_on && *in.effective_on < filed_on) {
          throw domain::ValidationError("effective_on", "is before the request was filed (" +
                                                            domain::vn_date(filed_on) + ")");
        }
        const domain::Task before = task;
        domain::TaskEvent e;
        e.task_id = task.id;
        e.at = ctx_.clock.now();
        e.actor = actor.name;
        e.note = note;
        switch (decision) {
          case ExtensionDecision::approve: {
            if (task.state != domain::LifecycleState::open || !task.due_on) {
              throw domain::Conflict("task " + std::to_string(task.id) + " is " +
                                     std::string(domain::to_string(task.state)) +
                                     "; only an open task's deadline can be moved");
            }
            const Date new_due = in.due_on.value_or(r.proposed_due_on);
            if (!(*task.due_on < new_due)) {
              throw domain::ValidationError(
                  "due_on", "must be later than the current deadline " + task.due_on->to_string());
            }
            if (!task.original_due_on) {
              task.original_due_on = task.due_on;
            }
            task.due_on = new_due;
            task.extension_count += 1;
            task.version += 1;
            task.updated_at = e.at;
            r.state = ExtensionState::approved;
            r.decided_due_on = new_due;
            e.kind = domain::EventKind::extension_approved;
            e.changes = domain::diff(before, task);
            tx.update_task(task, task_search_text(task));
            ctx_.reschedule(tx, task);
            break;
          }
          case ExtensionDecision::reject:
            r.state = ExtensionState::rejected;
            e.kind = domain::EventKind::extension_rejected;
            break;
          case ExtensionDecision::withdraw:
            r.state = ExtensionState::withdrawn;
            e.kind = domain::EventKind::extension_withdrawn;
            break;
        }
        e.effective_on =
            effective_date_of_change(tx, before, e.changes, in.effective_on, today, today);
        r.decided_by = actor.name;
        r.decided_at = e.at;
        r.decided_on = e.effective_on;
        r.note = note;
        r.updated_at = e.at;
        tx.update_extension(r);
        e.note = "extension request " + std::to_string(r.id) +
                 (note.empty() ? std::string() : ": " + note);
        const auto event_id = tx.append_event(e);
        if (decision != ExtensionDecision::withdraw) {
          queue_notice(ctx_, tx,
                       decision == ExtensionDecision::approve ? notify::Notice::extension_approved
                                                              : notify::Notice::extension_rejected,
                       task, event_id, note.empty() ? "" : "Ý kiến: " + note);
        }
        ctx_.audit(tx, actor, std::string("extension.") + decision_name(decision),
                   "extension/" + std::to_string(id), "task/" + std::to_string(task.id));
        *result = view_of(tx, r, task);
      },
      [result] { return *result; }};
}

ExtensionView ExtensionService::request(const Actor& actor, TaskId task, NewExtension in) {
  return run(ctx_.store, plan_request(actor, task, std::move(in)));
}

ExtensionView ExtensionService::decide(const Actor& actor, domain::ExtensionId id,
                                       ExtensionDecision decision, DecisionInput in) {
  return run(ctx_.store, plan_decide(actor, id, decision, std::move(in)));
}

ExtensionView ExtensionService::get(const Actor& actor, domain::ExtensionId id) {
  require(actor, Operation::extension_read);
  ExtensionView v;
  ctx_.store.read([&](storage::ReadTx& tx) {
    const auto r = load_request(tx, id);
    const auto task = load_task(tx, r.task_id);
    require_visible(actor, r, task);
    v = view_of(tx, r, task);
  });
  return v;
}

storage::PageResult<ExtensionView> ExtensionService::list(const Actor& actor,
                                                          const ExtensionListRequest& r) {
  require(actor, Operation::extension_read);
  storage::ExtensionQuery q;
  q.task_id = r.task_id;
  q.unit_id = r.unit_id;
  q.state = r.state;
  q.leader_id = r.leader_id;
  if (r.created_from) {
    q.created_from = ctx_.zone.start_of(*r.created_from);
  }
  if (r.created_to) {
    q.created_before = ctx_.zone.start_of(*r.created_to + 1);
  }
  if (actor.role == domain::Role::unit) {
    q.visible_to_unit = actor.unit_id.value_or(0);
  }
  q.limit = page_limit(ctx_, r.limit);
  q.cursor = r.cursor;
  storage::PageResult<ExtensionView> page;
  ctx_.store.read([&](storage::ReadTx& tx) {
    auto found = tx.list_extensions(q);
    page.total = found.total;
    page.next = std::move(found.next);
    std::map<UnitId, std::string> unit_names;
    for (const auto& request : found.items) {
      page.items.push_back(view_of(tx, request, load_task(tx, request.task_id), unit_names));
    }
  });
  return page;
}

}  // namespace dondoc::service
