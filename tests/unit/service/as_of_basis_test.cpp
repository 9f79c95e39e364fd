// The two kinds of "as of" (domain/effective.hpp) against a brute-force model. Random histories
// are played through the real services over a real SQLite file with an injected clock, many of
// their entries back-dated: tasks registered days after their assignment, completions reported
// late with the date of the unit's report, extensions and suspensions entered after the leader
// decided. The model keeps only the list of entries the services accepted (what each changed,
// the day it was entered and the day it took effect) and, for every day, replays them from
// scratch: all entered by that day for the register as it stood, all that took effect by that
// day for things as they were. The reports for every day, in both kinds, must say the same.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <set>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/extensions.hpp"
#include "dondoc/service/reports.hpp"
#include "dondoc/service/services.hpp"
#include "fake_clock.hpp"
#include "service_world.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using domain::AsOfBasis;
using domain::Date;
using domain::LifecycleState;
using domain::Task;

namespace {

// One accepted entry: the day it was entered, the day it took effect, and what it did to the
// task, written independently of the services.
struct Entry {
  domain::TaskId task = 0;
  Date entered;
  Date effective;
  std::function<void(Task&)> apply;
  bool registers = false;  // the entry that registered the task
};

class BackdatedHistory {
 public:
  explicit BackdatedHistory(unsigned seed) : rng_(seed) {
    service::UnitService units(world_.ctx);
    for (const char* name : {"Sở Xây dựng", "Sở Y tế", "UBND xã Tân Phú"}) {
      units_.push_back(
          units
              .create(service::Actor::system(),
                      {"U" + std::to_string(units_.size()), name, domain::UnitKind::department, {}})
              .id);
    }
  }

  void play(Date first, int days) {
    first_ = first;
    for (int d = 0; d < days; ++d) {
      const Date day = first + d;
      for (int step = 0; step < 5; ++step) {
        world_.clock.set(world_.zone.start_of(day) + 8h +
                         std::chrono::minutes(step * 60 + pick(50)));
        act(day);
      }
    }
    last_ = first + (days - 1);
    world_.clock.set(world_.zone.start_of(last_) + 20h);
  }

  Date first() const { return first_; }
  Date last() const { return last_; }
  service::ServiceContext& ctx() { return world_.ctx; }
  std::size_t entries() const { return entries_.size(); }
  std::size_t backdated() const {
    std::size_t n = 0;
    for (const auto& e : entries_) {
      n += e.effective < e.entered ? 1 : 0;
    }
    return n;
  }

  // Each task as it stood at the end of `day` in the kind `basis`; absent if it did not exist.
  std::map<domain::TaskId, Task> replay(Date day, AsOfBasis basis) const {
    std::map<domain::TaskId, Task> tasks;
    for (const auto& e : entries_) {
      const bool counts = basis == AsOfBasis::recorded ? !(day < e.entered) : !(day < e.effective);
      if (!counts) {
        continue;
      }
      // The task exists from the entry that registered it: once entered (register) or assigned.
      if (e.registers) {
        e.apply(tasks[e.task]);
      } else if (const auto it = tasks.find(e.task); it != tasks.end()) {
        e.apply(it->second);
      }
    }
    return tasks;
  }

  // What the report for [from, to] as of `as_of` must say, from the replays alone.
  domain::SummaryLine expected(Date from, Date to, Date as_of, AsOfBasis basis) const {
    const domain::Classifier classifier(world_.calendar, domain::ClassifyPolicy{});
    const auto then = replay(as_of, basis);
    const auto at_start = replay(from - 1, basis);
    domain::SummaryLine line;
    for (const auto& [id, t] : then) {
      if (t.assigned_on < from) {
        const auto before = at_start.find(id);
        if (before != at_start.end() && domain::finished(before->second)) {
          continue;
        }
        line.carried_over.add(domain::bucket_of(classifier.classify(t, as_of)));
      } else if (!(to < t.assigned_on)) {
        line.fresh.add(domain::bucket_of(classifier.classify(t, as_of)));
      }
    }
    return line;
  }

  std::set<domain::TaskId> expected_overdue(Date as_of, AsOfBasis basis) const {
    const domain::Classifier classifier(world_.calendar, domain::ClassifyPolicy{});
    std::set<domain::TaskId> out;
    for (const auto& [id, t] : replay(as_of, basis)) {
      if (classifier.classify(t, as_of) == domain::Timeliness::overdue) {
        out.insert(id);
      }
    }
    return out;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  // The current state of a task in the model: every entry applied in the order entered.
  Task now(domain::TaskId id) const { return replay(last_entered_, AsOfBasis::recorded).at(id); }

  void act(Date day) {
    const auto system = service::Actor::system();
    service::TaskService tasks(world_.ctx);
    last_entered_ = day;
    const int what = pick(12);
    // Half the entries are back-dated, by up to twelve days (never before the assignment).
    const auto back = [&](Date floor) { return std::max(floor, day - (pick(2) ? 0 : pick(13))); };
    try {
      if (what < 3 || ids_.empty()) {
        service::NewTask t;
        t.title = "Nhiệm vụ số " + std::to_string(ids_.size() + 1);
        t.assigner = "Chủ tịch UBND tỉnh";
        t.lead_unit_id = units_[static_cast<std::size_t>(pick(3))];
        const Date assigned = back(first_);
        t.assigned_on = assigned;
        const Date due = assigned + 3 + pick(25);
        t.deadline = domain::DeadlineSpec::on(due);
        const auto id = tasks.create(system, t).task.id;
        ids_.push_back(id);
        entries_.push_back({id, day, assigned,
                            [assigned, due](Task& m) {
                              m.assigned_on = assigned;
                              m.due_on = due;
                            },
                            true});
        return;
      }
      const auto id = ids_[static_cast<std::size_t>(pick(static_cast<int>(ids_.size())))];
      const Task m = now(id);
      service::ActionInput in;
      switch (what) {
        case 3:
        case 4: {  // the unit's report, dated when it was written
          const Date done = back(m.assigned_on);
          in.completed_on = done;
          in.completion_ref = "BC-" + std::to_string(id);
          tasks.act(system, id, service::TaskAction::report_completion, in, std::nullopt);
          entries_.push_back({id, day, done, [done](Task& t) {
                                t.state = LifecycleState::reported;
                                t.completed_on = done;
                              }});
          break;
        }
        case 5: {  // the Office confirms: done as of the report's date
          tasks.act(system, id, service::TaskAction::confirm, in, std::nullopt);
          entries_.push_back(
              {id, day, *m.completed_on, [](Task& t) { t.state = LifecycleState::done; }});
          break;
        }
        case 6: {  // found incomplete
          in.note = "Chưa đạt yêu cầu";
          in.effective_on = back(m.assigned_on);
          tasks.act(system, id, service::TaskAction::reopen, in, std::nullopt);
          entries_.push_back({id, day, *in.effective_on, [](Task& t) {
                                t.state = LifecycleState::open;
                                t.completed_on.reset();
                              }});
          break;
        }
        case 7: {
          in.effective_on = back(m.assigned_on);
          const bool suspending = m.state != LifecycleState::suspended;
          tasks.act(system, id,
                    suspending ? service::TaskAction::suspend : service::TaskAction::resume, in,
                    std::nullopt);
          entries_.push_back({id, day, *in.effective_on, [suspending](Task& t) {
                                t.state =
                                    suspending ? LifecycleState::suspended : LifecycleState::open;
                                if (suspending) {
                                  t.completed_on.reset();
                                }
                              }});
          break;
        }
        case 8: {
          in.reason = "Không còn phù hợp";
          in.effective_on = back(m.assigned_on);
          tasks.act(system, id, service::TaskAction::cancel, in, std::nullopt);
          entries_.push_back({id, day, *in.effective_on, [](Task& t) {
                                t.state = LifecycleState::cancelled;
                                t.completed_on.reset();
                              }});
          break;
        }
        default: {  // a deadline moved by a leader's decision, entered when the Office got it
          if (!m.due_on) {
            break;
          }
          service::TaskPatch p;
          const Date due = *m.due_on + 1 + pick(15);
          p.due_on = std::optional<Date>(due);
          p.note = "Gia hạn theo ý kiến lãnh đạo";
          p.decision_ref = "GH-" + std::to_string(entries_.size()) + "/UBND-VP";
          p.effective_on = back(m.assigned_on);
          tasks.update(system, id, p, std::nullopt);
          entries_.push_back({id, day, *p.effective_on, [due](Task& t) {
                                if (!t.original_due_on) {
                                  t.original_due_on = t.due_on;
                                }
                                t.due_on = due;
                                t.extension_count += 1;
                              }});
          break;
        }
      }
    } catch (const domain::Conflict&) {
      // not allowed in the task's state, or before a later change to the same field: nothing
      // was entered, and the model has nothing either
    } catch (const domain::ValidationError&) {
    }
  }

  std::mt19937 rng_;
  dondoc::testing::ServiceWorld world_{"2025-03-03T08:00:00+07:00"};
  std::vector<domain::UnitId> units_;
  std::vector<domain::TaskId> ids_;
  std::vector<Entry> entries_;
  Date first_;
  Date last_;
  Date last_entered_;
};

}  // namespace

TEST(AsOfBasis, BothKindsAgreeWithABruteForceReplayOnEveryDay) {
  for (unsigned seed : {11u, 12u, 13u}) {
    SCOPED_TRACE(seed);
    BackdatedHistory h(seed);
    constexpr int kDays = 70;
    h.play(*Date::parse("2025-03-03"), kDays);
    ASSERT_GT(h.backdated(), h.entries() / 5) << "the histories must be back-dated often";
    h.ctx().report_parts = static_cast<int>(seed % 3 + 1);  // 1-3 parts side by side
    service::ReportService reports(h.ctx());
    int differing_days = 0;
    for (Date day = h.first() + 1; !(h.last() < day); ++day) {
      for (const AsOfBasis basis : {AsOfBasis::effective, AsOfBasis::recorded}) {
        const std::string what = day.to_string() + " " + std::string(domain::to_string(basis));
        // A month to date, and a fixed period seen from each day after it began.
        const Date month_start = std::max(h.first() + 1, day - 29);
        for (const auto& [from, to] :
             {std::pair{month_start, day}, std::pair{h.first() + 20, h.first() + 45}}) {
          if (day < from) {
            continue;
          }
          service::SummaryRequest r{from, to, day};
          r.basis = basis;
          const auto got = reports.summary(service::Actor::system(), r).summary.all;
          const auto want = h.expected(from, to, day, basis);
          EXPECT_EQ(got.carried_over, want.carried_over) << what << " from " << from.to_string();
          EXPECT_EQ(got.fresh, want.fresh) << what << " from " << from.to_string();
        }
        std::set<domain::TaskId> overdue;
        for (const auto& line :
             reports.overdue(service::Actor::system(), day, {}, std::nullopt, basis).lines) {
          overdue.insert(line.task_id);
        }
        EXPECT_EQ(overdue, h.expected_overdue(day, basis)) << what;
      }
      const auto effective = h.expected(day - 10, day, day, AsOfBasis::effective);
      const auto recorded = h.expected(day - 10, day, day, AsOfBasis::recorded);
      differing_days +=
          effective.carried_over == recorded.carried_over && effective.fresh == recorded.fresh ? 0
                                                                                               : 1;
    }
    EXPECT_GT(differing_days, kDays / 3) << "the two kinds must often tell different stories";
  }
}

// The example: registered in December, assigned in June, completed in August. A July
// report of things as they were counts it open; the register of July did not have it.
TEST(AsOfBasis, ATaskRegisteredLateExistsAsOfItsAssignmentNotAsOfItsEntry) {
  dondoc::testing::ServiceWorld world("2025-12-10T09:00:00+07:00");
  service::ServiceContext& ctx = world.ctx;
  const auto system = service::Actor::system();
  const auto unit = service::UnitService(ctx).create(
      system, {"SXD", "Sở Xây dựng", domain::UnitKind::department, {}});
  service::TaskService tasks(ctx);
  service::NewTask t;
  t.title = "Rà soát quy hoạch vật liệu xây dựng";
  t.assigner = "Chủ tịch UBND tỉnh";
  t.assigned_on = *Date::parse("2025-06-02");
  t.lead_unit_id = unit.id;
  t.deadline = domain::DeadlineSpec::on(*Date::parse("2025-08-29"));
  const auto id = tasks.create(system, t).task.id;
  service::ActionInput done;
  done.completed_on = *Date::parse("2025-08-15");
  done.completion_ref = "215/BC-SXD";
  tasks.act(system, id, service::TaskAction::confirm, done, std::nullopt);

  service::ReportService reports(ctx);
  service::SummaryRequest july{*Date::parse("2025-07-01"), *Date::parse("2025-07-31"),
                               *Date::parse("2025-07-31")};
  const auto effective = reports.summary(system, july).summary.all;
  EXPECT_EQ(effective.carried_over.open_on_time, 1);
  EXPECT_EQ(effective.total().total, 1);
  july.basis = AsOfBasis::recorded;
  EXPECT_EQ(reports.summary(system, july).summary.all.total().total, 0);
  // In August, done on time as things were; still unknown to the register of August.
  service::SummaryRequest august{*Date::parse("2025-08-01"), *Date::parse("2025-08-31"),
                                 *Date::parse("2025-08-31")};
  EXPECT_EQ(reports.summary(system, august).summary.all.carried_over.done_on_time, 1);
  august.basis = AsOfBasis::recorded;
  EXPECT_EQ(reports.summary(system, august).summary.all.total().total, 0);

  // Both dates are in the history.
  const auto history = tasks.history(system, id);
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(history[0].effective_on, *Date::parse("2025-06-02"));
  EXPECT_EQ(history[1].effective_on, *Date::parse("2025-08-15"));
  EXPECT_EQ(domain::local_date(history[1].at, 7h), *Date::parse("2025-12-10"));
}

TEST(AsOfBasis, AnEffectiveDateIsNeitherInTheFutureNorBeforeTheAssignmentNorBeforeALaterChange) {
  dondoc::testing::ServiceWorld world("2025-05-20T09:00:00+07:00");
  service::ServiceContext& ctx = world.ctx;
  const auto system = service::Actor::system();
  const auto unit = service::UnitService(ctx).create(
      system, {"SYT", "Sở Y tế", domain::UnitKind::department, {}});
  service::TaskService tasks(ctx);
  service::NewTask t;
  t.title = "Báo cáo công tác phòng chống dịch";
  t.assigner = "Chủ tịch UBND tỉnh";
  t.assigned_on = *Date::parse("2025-04-01");
  t.lead_unit_id = unit.id;
  t.deadline = domain::DeadlineSpec::on(*Date::parse("2025-04-30"));
  const auto id = tasks.create(system, t).task.id;
  const auto field_of = [](const domain::ValidationError& e) { return e.errors().at(0).field; };

  service::ActionInput in;
  in.effective_on = *Date::parse("2025-05-21");
  try {
    tasks.act(system, id, service::TaskAction::suspend, in, std::nullopt);
    ADD_FAILURE() << "a change taking effect tomorrow was accepted";
  } catch (const domain::ValidationError& e) {
    EXPECT_EQ(field_of(e), "effective_on");
    EXPECT_NE(std::string(e.what()).find("future"), std::string::npos) << e.what();
  }
  in.effective_on = *Date::parse("2025-03-31");
  EXPECT_THROW(tasks.act(system, id, service::TaskAction::suspend, in, std::nullopt),
               domain::ValidationError);

  // Suspended with effect from 10 May; a cancellation may not then take effect on 5 May.
  in.effective_on = *Date::parse("2025-05-10");
  tasks.act(system, id, service::TaskAction::suspend, in, std::nullopt);
  in.effective_on = *Date::parse("2025-05-05");
  in.reason = "Không còn phù hợp";
  try {
    tasks.act(system, id, service::TaskAction::cancel, in, std::nullopt);
    ADD_FAILURE() << "a change to the state before a later one was accepted";
  } catch (const domain::Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("10/05/2025"), std::string::npos) << e.what();
  }
  // Another field may: the deadline was extended on 2 May by a decision entered today.
  service::TaskPatch p;
  p.due_on = std::optional<Date>(*Date::parse("2025-06-30"));
  p.note = "Gia hạn";
  p.decision_ref = "112/UBND-VP";
  p.effective_on = *Date::parse("2025-05-02");
  EXPECT_EQ(tasks.update(system, id, p, std::nullopt).task.due_on, p.due_on.value());
  service::ReportService reports(ctx);
  // On 3 May: open, with the new deadline; on 1 May overdue against the old one.
  const auto overdue_on = [&](const char* day) {
    return reports.overdue(system, *Date::parse(day), {}).lines.size();
  };
  EXPECT_EQ(overdue_on("2025-05-01"), 1U);
  EXPECT_EQ(overdue_on("2025-05-03"), 0U);
}

// Extension requests by the dates filing and deciding took effect: a leader's decision entered
// days after it was taken, and an extension the Office records months later on a decision of
// January (as an imported register does). Reports as things were count them on those dates;
// reports as the register stood, on the days they were entered.
TEST(AsOfBasis, ExtensionRequestsCountOnTheDaysTheyWereFiledAndDecided) {
  dondoc::testing::ServiceWorld world("2025-02-10T09:00:00+07:00");
  service::ServiceContext& ctx = world.ctx;
  const auto system = service::Actor::system();
  const auto unit = service::UnitService(ctx).create(
      system, {"SXD", "Sở Xây dựng", domain::UnitKind::department, {}});
  service::TaskService tasks(ctx);
  const auto task = [&](const char* title) {
    service::NewTask t;
    t.title = title;
    t.source_ref = "12/TB-UBND";
    t.assigner = "Chủ tịch UBND tỉnh";
    t.assigned_on = *Date::parse("2025-01-06");
    t.lead_unit_id = unit.id;
    t.deadline = domain::DeadlineSpec::on(*Date::parse("2025-02-28"));
    return tasks.create(system, t).task.id;
  };
  const auto asked = task("Hoàn thành giải phóng mặt bằng tuyến tránh Quốc lộ 1");
  const auto moved = task("Lập quy hoạch bến xe khách phía Nam");
  service::ExtensionService extensions(ctx);
  service::NewExtension request;
  request.proposed_due_on = *Date::parse("2025-03-31");
  request.reason = "Chờ ý kiến của Bộ Xây dựng";
  const auto filed = extensions.request(system, asked, request);
  // Approved on 12/02, entered on 20/02.
  world.clock.set(world.clock.now() + 10 * 24h);
  service::DecisionInput decision;
  decision.effective_on = *Date::parse("2025-02-12");
  extensions.decide(system, filed.request.id, service::ExtensionDecision::approve, decision);
  // Moved on a decision of 20/01, entered on 20/02.
  service::TaskPatch patch;
  patch.due_on = std::optional<Date>(*Date::parse("2025-04-30"));
  patch.note = "Gia hạn (theo sổ theo dõi nhiệm vụ)";
  patch.decision_ref = "30/UBND-VP";
  patch.effective_on = *Date::parse("2025-01-20");
  tasks.update(system, moved, patch, std::nullopt);

  service::ReportService reports(ctx);
  const auto requests = [&](const char* from, const char* to, AsOfBasis basis) {
    service::SummaryRequest r{*Date::parse(from), *Date::parse(to), *Date::parse(to)};
    r.basis = basis;
    const auto report = reports.summary(system, r);
    std::map<domain::TaskId, domain::ExtensionState> out;
    for (const auto& line : report.extension_requests) {
      out[line.request.task_id] = line.request.state;
    }
    EXPECT_EQ(report.summary.extensions.requested, static_cast<std::int64_t>(out.size()));
    return out;
  };
  using State = domain::ExtensionState;
  using Lines = std::map<domain::TaskId, State>;
  EXPECT_EQ(requests("2025-02-01", "2025-02-15", AsOfBasis::effective),
            (Lines{{asked, State::approved}}));
  EXPECT_EQ(requests("2025-02-01", "2025-02-15", AsOfBasis::recorded),
            (Lines{{asked, State::pending}}));
  EXPECT_EQ(requests("2025-02-01", "2025-02-11", AsOfBasis::effective),
            (Lines{{asked, State::pending}}));
  EXPECT_EQ(requests("2025-01-01", "2025-01-31", AsOfBasis::effective),
            (Lines{{moved, State::approved}}));
  EXPECT_EQ(requests("2025-01-01", "2025-01-31", AsOfBasis::recorded), Lines{});
  EXPECT_EQ(requests("2025-02-16", "2025-02-20", AsOfBasis::recorded),
            (Lines{{moved, State::approved}}))
      << "the register had the Office's extension from the day it was entered";

  const auto stored = extensions.get(system, filed.request.id).request;
  EXPECT_EQ(stored.filed_on, *Date::parse("2025-02-10"));
  EXPECT_EQ(stored.decided_on, *Date::parse("2025-02-12"));

  // A decision cannot have been taken before the request it answers was filed.
  request.proposed_due_on = *Date::parse("2025-04-30");
  const auto again = extensions.request(system, asked, request);
  decision.effective_on = *Date::parse("2025-02-19");
  try {
    extensions.decide(system, again.request.id, service::ExtensionDecision::approve, decision);
    ADD_FAILURE() << "a decision dated before its request was accepted";
  } catch (const domain::ValidationError& e) {
    EXPECT_EQ(e.errors().at(0).field, "effective_on");
    EXPECT_NE(std::string(e.what()).find("20/02/2025"), std::string::npos) << e.what();
  }
}
