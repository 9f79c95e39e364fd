// The period report against the truth recorded as it happened: randomized histories (with a unit
// merge half-way) are played through the real services over a real SQLite file with an injected
// clock; at the end of every
// day the test writes down how each task and each extension request stood (classify() on the
// live task). Afterwards the report for many periods, as of many past dates, must equal what
// those notes say, and every line of it must add up.
#include "dondoc/service/reports.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/extensions.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using domain::Bucket;
using domain::BucketCounts;
using domain::Date;
using dondoc::testing::at;

namespace {

const char* const kAssigners[] = {"Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh",
                                  "Chánh Văn phòng UBND tỉnh"};

// How a task stood at the end of one day.
struct TaskNote {
  Date assigned_on;
  domain::UnitId lead = 0;
  std::string assigner;
  domain::Timeliness timeliness{};
  bool finished = false;
  int extension_count = 0;
  std::optional<Date> due_on;
};

struct ExtensionNote {
  domain::UnitId unit = 0;
  Date filed_on;
  domain::ExtensionState state{};
  bool late = false;
};

class History {
 public:
  explicit History(unsigned seed) : rng_(seed) {
    store_ = dondoc::testing::open_test_store(dir_);
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    ctx_->extension_policy.late_requests = domain::LateRequestPolicy::flag;
    service::UnitService units(*ctx_);
    for (const char* name : {"Sở Xây dựng", "Sở Y tế", "Sở Tài chính", "UBND xã Tân Phú"}) {
      units_.push_back(
          units
              .create(service::Actor::system(),
                      {"U" + std::to_string(units_.size()), name, domain::UnitKind::department, {}})
              .id);
    }
  }

  // Plays `days` days from 2025-01-02, a few random changes each, noting the end of each day.
  void play(int days) {
    first_ = *Date::parse("2025-01-02");
    for (int d = 0; d < days; ++d) {
      const Date day = first_ + d;
      if (d == days / 2) {
        // A reorganisation half-way: the commune's unfinished tasks move to Construction.
        clock_.set(zone_.start_of(day) + 7h);
        service::UnitService(*ctx_).merge(service::Actor::system(),
                                          {{units_[3]}, units_[0], std::nullopt, std::nullopt, ""});
      }
      for (int step = 0; step < 6; ++step) {
        // Spread over the working day, so that events have distinct instants.
        clock_.set(zone_.start_of(day) + 8h + std::chrono::minutes(step * 50 + pick(40)));
        act(day);
      }
      note(day);
    }
  }

  Date first() const { return first_; }
  const std::vector<domain::UnitId>& units() const { return units_; }
  service::ServiceContext& ctx() { return *ctx_; }
  void set_today(Date d) { clock_.set(zone_.start_of(d) + 12h); }

  // What the report for [from, to] as of `as_of` must say, from the notes.
  domain::Summary expected(Date from, Date to, Date as_of) const {
    domain::Summary s;
    const auto& then = tasks_.at(as_of);
    for (const auto& [id, t] : then) {
      if (to < t.assigned_on) {
        continue;
      }
      const Bucket b = domain::bucket_of(t.timeliness);
      // Carried over unless finished before the period began; the tasks due in it may have
      // been finished before it.
      const bool finished_before =
          t.assigned_on < from && tasks_.at(from - 1).at(id).finished;  // noted on its day
      if (!finished_before) {
        const auto section =
            t.assigned_on < from ? &domain::SummaryLine::carried_over : &domain::SummaryLine::fresh;
        (s.all.*section).add(b);
        (s.by_lead_unit[t.lead].*section).add(b);
        (s.by_assigner[t.assigner].*section).add(b);
      }
      // Due in the period: its deadline then within it; done or overdue then; cancelled ones not.
      if (t.due_on && !(*t.due_on < from) && !(to < *t.due_on) && b != Bucket::cancelled) {
        for (auto* d : {&s.all.due_in_period, &s.by_lead_unit[t.lead].due_in_period}) {
          ++d->due;
          d->done_on_time += b == Bucket::done_on_time;
          d->done_late += b == Bucket::done_late;
          d->overdue += b == Bucket::open_overdue;
        }
      }
    }
    for (const auto& [id, e] : extensions_.at(as_of)) {
      if (e.filed_on < from || to < e.filed_on) {
        continue;
      }
      domain::ExtensionRequest r;
      r.state = e.state;
      r.late = e.late;
      for (auto* c : {&s.extensions, &s.extensions_by_unit[e.unit]}) {
        ++c->requested;
        c->late += e.late;
        c->pending += e.state == domain::ExtensionState::pending;
        c->approved += e.state == domain::ExtensionState::approved;
        c->rejected += e.state == domain::ExtensionState::rejected;
        c->withdrawn += e.state == domain::ExtensionState::withdrawn;
        c->closed += e.state == domain::ExtensionState::closed;
      }
    }
    return s;
  }

  // Each request filed in the period and how it stood at the end of `as_of`.
  std::map<domain::ExtensionId, domain::ExtensionState> expected_requests(Date from, Date to,
                                                                          Date as_of) const {
    std::map<domain::ExtensionId, domain::ExtensionState> out;
    for (const auto& [id, e] : extensions_.at(as_of)) {
      if (!(e.filed_on < from) && !(to < e.filed_on)) {
        out[id] = e.state;
      }
    }
    return out;
  }

  std::map<domain::TaskId, int> expected_overdue(Date as_of) const {
    std::map<domain::TaskId, int> out;
    for (const auto& [id, t] : tasks_.at(as_of)) {
      if (t.timeliness == domain::Timeliness::overdue) {
        out[id] = t.extension_count;
      }
    }
    return out;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  void act(Date day) {
    const auto system = service::Actor::system();
    service::TaskService tasks(*ctx_);
    service::ExtensionService extensions(*ctx_);
    const int what = pick(10);
    try {
      if (what < 3 || ids_.empty()) {
        service::NewTask t;
        t.title = "Nhiệm vụ số " + std::to_string(ids_.size() + 1);
        t.assigner = kAssigners[pick(3)];
        t.lead_unit_id = units_[static_cast<std::size_t>(pick(4))];
        if (pick(8) > 0) {
          t.deadline = domain::DeadlineSpec::on(day + pick(25));
        }
        ids_.push_back(tasks.create(system, t).task.id);
        return;
      }
      const auto id = ids_[static_cast<std::size_t>(pick(static_cast<int>(ids_.size())))];
      service::ActionInput in;
      switch (what) {
        case 3:
          in.completed_on = day - pick(3);
          in.completion_ref = "BC-" + std::to_string(id);
          tasks.act(system, id, service::TaskAction::report_completion, in, std::nullopt);
          break;
        case 4:
          tasks.act(system, id, service::TaskAction::confirm, in, std::nullopt);
          break;
        case 5:
          in.note = "Chưa đạt yêu cầu";
          tasks.act(system, id,
                    pick(2) ? service::TaskAction::reopen : service::TaskAction::suspend, in,
                    std::nullopt);
          break;
        case 6:
          in.reason = "Không còn phù hợp";
          tasks.act(system, id, pick(2) ? service::TaskAction::resume : service::TaskAction::cancel,
                    in, std::nullopt);
          break;
        case 7: {
          const auto task = tasks.get(system, id).task;
          if (task.due_on) {
            const auto r =
                extensions.request(system, id, {*task.due_on + 1 + pick(20), "Chờ ý kiến bộ", ""});
            filed_[r.request.id] = day;
          }
          break;
        }
        default: {
          if (filed_.empty()) {
            break;
          }
          auto it = filed_.begin();
          std::advance(it, pick(static_cast<int>(filed_.size())));
          const int d = pick(3);
          extensions.decide(system, it->first,
                            d == 0   ? service::ExtensionDecision::approve
                            : d == 1 ? service::ExtensionDecision::reject
                                     : service::ExtensionDecision::withdraw,
                            {std::nullopt, "Ý kiến lãnh đạo"});
          break;
        }
      }
    } catch (const domain::Conflict&) {
      // not allowed in the task's state: nothing happened, which is part of a history too
    } catch (const domain::ValidationError&) {
    }
  }

  void note(Date day) {
    const domain::Classifier classifier(calendar_, ctx_->classify_policy);
    auto& tasks = tasks_[day];
    store_->read([&](storage::ReadTx& tx) {
      for (const auto id : ids_) {
        const auto t = *tx.find_task(id);
        tasks[id] = {
            t.assigned_on,       t.lead_unit_id,    t.assigner, classifier.classify(t, day),
            domain::finished(t), t.extension_count, t.due_on};
      }
      auto& ext = extensions_[day];
      for (const auto& [eid, filed_on] : filed_) {
        const auto r = *tx.find_extension(eid);
        ext[eid] = {r.unit_id, filed_on, r.state, r.late};
      }
    });
  }

  std::mt19937 rng_;
  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{at("2025-01-02T08:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::ServiceContext> ctx_;
  std::vector<domain::UnitId> units_;
  std::vector<domain::TaskId> ids_;
  std::map<domain::ExtensionId, Date> filed_;
  Date first_;
  std::map<Date, std::map<domain::TaskId, TaskNote>> tasks_;
  std::map<Date, std::map<domain::ExtensionId, ExtensionNote>> extensions_;
};

void expect_adds_up(const domain::SummaryLine& line, const std::string& what) {
  EXPECT_TRUE(line.carried_over.adds_up()) << what;
  EXPECT_TRUE(line.fresh.adds_up()) << what;
  EXPECT_TRUE(line.total().adds_up()) << what;
}

}  // namespace

TEST(Report, AsOfAnyPastDateItSaysWhatWasTrueThenAndAddsUp) {
  for (unsigned seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    History h(seed);
    constexpr int kDays = 90;
    h.play(kDays);
    h.set_today(h.first() + kDays);
    // The tasks counted in 1, 2 and 3 parts side by side: the sum must be the same report.
    h.ctx().report_parts = static_cast<int>(seed);
    service::ReportService reports(h.ctx());
    std::mt19937 rng(seed);
    int compared = 0;
    for (int i = 0; i < 40; ++i) {
      const int a = static_cast<int>(rng() % kDays);
      const int b = a + static_cast<int>(rng() % static_cast<unsigned>(kDays - a));
      const int c = b + static_cast<int>(rng() % static_cast<unsigned>(kDays - b));
      const Date from = h.first() + std::max(a, 1);
      const Date to = h.first() + std::max(b, 1);
      const Date as_of = h.first() + std::max(c, 1);
      // The notes were written as things were entered: the register as it stood.
      service::SummaryRequest request{from, to, as_of};
      request.basis = domain::AsOfBasis::recorded;
      const auto report = reports.summary(service::Actor::system(), request);
      const auto want = h.expected(from, to, as_of);
      const std::string what = "seed " + std::to_string(seed) + ", " + from.to_string() + " to " +
                               to.to_string() + " as of " + as_of.to_string();
      const auto& got = report.summary;
      EXPECT_EQ(got.all.carried_over, want.all.carried_over) << what;
      EXPECT_EQ(got.all.fresh, want.all.fresh) << what;
      EXPECT_EQ(got.by_lead_unit.size(), want.by_lead_unit.size()) << what;
      for (const auto& [unit, line] : want.by_lead_unit) {
        EXPECT_EQ(got.by_lead_unit.at(unit).carried_over, line.carried_over) << what;
        EXPECT_EQ(got.by_lead_unit.at(unit).fresh, line.fresh) << what;
      }
      for (const auto& [assigner, line] : want.by_assigner) {
        EXPECT_EQ(got.by_assigner.at(assigner).carried_over, line.carried_over) << what;
        EXPECT_EQ(got.by_assigner.at(assigner).fresh, line.fresh) << what;
      }
      EXPECT_EQ(got.extensions, want.extensions) << what;
      EXPECT_EQ(got.extensions_by_unit, want.extensions_by_unit) << what;
      EXPECT_EQ(got.all.due_in_period, want.all.due_in_period) << what;
      for (const auto& [unit, line] : want.by_lead_unit) {
        EXPECT_EQ(got.by_lead_unit.at(unit).due_in_period, line.due_in_period) << what;
      }
      std::map<domain::ExtensionId, domain::ExtensionState> requests;
      for (const auto& l : report.extension_requests) {
        requests[l.request.id] = l.request.state;
        EXPECT_FALSE(l.title.empty()) << what;
        EXPECT_EQ(l.request.decided_due_on.has_value(),
                  l.request.state == domain::ExtensionState::approved)
            << "a decision taken after the date is not shown: " << what;
      }
      EXPECT_EQ(requests, h.expected_requests(from, to, as_of)) << what;
      expect_adds_up(got.all, what);
      BucketCounts sum;
      for (const auto& [unit, line] : got.by_lead_unit) {
        expect_adds_up(line, what);
        sum += line.total();
      }
      EXPECT_EQ(sum, got.all.total()) << "the units add up to the total: " << what;
      compared += got.all.total().total > 0 ? 1 : 0;

      const auto overdue = reports.overdue(service::Actor::system(), as_of, {}, std::nullopt,
                                           domain::AsOfBasis::recorded);
      std::map<domain::TaskId, int> listed;
      for (const auto& line : overdue.lines) {
        listed[line.task_id] = line.extension_count;
        EXPECT_GT(line.days_overdue, 0) << what;
      }
      EXPECT_EQ(listed, h.expected_overdue(as_of)) << what;
    }
    EXPECT_GT(compared, 30) << "most periods have tasks in them";
  }
}

TEST(Report, RefusesPeriodsThatCannotBe) {
  History h(7);
  h.play(3);
  h.set_today(*Date::parse("2025-01-10"));
  service::ReportService reports(h.ctx());
  const auto system = service::Actor::system();
  auto field_of = [&](Date from, Date to, std::optional<Date> as_of) {
    try {
      reports.summary(system, {from, to, as_of});
    } catch (const domain::ValidationError& e) {
      return e.errors().front().field + ": " + e.errors().front().message;
    }
    return std::string();
  };
  const Date jan5 = *Date::parse("2025-01-05");
  EXPECT_EQ(field_of(jan5, jan5 - 1, std::nullopt), "to: is before from (2025-01-05)");
  EXPECT_EQ(field_of(jan5, jan5 + 1, jan5 + 30),
            "as_of: is after today (2025-01-10); a report is as of today or before");
  EXPECT_EQ(field_of(jan5, jan5 + 1, jan5 - 1),
            "as_of: is before from (2025-01-05); the period had not begun");
  EXPECT_EQ(field_of(jan5, jan5 + 30, std::nullopt), "");
}

TEST(Report, AUnitSeesItsOwnLineAsTheLeadersSeeItAndNothingOfTheOthers) {
  History h(5);
  constexpr int kDays = 60;
  h.play(kDays);
  h.set_today(h.first() + kDays);
  service::ReportService reports(h.ctx());
  const Date from = h.first() + 10;
  const Date to = h.first() + 40;
  const auto whole = reports.summary(service::Actor::system(), {from, to, std::nullopt});
  const auto overdue = reports.overdue(service::Actor::system(), std::nullopt, {});
  int units_with_overdue = 0;
  for (const domain::UnitId unit : h.units()) {
    SCOPED_TRACE(unit);
    service::Actor officer;
    officer.user_id = 100 + unit;
    officer.name = "officer";
    officer.role = domain::Role::unit;
    officer.unit_id = unit;
    const auto own = reports.summary(officer, {from, to, std::nullopt});
    const auto line = whole.summary.by_lead_unit.find(unit);
    const domain::SummaryLine want =
        line == whole.summary.by_lead_unit.end() ? domain::SummaryLine{} : line->second;
    EXPECT_EQ(own.summary.all.carried_over, want.carried_over);
    EXPECT_EQ(own.summary.all.fresh, want.fresh);
    EXPECT_LE(own.summary.by_lead_unit.size(), 1u);
    EXPECT_TRUE(own.summary.by_assigner.empty()) << "who assigned what is the leaders' view";
    const auto filed = whole.summary.extensions_by_unit.find(unit);
    EXPECT_EQ(own.summary.extensions, filed == whole.summary.extensions_by_unit.end()
                                          ? domain::ExtensionCounts{}
                                          : filed->second);

    std::vector<domain::TaskId> want_overdue;
    for (const auto& l : overdue.lines) {
      if (l.lead_unit_id == unit) {
        want_overdue.push_back(l.task_id);
      }
    }
    std::vector<domain::TaskId> got_overdue;
    for (const auto& l : reports.overdue(officer, std::nullopt, {}).lines) {
      got_overdue.push_back(l.task_id);
    }
    EXPECT_EQ(got_overdue, want_overdue);
    units_with_overdue += want_overdue.empty() ? 0 : 1;
  }
  EXPECT_GE(units_with_overdue, 2) << "the history leaves several units with overdue tasks";

  service::Actor unitless;
  unitless.name = "nobody";
  unitless.role = domain::Role::unit;
  EXPECT_THROW(reports.summary(unitless, {from, to, std::nullopt}), domain::Forbidden);
}
