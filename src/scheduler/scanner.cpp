#include "dondoc/scheduler/scanner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "dondoc/notify/digest.hpp"
#include "dondoc/notify/recipients.hpp"
#include "dondoc/notify/reminder_text.hpp"

namespace dondoc::scheduler {

namespace {

// A task that failed is tried again this much later, not at once, so that a poisoned task
// cannot keep the scanner busy.
constexpr auto kRetryFailedTaskAfter = std::chrono::hours(1);

std::shared_ptr<spdlog::logger> logger() {
  auto log = spdlog::get("scheduler");
  if (!log) {
    log = spdlog::default_logger()->clone("scheduler");
    spdlog::register_logger(log);
  }
  return log;
}

// The first working day of the ISO week that holds `day` (Monday, unless it is a day off).
domain::Date first_working_day_of_week(domain::Date day, const domain::WorkingCalendar& calendar) {
  domain::Date d = day - static_cast<int>(day.iso_weekday() - 1);
  for (int i = 0; i < 7 && !calendar.is_working_day(d); ++i) {
    d = d + 1;
  }
  return d;
}

// Whose tasks a digest covers: every task, or those of one leader in charge (and, when
// `or_no_leader`, those nobody is in charge of).
struct DigestScope {
  std::optional<std::int64_t> leader_id;
  bool or_no_leader = false;
};

// What a digest on `today` says: overdue tasks, open tasks due by Sunday, pending requests.
notify::DigestContent digest_content(storage::ReadTx& tx, domain::Date today, int lines,
                                     const DigestScope& scope) {
  notify::DigestContent c;
  auto line = [&](const domain::Task& t) {
    notify::DigestLine l;
    l.task_id = t.id;
    l.title = t.title;
    l.source_ref = t.source_ref;
    l.due_on = t.due_on.value_or(today);
    l.days = t.due_on ? today - *t.due_on : 0;
    if (auto u = tx.find_unit(t.lead_unit_id)) {
      l.lead_unit = u->name;
    }
    return l;
  };
  storage::TaskQuery overdue;
  overdue.timeliness = domain::Timeliness::overdue;
  overdue.today = today;
  overdue.due_soon_until = today;
  overdue.sort = storage::TaskSort::due_on;
  overdue.limit = lines;
  overdue.leader_id = scope.leader_id;
  overdue.or_no_leader = scope.or_no_leader;
  auto page = tx.list_tasks(overdue);
  c.overdue_total = page.total;
  for (const auto& t : page.items) {
    c.overdue.push_back(line(t));
  }
  storage::TaskQuery week;
  week.states = {domain::LifecycleState::open};
  week.today = today;
  week.due_soon_until = today;
  week.due_from = today;
  week.due_to = today + static_cast<int>(7 - today.iso_weekday());
  week.sort = storage::TaskSort::due_on;
  week.limit = lines;
  week.leader_id = scope.leader_id;
  week.or_no_leader = scope.or_no_leader;
  page = tx.list_tasks(week);
  c.due_this_week_total = page.total;
  for (const auto& t : page.items) {
    c.due_this_week.push_back(line(t));
  }
  storage::ExtensionQuery pending;
  pending.state = domain::ExtensionState::pending;
  pending.limit = lines;
  pending.leader_id = scope.leader_id;
  pending.or_no_leader = scope.or_no_leader;
  const auto requests = tx.list_extensions(pending);
  c.pending_total = requests.total;
  for (const auto& r : requests.items) {
    if (auto t = tx.find_task(r.task_id)) {
      auto l = line(*t);
      l.proposed = r.proposed_due_on.to_string();
      c.pending_extensions.push_back(std::move(l));
    }
  }
  return c;
}

// Who gets a digest of `role`, each address with the tasks it covers. The Office reads every task.
// A leader reads the tasks in their charge and, unless a Chairman is configured (who then reads
// every task), those nobody is in charge of.
std::vector<std::pair<std::string, DigestScope>> digest_readers(storage::ReadTx& tx,
                                                                domain::Role role,
                                                                const std::string& chairman) {
  std::vector<std::pair<std::string, DigestScope>> out;
  if (role != domain::Role::leader) {
    for (const auto& address : notify::role_addresses(tx, role)) {
      out.push_back({address, {}});
    }
    return out;
  }
  std::set<std::string> seen;
  for (const auto& u : storage::active_leaders(tx)) {
    if (u.email.empty() || !seen.insert(u.email).second) {
      continue;
    }
    if (!chairman.empty() && u.login == chairman) {
      out.push_back({u.email, {}});
    } else {
      out.push_back({u.email, {u.id, chairman.empty()}});
    }
  }
  return out;
}

}  // namespace

int Scanner::digests(domain::Instant now, std::optional<domain::Instant>& next) {
  const domain::Date today = zone_.today(clock_);
  const auto opening = [&](domain::Date d) {
    return zone_.start_of(d) + options_.policy.hours.start;
  };
  const auto next_working_day = [&](domain::Date d) {
    do {
      d = d + 1;
    } while (!calendar_.is_working_day(d));
    return d;
  };
  struct Plan {
    const char* kind;
    bool enabled;
    domain::Date day;        // the day this digest is for now
    domain::Date following;  // the day of the next one
    domain::Role role;
    notify::DigestKind digest;
  };
  const domain::Date week_day = first_working_day_of_week(today, calendar_);
  const domain::Date next_week_day = first_working_day_of_week(today + 7, calendar_);
  const Plan plans[] = {
      {"daily", options_.daily_digest,
       calendar_.is_working_day(today) ? today : next_working_day(today), next_working_day(today),
       domain::Role::leader, notify::DigestKind::daily},
      {"weekly", options_.weekly_digest, week_day <= today ? week_day : next_week_day,
       next_week_day, domain::Role::office, notify::DigestKind::weekly},
  };
  int queued = 0;
  for (const auto& p : plans) {
    if (!p.enabled) {
      continue;
    }
    store_.write([&](storage::WriteTx& tx) {
      const auto last = tx.digest_day(p.kind);
      const bool done = last && !(*last < p.day);
      if (done || now < opening(p.day) || today < p.day) {
        const domain::Date upcoming = done ? p.following : p.day;
        const auto at = opening(upcoming);
        next = next ? std::min(*next, at) : at;
        return;
      }
      const std::string key = std::string("digest/") + p.kind + "/" + p.day.to_string();
      // Each reader's own digest: a leader's covers the tasks in their charge (the Chairman's,
      // every task); the Office's covers everything. Nothing to say: no message.
      // Readers with the same scope (the Office's staff, say) share one reading of it.
      std::map<std::pair<std::int64_t, bool>, notify::MessageText> texts;
      for (const auto& [address, scope] : digest_readers(tx, p.role, options_.messages.chairman)) {
        const std::pair key_of_scope{scope.leader_id.value_or(0), scope.or_no_leader};
        auto it = texts.find(key_of_scope);
        if (it == texts.end()) {
          const auto content = digest_content(tx, today, options_.digest_lines, scope);
          it = texts
                   .emplace(key_of_scope, content.empty()
                                              ? notify::MessageText{}
                                              : notify::digest_text(p.digest, p.day, content,
                                                                    options_.messages.base_url))
                   .first;
        }
        const auto& text = it->second;
        if (text.subject.empty()) {
          continue;  // nothing to say: no message
        }
        queued += tx.enqueue(notify::email(key, address, std::string(p.kind) + "_digest",
                                           std::nullopt, text.subject, text.body,
                                           options_.messages.message_id_domain, now, now))
                      ? 1
                      : 0;
      }
      tx.set_digest_day(p.kind, p.day);
      const auto at = opening(p.following);
      next = next ? std::min(*next, at) : at;
    });
  }
  return queued;
}

Scanner::Scanner(storage::Store& store, const domain::Clock& clock, const domain::TimeZone& zone,
                 const domain::WorkingCalendar& calendar, ScannerOptions options)
    : store_(store),
      clock_(clock),
      zone_(zone),
      calendar_(calendar),
      options_(std::move(options)) {}

const domain::Unit& Scanner::unit(storage::ReadTx& tx, domain::UnitId id) {
  auto it = unit_cache_.find(id);
  if (it == unit_cache_.end()) {
    it = unit_cache_.emplace(id, tx.find_unit(id).value_or(domain::Unit{})).first;
  }
  return it->second;
}

PassResult Scanner::run_once() {
  addresses_ = notify::AddressBook(options_.messages.chairman);
  unit_cache_.clear();
  const auto deadline = clock_.monotonic() + options_.budget;
  const domain::Instant now = clock_.now();
  PassResult result;
  for (;;) {
    std::size_t found = 0;
    store_.write([&](storage::WriteTx& tx) {
      const auto ids = tx.tasks_due_for_reminder(now, options_.batch_size);
      found = ids.size();
      for (auto id : ids) {
        try {
          // Each task in a savepoint of its own: one that fails is undone alone.
          store_.write([&](storage::WriteTx& item) { result.queued += handle(item, id, now); });
          ++result.tasks;
        } catch (const std::exception& e) {
          ++result.failed;
          logger()->error("event=reminder_failed task_id={} error=\"{}\"", id, e.what());
          auto schedule = tx.reminder_schedule(id);
          schedule.next_at = now + kRetryFailedTaskAfter;
          tx.set_reminder_schedule(id, schedule);
        }
      }
    });
    if (found < static_cast<std::size_t>(options_.batch_size)) {
      break;
    }
    if (clock_.monotonic() >= deadline) {
      result.more = true;
      break;
    }
  }
  contributions(now, result);
  std::optional<domain::Instant> next_digest;
  try {
    result.queued += digests(now, next_digest);
  } catch (const std::exception& e) {
    ++result.failed;
    logger()->error("event=digest_failed error=\"{}\"", e.what());
    next_digest = now + kRetryFailedTaskAfter;
  }
  store_.read([&](storage::ReadTx& tx) {
    result.next_due = tx.earliest_reminder();
    const auto contribution = tx.earliest_contribution_reminder();
    if (contribution && (!result.next_due || *contribution < *result.next_due)) {
      result.next_due = contribution;
    }
  });
  if (next_digest && (!result.next_due || *next_digest < *result.next_due)) {
    result.next_due = next_digest;
  }
  if (result.tasks > 0 || result.failed > 0) {
    logger()->info("event=reminder_pass tasks={} queued={} failed={} more={}", result.tasks,
                   result.queued, result.failed, result.more);
  }
  return result;
}

int Scanner::handle(storage::WriteTx& tx, domain::TaskId id, domain::Instant now) {
  const auto task = tx.find_task(id);
  auto schedule = tx.reminder_schedule(id);
  if (!task) {
    return 0;
  }
  // Everything that came due since the last reminder handled; after a long sleep (or a
  // wall-clock jump forward) only the latest of each kind is worth sending.
  std::map<domain::ReminderKind, domain::Reminder> latest;
  domain::Instant through = schedule.reminded_through.value_or(task->created_at);
  auto r = domain::next_reminder(*task, options_.policy, calendar_, zone_, through);
  while (r && r->at <= now) {
    through = r->at;
    latest[r->kind] = *r;
    r = domain::next_reminder(*task, options_.policy, calendar_, zone_, through);
  }
  int queued = 0;
  if (!latest.empty()) {
    const domain::Unit& lead = unit(tx, task->lead_unit_id);
    const auto& messages = options_.messages;
    // Caught up after a stop over a weekend or a night, they are held until the window opens.
    for (const auto& [kind, reminder] : latest) {
      queued += notify::post(
          tx, addresses_, messages, options_.policy, calendar_, zone_, now, *task,
          {std::string(domain::to_string(kind)), reminder.occurrence,
           kind == domain::ReminderKind::escalated ? notify::Audience::leaders
                                                   : notify::Audience::task_units,
           lead.name,
           notify::reminder_text(reminder, *task, lead, messages.base_url, &messages.templates)});
    }
  }
  schedule.reminded_through = through;
  schedule.next_at = r ? std::optional<domain::Instant>(r->at) : std::nullopt;
  tx.set_reminder_schedule(id, schedule);
  return queued;
}

void Scanner::contributions(domain::Instant now, PassResult& result) {
  const auto deadline = clock_.monotonic() + options_.budget;
  for (;;) {
    std::size_t found = 0;
    store_.write([&](storage::WriteTx& tx) {
      const auto due = tx.contributions_due_for_reminder(now, options_.batch_size);
      found = due.size();
      for (const auto& c : due) {
        try {
          store_.write(
              [&](storage::WriteTx& item) { result.queued += handle_contribution(item, c, now); });
          ++result.tasks;
        } catch (const std::exception& e) {
          ++result.failed;
          logger()->error("event=reminder_failed task_id={} unit_id={} error=\"{}\"", c.task_id,
                          c.unit_id, e.what());
          auto retry = c;
          retry.next_reminder_at = now + kRetryFailedTaskAfter;
          tx.put_contribution(retry);
        }
      }
    });
    if (found < static_cast<std::size_t>(options_.batch_size) || clock_.monotonic() >= deadline) {
      result.more = result.more || found == static_cast<std::size_t>(options_.batch_size);
      return;
    }
  }
}

int Scanner::handle_contribution(storage::WriteTx& tx, domain::Contribution c,
                                 domain::Instant now) {
  const auto task = tx.find_task(c.task_id);
  const bool coordinates =
      task && std::find(task->coordinating_unit_ids.begin(), task->coordinating_unit_ids.end(),
                        c.unit_id) != task->coordinating_unit_ids.end();
  if (!coordinates || (task->state != domain::LifecycleState::open &&
                       task->state != domain::LifecycleState::reported)) {
    c.next_reminder_at.reset();  // nothing more to remind of
    tx.put_contribution(c);
    return 0;
  }
  const auto& hours = options_.policy.hours;
  domain::Instant through = c.reminded_through.value_or(c.updated_at);
  std::optional<domain::ContributionReminder> latest;
  auto r = domain::next_contribution_reminder(c, calendar_, zone_, hours, through);
  while (r && r->at <= now) {
    through = r->at;
    latest = r;  // after a long stop only the latest is worth sending
    r = domain::next_contribution_reminder(c, calendar_, zone_, hours, through);
  }
  int queued = 0;
  if (latest) {
    const domain::Unit& lead = unit(tx, task->lead_unit_id);
    const domain::Unit& helper = unit(tx, c.unit_id);
    notify::TaskMessage m{std::string(notify::contribution_event(*latest)),
                          "unit/" + std::to_string(c.unit_id) + "/" + latest->occurrence,
                          notify::Audience::one_unit,
                          lead.name,
                          notify::contribution_reminder_text(*latest, *task, helper, lead,
                                                             *c.due_on, options_.messages.base_url,
                                                             &options_.messages.templates),
                          c.unit_id};
    queued = notify::post(tx, addresses_, options_.messages, options_.policy, calendar_, zone_, now,
                          *task, m);
  }
  c.reminded_through = through;
  c.next_reminder_at = r ? std::optional<domain::Instant>(r->at) : std::nullopt;
  tx.put_contribution(c);
  return queued;
}

}  // namespace dondoc::scheduler
