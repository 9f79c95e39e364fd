#include "dondoc/service/reports.hpp"

#include <algorithm>
#include <thread>
#include <tuple>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/contributions.hpp"

namespace dondoc::service {

namespace {

using domain::Date;
using domain::Instant;
using domain::Task;
using domain::TaskEvent;
using domain::Unit;
using domain::UnitId;

// The units by id, and how each is named and grouped in a report as of a date: by the unit that
// led a task then (historic) or by today's successor (current).
class UnitBook {
 public:
  // `changes_after`: the units' recorded changes after the report's date, to name them as then.
  UnitBook(std::vector<Unit> units, const std::vector<domain::UnitEvent>& changes_after, GroupBy by)
      : by_(by) {
    for (auto& u : units) {
      names_then_.emplace(u.id, domain::name_before(u, changes_after));
      units_.emplace(u.id, std::move(u));
    }
  }

  // Today's unit for `id`: its successor's successor…, the last one that has none.
  UnitId current(UnitId id) const {
    for (int hops = 0; hops < 64; ++hops) {  // a cycle cannot be made, but never loop on one
      const auto it = units_.find(id);
      if (it == units_.end() || !it->second.successor_id) {
        return id;
      }
      id = *it->second.successor_id;
    }
    return id;
  }

  UnitId group(UnitId id) const { return by_ == GroupBy::current ? current(id) : id; }

  // A group's name: today's for current grouping; for historic grouping the name the unit had
  // then, and where that is not today's unit and name, "Sở Giao thông vận tải (nay là Sở Xây
  // dựng)".
  std::string display(UnitId id) const {
    const auto it = units_.find(id);
    if (it == units_.end()) {
      return "#" + std::to_string(id);
    }
    if (by_ == GroupBy::current) {
      return it->second.name;
    }
    const std::string& then = names_then_.at(id);
    const UnitId now_id = current(id);
    const auto now = units_.find(now_id);
    const std::string now_name =
        now == units_.end() ? "#" + std::to_string(now_id) : now->second.name;
    if (now_id == id && then == now_name) {
      return then;
    }
    return then + " (nay là " + now_name + ")";
  }

 private:
  GroupBy by_;
  std::map<UnitId, Unit> units_;
  std::map<UnitId, std::string> names_then_;
};

std::vector<domain::TaskId> ids_of(const std::vector<Task>& tasks) {
  std::vector<domain::TaskId> ids;
  ids.reserve(tasks.size());
  for (const Task& t : tasks) {
    ids.push_back(t.id);
  }
  return ids;
}

// Gives `add` each task `scan` reads, as it stood at `scan.before` (the end of
// as_of) and when the period began (`scan.changed_since`), rebuilt from the changes made since;
// most tasks have none (their updated_at says so), and are counted as they are. The others are
// kept aside, since their history is read by another statement.
void count_tasks_as_recorded(storage::ReadTx& tx, const storage::ReadTx::PeriodScan& scan,
                             const std::function<void(const Task&, const Task&)>& add) {
  const Instant cutoff = scan.before;
  std::vector<Task> changed;
  tx.for_each_task_of_period(scan, [&](const Task& now) {
    const bool carried_over_candidate = now.assigned_on < scan.from;
    // A task still at its first version has changed in nothing since it was registered (every
    // change bumps the version), so rewinding it gives itself: the common case of a register
    // imported late, with back-dated assignments, costs no history read.
    const bool never_changed = now.version == 1;
    if (!never_changed && (now.updated_at >= cutoff ||
                           (carried_over_candidate && now.updated_at >= scan.changed_since))) {
      changed.push_back(now);
      return;
    }
    add(now, now);
  });
  const auto history = tx.changes_since(ids_of(changed), scan.changed_since);
  for (const Task& now : changed) {
    const auto& events = history.at(now.id);
    const auto later = std::find_if(events.begin(), events.end(),
                                    [&](const TaskEvent& e) { return e.at >= cutoff; });
    Task then = now;
    domain::rewind(then, std::span(later, events.end()));
    Task at_start = then;
    if (then.assigned_on < scan.from) {
      domain::rewind(at_start, std::span(events.begin(), later));
    }
    add(then, at_start);
  }
}

// The same by the dates changes took effect, as of the end of `as_of`: a task whose changes all
// took effect by then (Task::effective_through) is counted as it is, unless it was carried over
// and changed within the period; the others are rewound through their whole history. A task
// assigned after `as_of` did not exist yet, whenever it was entered.
void count_tasks_as_effective(storage::ReadTx& tx, const storage::ReadTx::PeriodScan& scan,
                              Date as_of, const domain::TimeZone& zone,
                              const std::function<void(const Task&, const Task&)>& add) {
  const Date before_period = scan.from - 1;
  const auto add_if_assigned = [&](const Task& then, const Task& at_start) {
    if (!(as_of < then.assigned_on)) {
      add(then, at_start);
    }
  };
  std::vector<Task> changed;
  tx.for_each_task_of_period(scan, [&](const Task& now) {
    const auto through = now.effective_through;
    if (through && (as_of < *through || (now.assigned_on < scan.from && scan.from <= *through))) {
      changed.push_back(now);
      return;
    }
    add_if_assigned(now, now);
  });
  auto history = tx.changes_since(ids_of(changed), Instant{});
  for (const Task& now : changed) {
    auto& events = history.at(now.id);
    for (auto& e : events) {
      e.effective_on = domain::effective_date(e, zone);
    }
    Task then = now;
    domain::rewind_to_effective(then, events, as_of);
    Task at_start = now;
    domain::rewind_to_effective(at_start, events, before_period);
    add_if_assigned(then, at_start);
  }
}

// A unit's own view of a summary: its line as the leaders see it, and nothing of the others.
void confine_to_unit(domain::Summary& s, UnitId unit) {
  const auto line = s.by_lead_unit.find(unit);
  s.all = line == s.by_lead_unit.end() ? domain::SummaryLine{} : line->second;
  std::erase_if(s.by_lead_unit, [unit](const auto& entry) { return entry.first != unit; });
  s.by_assigner.clear();
  const auto filed = s.extensions_by_unit.find(unit);
  s.extensions = filed == s.extensions_by_unit.end() ? domain::ExtensionCounts{} : filed->second;
  std::erase_if(s.extensions_by_unit, [unit](const auto& entry) { return entry.first != unit; });
}

}  // namespace

int default_report_parts() {
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 4U));
}

Date ReportService::as_of_or_today(std::optional<Date> as_of) const {
  const Date today = ctx_.today();
  if (!as_of) {
    return today;
  }
  if (today < *as_of) {
    throw domain::ValidationError(
        "as_of", "is after today (" + today.to_string() + "); a report is as of today or before");
  }
  return *as_of;
}

Date ReportService::checked_as_of(const SummaryRequest& request) const {
  const Date as_of = as_of_or_today(request.as_of);
  if (request.to < request.from) {
    throw domain::ValidationError("to", "is before from (" + request.from.to_string() + ")");
  }
  if (as_of < request.from) {
    throw domain::ValidationError(
        "as_of", "is before from (" + request.from.to_string() + "); the period had not begun");
  }
  return as_of;
}

domain::Summary ReportService::count_part(storage::ReadTx& tx, const SummaryRequest& request,
                                          Date as_of, int part, int parts,
                                          std::map<UnitId, std::string>& names,
                                          std::vector<ExtensionLine>& requests) const {
  // "As of D" is the end of D, local time; the period begins at the start of `from`.
  const Instant cutoff = ctx_.zone.start_of(as_of + 1);
  const Instant period_start = ctx_.zone.start_of(request.from);
  const domain::Classifier classifier(ctx_.calendar, ctx_.classify_policy);
  const UnitBook units(tx.all_units(), tx.unit_changes_since(cutoff), request.group_by);
  domain::SummaryBuilder builder(classifier, {request.from, request.to, as_of});
  const domain::TaskId last = tx.last_task_id();
  storage::ReadTx::PeriodScan scan{cutoff, request.from, request.to, period_start};
  scan.first_id = last * part / parts + 1;
  scan.last_id = last * (part + 1) / parts;
  scan.basis = request.basis;
  scan.assigned_by = std::min(request.to, as_of);
  const auto add = [&](const Task& then, const Task& at_start) {
    if (!request.leader_id || then.leader_id == request.leader_id) {
      builder.add_task(then, at_start, units.group(then.lead_unit_id));
    }
  };
  if (request.basis == domain::AsOfBasis::recorded) {
    count_tasks_as_recorded(tx, scan, add);
  } else {
    count_tasks_as_effective(tx, scan, as_of, ctx_.zone, add);
  }
  if (part == 0) {
    // The period's requests, filed by the end of as_of: by the dates filing and deciding took
    // effect, or as the register had them.
    const Instant filed_until = std::min(cutoff, ctx_.zone.start_of(request.to + 1));
    const bool effective = request.basis == domain::AsOfBasis::effective;
    const auto filed = effective ? tx.extensions_filed_on(request.from, std::min(request.to, as_of),
                                                          period_start, filed_until)
                                 : tx.extensions_filed(period_start, filed_until);
    for (auto r : filed) {
      const auto decided_on = domain::decided_date(r, ctx_.zone);
      if (effective ? decided_on && as_of < *decided_on : r.decided_at && *r.decided_at >= cutoff) {
        r.state = domain::ExtensionState::pending;  // decided after as_of
        r.decided_at.reset();
        r.decided_due_on.reset();
        r.decided_by.clear();
        r.note.clear();
      }
      const auto task = tx.find_task(r.task_id);
      if (request.leader_id && (!task || task->leader_id != request.leader_id)) {
        continue;
      }
      const UnitId group = units.group(r.unit_id);
      builder.add_extension(r, group);
      requests.push_back(
          {r, task ? task->source_ref : "", task ? task->title : "", group, units.display(group)});
    }
    for (const auto& u : tx.all_units()) {
      names[units.group(u.id)] = units.display(units.group(u.id));
    }
  }
  return builder.summary();
}

SummaryReport ReportService::finish(std::optional<UnitId> scope, const SummaryRequest& request,
                                    domain::Summary summary,
                                    const std::map<UnitId, std::string>& names,
                                    std::vector<ExtensionLine> requests) const {
  SummaryReport report;
  report.group_by = request.group_by;
  report.basis = request.basis;
  report.summary = std::move(summary);
  report.extension_requests = std::move(requests);
  if (scope) {
    confine_to_unit(report.summary, *scope);
    std::erase_if(report.extension_requests,
                  [&](const ExtensionLine& l) { return l.unit_id != *scope; });
  }
  for (const auto& [id, _] : report.summary.by_lead_unit) {
    report.unit_names[id] = names.count(id) > 0 ? names.at(id) : "#" + std::to_string(id);
  }
  for (const auto& [id, _] : report.summary.extensions_by_unit) {
    report.unit_names[id] = names.count(id) > 0 ? names.at(id) : "#" + std::to_string(id);
  }
  return report;
}

SummaryReport ReportService::summary(const Actor& actor, const SummaryRequest& request) {
  const std::optional<UnitId> scope = require_scope(actor, Operation::report_read);
  const Date as_of = checked_as_of(request);
  // The tasks are counted in parts, side by side in one snapshot, each over a range of ids; the
  // first part also counts the extension requests and names the units.
  const int parts = std::max(ctx_.report_parts, 1);
  std::vector<domain::Summary> counted(static_cast<std::size_t>(parts));
  std::map<UnitId, std::string> names;
  std::vector<ExtensionLine> requests;
  ctx_.store.read_together(parts, [&](int part, storage::ReadTx& tx) {
    counted[static_cast<std::size_t>(part)] =
        count_part(tx, request, as_of, part, parts, names, requests);
  });
  for (std::size_t i = 1; i < counted.size(); ++i) {
    domain::add_counts(counted[0], counted[i]);
  }
  return finish(scope, request, std::move(counted[0]), names, std::move(requests));
}

SummaryReport ReportService::summary_within(storage::ReadTx& tx, const Actor& actor,
                                            const SummaryRequest& request) const {
  const std::optional<UnitId> scope = require_scope(actor, Operation::report_read);
  const Date as_of = checked_as_of(request);
  std::map<UnitId, std::string> names;
  std::vector<ExtensionLine> requests;
  auto counted = count_part(tx, request, as_of, 0, 1, names, requests);
  return finish(scope, request, std::move(counted), names, std::move(requests));
}

namespace {
// The most late contributions an overdue report lists (the oldest deadlines first).
constexpr int kMostLateContributions = 5000;
}  // namespace

// What the overdue appendix says of a task besides its figures: the leader in charge, the
// coordinating units, whether an extension was pending and the latest progress note, all as they
// stood at `cutoff`. A few reads per overdue task; the appendix has tens of lines, not thousands.
namespace {
void describe_overdue_line(storage::ReadTx& tx, const Task& then, const UnitBook& units, Date as_of,
                           domain::AsOfBasis basis, const domain::TimeZone& zone,
                           OverdueLine& line) {
  const Instant cutoff = zone.start_of(as_of + 1);
  if (then.leader_id) {
    if (const auto leader = tx.find_user(*then.leader_id)) {
      line.leader = leader->display_name;
    }
  }
  for (const UnitId id : then.coordinating_unit_ids) {
    line.coordinating_units.push_back(units.display(units.group(id)));
  }
  for (const auto& r : tx.task_extensions(then.id)) {
    bool filed = r.created_at < cutoff;
    bool undecided =
        r.state == domain::ExtensionState::pending || (r.decided_at && *r.decided_at >= cutoff);
    if (basis == domain::AsOfBasis::effective) {
      const auto decided_on = domain::decided_date(r, zone);
      filed = !(as_of < domain::filed_date(r, zone));
      undecided = !decided_on || as_of < *decided_on;
    }
    line.extension_pending = line.extension_pending || (filed && undecided);
  }
  for (const auto& e : tx.task_history(then.id)) {
    if (e.kind == domain::EventKind::progress_note && e.at < cutoff) {
      line.progress_on = domain::local_date(e.at, zone.utc_offset(e.at));
      line.progress_note = e.note;
    }
  }
}
}  // namespace

OverdueReport ReportService::overdue(const Actor& actor, std::optional<Date> as_of_date,
                                     GroupBy group_by, std::optional<std::int64_t> leader_id,
                                     domain::AsOfBasis basis) {
  const std::optional<UnitId> scope = require_scope(actor, Operation::report_read);
  OverdueReport report;
  report.as_of = as_of_or_today(as_of_date);
  report.basis = basis;
  const Instant cutoff = ctx_.zone.start_of(report.as_of + 1);
  const domain::Classifier classifier(ctx_.calendar, ctx_.classify_policy);
  ctx_.store.read([&](storage::ReadTx& tx) {
    const UnitBook units(tx.all_units(), tx.unit_changes_since(cutoff), group_by);
    std::vector<Task> candidates;
    const auto keep = [&](const Task& now) { candidates.push_back(now); };
    const bool as_recorded = basis == domain::AsOfBasis::recorded;
    if (as_recorded) {
      tx.for_each_overdue_candidate(report.as_of, cutoff, cutoff, keep);
    } else {
      tx.for_each_overdue_candidate_effective(report.as_of, keep);
    }
    std::vector<domain::TaskId> changed;
    for (const Task& t : candidates) {
      if (as_recorded ? t.updated_at >= cutoff
                      : t.effective_through && report.as_of < *t.effective_through) {
        changed.push_back(t.id);
      }
    }
    auto history = tx.changes_since(changed, as_recorded ? cutoff : Instant{});
    for (const Task& now : candidates) {
      Task then = now;
      if (const auto it = history.find(now.id); it != history.end()) {
        if (as_recorded) {
          domain::rewind(then, it->second);
        } else {
          for (auto& e : it->second) {
            e.effective_on = domain::effective_date(e, ctx_.zone);
          }
          domain::rewind_to_effective(then, it->second, report.as_of);
        }
      }
      if (report.as_of < then.assigned_on ||
          classifier.classify(then, report.as_of) != domain::Timeliness::overdue ||
          (scope && units.group(then.lead_unit_id) != *scope) ||
          (leader_id && then.leader_id != leader_id)) {
        continue;
      }
      OverdueLine line;
      line.task_id = then.id;
      line.source_ref = then.source_ref;
      line.source_date = then.source_date;
      line.title = then.title;
      line.lead_unit_id = units.group(then.lead_unit_id);
      line.lead_unit = units.display(line.lead_unit_id);
      line.due_on = *then.due_on;
      line.days_overdue = classifier.days_overdue(then, report.as_of);
      line.working_days_overdue =
          ctx_.calendar.working_days_between(*then.due_on, *then.due_on + line.days_overdue);
      line.extension_count = then.extension_count;
      line.leader_id = then.leader_id;
      line.key_task = then.key_task;
      describe_overdue_line(tx, then, units, report.as_of, basis, ctx_.zone, line);
      report.lines.push_back(std::move(line));
    }
    // The appendix: the coordinating units' input not sent by its own deadline.
    for (const auto& late : late_contributions(tx, report.as_of, kMostLateContributions, scope)) {
      if (leader_id && late.task.leader_id != leader_id) {
        continue;
      }
      const auto& c = late.view.contribution;
      report.late_contributions.push_back({late.task.id, late.task.source_ref, late.task.title,
                                           late.lead_unit_name, late.view.unit_name, *c.due_on,
                                           late.view.days_late});
    }
  });
  // The usual order: the longest overdue first, then by deadline and task.
  std::sort(report.lines.begin(), report.lines.end(), [](const auto& a, const auto& b) {
    return std::tie(b.days_overdue, a.due_on, a.task_id) <
           std::tie(a.days_overdue, b.due_on, b.task_id);
  });
  for (std::size_t i = 0; i < report.lines.size(); ++i) {
    report.lines[i].number = static_cast<int>(i + 1);
  }
  return report;
}

Scorecard ReportService::scorecard(const Actor& actor, int year, std::optional<Date> as_of,
                                   GroupBy group_by, domain::AsOfBasis basis) {
  const Date today = ctx_.today();
  const auto first = Date::from_ymd(year, 1, 1);
  if (!first || year < 2000 || today.year() < year) {
    throw domain::ValidationError(
        "year",
        "must be a year from 2000 to " + std::to_string(today.year()) + ", not after this one");
  }
  const Date last = *Date::from_ymd(year, 12, 31);
  const Date until = as_of.value_or(std::min(today, last));
  SummaryRequest request{*first, last, until, group_by, std::nullopt, basis};
  const SummaryReport year_report = summary(actor, request);  // checks the scope and as_of
  Scorecard card;
  card.year = year;
  card.as_of = year_report.summary.period.as_of;
  card.basis = basis;
  card.lines =
      domain::score_units(year_report.summary.by_lead_unit, year_report.summary.extensions_by_unit);
  card.total.due = year_report.summary.all.due_in_period;
  card.total.extensions_requested = year_report.summary.extensions.requested;
  card.total.extensions_approved = year_report.summary.extensions.approved;
  for (const auto& line : card.lines) {
    const auto name = year_report.unit_names.find(line.unit_id);
    card.unit_names[line.unit_id] =
        name == year_report.unit_names.end() ? "#" + std::to_string(line.unit_id) : name->second;
  }
  return card;
}

namespace {
// How far ahead a feed shows the deadlines of periodic series, and at most how many of each (a
// monthly series: a year).
constexpr int kPlannedFeedDays = 366;
constexpr std::size_t kPlannedPerSeries = 12;
constexpr int kSeriesPage = 500;
}  // namespace

DeadlineFeed ReportService::deadlines(const Actor& actor, domain::UnitId unit_id) {
  require_on_unit(actor, Operation::deadline_feed, unit_id);
  DeadlineFeed feed;
  ctx_.store.read([&](storage::ReadTx& tx) {
    auto unit = tx.find_unit(unit_id);
    if (!unit) {
      throw domain::NotFound("unit " + std::to_string(unit_id) + " does not exist");
    }
    feed.unit = *unit;
    for (auto id : tx.unfinished_tasks_of_unit(unit_id)) {
      auto t = tx.find_task(id);
      if (!t || !t->due_on ||
          (t->state != domain::LifecycleState::open &&
           t->state != domain::LifecycleState::reported)) {
        continue;  // suspended tasks have no running deadline
      }
      if (!feed.unit_names.count(t->lead_unit_id)) {
        const auto lead = tx.find_unit(t->lead_unit_id);
        feed.unit_names[t->lead_unit_id] = lead ? lead->name : "";
      }
      feed.tasks.push_back(std::move(*t));
    }
    const domain::Date horizon = ctx_.today() + kPlannedFeedDays;
    storage::SeriesQuery q;
    q.state = domain::SeriesState::active;
    q.unit_id = unit_id;
    q.limit = kSeriesPage;
    for (;;) {
      auto page = tx.list_series(q);
      for (auto& s : page.items) {
        int index = s.last_index;
        for (const auto& o : domain::upcoming(s, ctx_.calendar, kPlannedPerSeries)) {
          ++index;
          if (o.due_on > horizon) {
            break;
          }
          if (!feed.unit_names.count(s.pattern.lead_unit_id)) {
            const auto lead = tx.find_unit(s.pattern.lead_unit_id);
            feed.unit_names[s.pattern.lead_unit_id] = lead ? lead->name : "";
          }
          feed.planned.push_back({s, o, index});
        }
      }
      if (!page.next) {
        break;
      }
      q.cursor = page.next;
    }
  });
  return feed;
}

}  // namespace dondoc::service
