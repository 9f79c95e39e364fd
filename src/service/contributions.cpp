#include "dondoc/service/contributions.hpp"

#include <algorithm>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"
#include "dondoc/service/text.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

using domain::Contribution;
using domain::LifecycleState;

constexpr int kMaxNote = 2000;

std::string clean(const std::string& s, const std::string& field) {
  return trim(normalize_nfc(s, field));
}

bool coordinates(const Task& t, UnitId unit) {
  return std::find(t.coordinating_unit_ids.begin(), t.coordinating_unit_ids.end(), unit) !=
         t.coordinating_unit_ids.end();
}

bool under_way(const Task& t) {
  return t.state == LifecycleState::open || t.state == LifecycleState::reported ||
         t.state == LifecycleState::suspended;
}

std::string unit_name(storage::ReadTx& tx, UnitId id) {
  const auto u = tx.find_unit(id);
  return u ? u->name : "đơn vị " + std::to_string(id);
}

ContributionView view_of(const Contribution& c, std::string name, Date today) {
  return {c, std::move(name), domain::contribution_state(c, today),
          domain::contribution_days_late(c, today)};
}

// The task for a write on its contribution of `unit_id`: visible, under way, `unit_id` one of
// its coordinating units.
Task load(storage::ReadTx& tx, const Actor& actor, Operation op, TaskId task_id, UnitId unit_id) {
  auto t = tx.find_task(task_id);
  if (!t) {
    throw domain::NotFound("task " + std::to_string(task_id) + " does not exist");
  }
  require_on_task(actor, op, *t);
  if (!coordinates(*t, unit_id)) {
    throw domain::NotFound("unit " + std::to_string(unit_id) +
                           " is not a coordinating unit of task " + std::to_string(task_id));
  }
  if (!under_way(*t)) {
    throw domain::Conflict("task " + std::to_string(task_id) + " is " +
                           std::string(domain::to_string(t->state)) +
                           ": its coordinating units' parts are closed");
  }
  return *t;
}

Contribution stored(storage::ReadTx& tx, TaskId task_id, UnitId unit_id) {
  for (auto& c : tx.contributions_of(task_id)) {
    if (c.unit_id == unit_id) {
      return c;
    }
  }
  Contribution c;
  c.task_id = task_id;
  c.unit_id = unit_id;
  return c;
}

}  // namespace

std::vector<ContributionView> contribution_views(storage::ReadTx& tx, const Task& task,
                                                 Date today) {
  std::vector<ContributionView> out;
  const auto rows = tx.contributions_of(task.id);
  for (const UnitId unit : task.coordinating_unit_ids) {
    Contribution c;
    c.task_id = task.id;
    c.unit_id = unit;
    for (const auto& row : rows) {
      c = row.unit_id == unit ? row : c;
    }
    out.push_back(view_of(c, unit_name(tx, unit), today));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.contribution.unit_id < b.contribution.unit_id;
  });
  return out;
}

std::vector<LateContribution> late_contributions(storage::ReadTx& tx, Date as_of, int limit,
                                                 std::optional<UnitId> visible_to_unit) {
  std::vector<LateContribution> out;
  // Rows of tasks finished by then, or of units no longer coordinating, are read and skipped.
  for (const auto& c : tx.late_contributions(as_of, limit * 4 + 100)) {
    if (static_cast<int>(out.size()) == limit) {
      break;
    }
    auto t = tx.find_task(c.task_id);
    if (!t || !coordinates(*t, c.unit_id)) {
      continue;
    }
    const bool then_under_way =
        t->state == LifecycleState::open || t->state == LifecycleState::reported ||
        (t->state == LifecycleState::done && t->completed_on && as_of < *t->completed_on);
    if (!then_under_way) {
      continue;
    }
    if (visible_to_unit && t->lead_unit_id != *visible_to_unit &&
        !coordinates(*t, *visible_to_unit)) {
      continue;
    }
    Contribution then = c;
    then.sent_on.reset();  // not sent by then
    out.push_back(
        {view_of(then, unit_name(tx, c.unit_id), as_of), *t, unit_name(tx, t->lead_unit_id)});
  }
  return out;
}

std::vector<ContributionView> ContributionService::list(const Actor& actor, TaskId task_id) {
  require(actor, Operation::task_read);
  std::vector<ContributionView> out;
  bool found = false;
  ctx_.store.read([&](storage::ReadTx& tx) {
    const auto t = tx.find_task(task_id);
    found = t && can_see(actor, *t);
    if (found) {
      out = contribution_views(tx, *t, ctx_.today());
    }
  });
  if (!found) {
    throw domain::NotFound("task " + std::to_string(task_id) + " does not exist");
  }
  return out;
}

std::vector<LateContribution> ContributionService::owed_by(const Actor& actor, UnitId unit_id) {
  require_on_unit(actor, Operation::task_read, unit_id);
  constexpr int kMostOwed = 500;
  std::vector<LateContribution> out;
  const Date today = ctx_.today();
  ctx_.store.read([&](storage::ReadTx& tx) {
    for (const auto& c : tx.contributions_owed_by(unit_id, kMostOwed)) {
      const auto t = tx.find_task(c.task_id);
      if (t && coordinates(*t, unit_id) && under_way(*t)) {
        out.push_back(
            {view_of(c, unit_name(tx, unit_id), today), *t, unit_name(tx, t->lead_unit_id)});
      }
    }
  });
  return out;
}

std::vector<ContributionView> ContributionService::set_deadline(const Actor& actor, TaskId task_id,
                                                                UnitId unit_id,
                                                                std::optional<Date> due_on,
                                                                std::string note) {
  return run(ctx_.store, plan_set_deadline(actor, task_id, unit_id, due_on, std::move(note)));
}

std::vector<ContributionView> ContributionService::mark_sent(const Actor& actor, TaskId task_id,
                                                             UnitId unit_id, SentInput input) {
  return run(ctx_.store, plan_mark_sent(actor, task_id, unit_id, std::move(input)));
}

WritePlan<std::vector<ContributionView>> ContributionService::plan_set_deadline(
    const Actor& actor, TaskId task_id, UnitId unit_id, std::optional<Date> due_on,
    std::string note) {
  require(actor, Operation::contribution_deadline);
  note = clean(note, "note");
  if (domain::code_points(note) > kMaxNote) {
    throw domain::ValidationError("note", "must be at most 2000 characters");
  }
  auto result = std::make_shared<std::vector<ContributionView>>();
  return {
      [this, actor, task_id, unit_id, due_on, note, result](storage::WriteTx& tx) {
        const Task t = load(tx, actor, Operation::contribution_deadline, task_id, unit_id);
        if (due_on && t.due_on && *t.due_on < *due_on) {
          throw domain::ValidationError(
              "due_on", "is after the task's own deadline (" + t.due_on->to_string() + ")");
        }
        if (due_on && *due_on < t.assigned_on) {
          throw domain::ValidationError(
              "due_on", "is before the task was assigned (" + t.assigned_on.to_string() + ")");
        }
        Contribution c = stored(tx, task_id, unit_id);
        if (c.sent_on) {
          throw domain::Conflict("unit " + std::to_string(unit_id) + " has sent its input already");
        }
        if (c.due_on == due_on) {
          throw domain::Conflict("unit " + std::to_string(unit_id) + " has that deadline already");
        }
        c.due_on = due_on;
        c.reminded_through = ctx_.clock.now();
        const auto next = domain::next_contribution_reminder(
            c, ctx_.calendar, ctx_.zone, ctx_.reminder_policy.hours, ctx_.clock.now());
        c.next_reminder_at = next ? std::optional<domain::Instant>(next->at) : std::nullopt;
        c.updated_at = ctx_.clock.now();
        tx.put_contribution(c);
        domain::TaskEvent e;
        e.task_id = task_id;
        e.at = ctx_.clock.now();
        e.actor = actor.name;
        e.kind = domain::EventKind::progress_note;
        e.effective_on = std::max(ctx_.today(), t.assigned_on);
        const std::string name = unit_name(tx, unit_id);
        e.note = due_on
                     ? "Thời hạn gửi ý kiến phối hợp của " + name + ": " + domain::vn_date(*due_on)
                     : "Bỏ thời hạn gửi ý kiến phối hợp của " + name;
        if (!note.empty()) {
          e.note += " (" + note + ")";
        }
        tx.append_event(e);
        ctx_.audit(tx, actor, "contribution.deadline",
                   "task/" + std::to_string(task_id) + "/unit/" + std::to_string(unit_id),
                   due_on ? due_on->to_string() : "none");
        *result = contribution_views(tx, t, ctx_.today());
      },
      [result] { return *result; }};
}

WritePlan<std::vector<ContributionView>> ContributionService::plan_mark_sent(const Actor& actor,
                                                                             TaskId task_id,
                                                                             UnitId unit_id,
                                                                             SentInput in) {
  require(actor, Operation::contribution_send);
  in.document_ref = clean(in.document_ref, "document_ref");
  in.note = clean(in.note, "note");
  if (in.document_ref.empty()) {
    throw domain::ValidationError("document_ref",
                                  "is required: the document the input was sent with");
  }
  if (domain::code_points(in.document_ref) > 200) {
    throw domain::ValidationError("document_ref", "must be at most 200 characters");
  }
  if (domain::code_points(in.note) > kMaxNote) {
    throw domain::ValidationError("note", "must be at most 2000 characters");
  }
  const Date today = ctx_.today();
  if (in.sent_on && today < *in.sent_on) {
    throw domain::ValidationError("sent_on", "is in the future");
  }
  auto result = std::make_shared<std::vector<ContributionView>>();
  return {[this, actor, task_id, unit_id, in, today, result](storage::WriteTx& tx) {
            const Task t = load(tx, actor, Operation::contribution_send, task_id, unit_id);
            if (actor.role == domain::Role::unit && actor.unit_id != unit_id) {
              throw domain::Forbidden("contribution.send",
                                      "only unit " + std::to_string(unit_id) +
                                          " itself (or the Office) may record its input");
            }
            const Date sent_on = in.sent_on.value_or(today);
            if (sent_on < t.assigned_on) {
              throw domain::ValidationError(
                  "sent_on", "is before the task was assigned (" + t.assigned_on.to_string() + ")");
            }
            Contribution c = stored(tx, task_id, unit_id);
            if (c.sent_on) {
              throw domain::Conflict("unit " + std::to_string(unit_id) +
                                     " has sent its input already, on " + c.sent_on->to_string());
            }
            c.sent_on = sent_on;
            c.sent_ref = in.document_ref;
            c.note = in.note;
            c.sent_by = actor.name;
            c.next_reminder_at.reset();
            c.updated_at = ctx_.clock.now();
            tx.put_contribution(c);
            domain::TaskEvent e;
            e.task_id = task_id;
            e.at = ctx_.clock.now();
            e.actor = actor.name;
            e.kind = domain::EventKind::progress_note;
            e.effective_on = std::max(sent_on, t.assigned_on);
            e.note = unit_name(tx, unit_id) + " đã gửi ý kiến phối hợp (văn bản số " +
                     in.document_ref + ", ngày " + domain::vn_date(sent_on) + ")" +
                     (in.note.empty() ? "" : ": " + in.note);
            const auto event_id = tx.append_event(e);
            queue_notice(ctx_, tx, notify::Notice::contribution_sent, t, event_id, e.note);
            ctx_.audit(tx, actor, "contribution.send",
                       "task/" + std::to_string(task_id) + "/unit/" + std::to_string(unit_id),
                       in.document_ref);
            *result = contribution_views(tx, t, today);
          },
          [result] { return *result; }};
}

}  // namespace dondoc::service
