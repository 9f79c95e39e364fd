// The reminder scanner over a real SQLite file with an injected clock: what run_once queues, for
// whom, once; how completion, an extension and a long sleep change it; bounded batches.
#include "dondoc/scheduler/scanner.hpp"

#include <gtest/gtest.h>

#include <map>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/service/contributions.hpp"
#include "dondoc/service/extensions.hpp"
#include "dondoc/service/reports.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using dondoc::testing::at;

namespace {

class ScannerTest : public ::testing::Test {
 protected:
  ScannerTest() {
    store_ = dondoc::testing::open_test_store(dir_);
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    const auto system = service::Actor::system();
    service::UnitService units(*ctx_);
    sgtvt_ = units
                 .create(system, {"SGTVT",
                                  "Sở Giao thông vận tải",
                                  domain::UnitKind::department,
                                  {"vanthu.sgtvt@example.vn"}})
                 .id;
    sxd_ =
        units
            .create(system,
                    {"SXD", "Sở Xây dựng", domain::UnitKind::department, {"vanthu.sxd@example.vn"}})
            .id;
    service::AccountService accounts(*ctx_);
    accounts.create_user(system, {"chutich", "Chủ tịch UBND tỉnh", "chutich@example.vn",
                                  domain::Role::leader, std::nullopt});
    accounts.create_user(system, {"cv.sgtvt", "Chuyên viên Sở GTVT", "cv.sgtvt@example.vn",
                                  domain::Role::unit, sgtvt_});
  }

  domain::TaskId task(const char* due, std::vector<domain::UnitId> coordinating = {}) {
    service::NewTask t;
    t.title = "Hoàn thành giải phóng mặt bằng đường tỉnh 254";
    t.source_ref = "45/TB-UBND";
    t.lead_unit_id = sgtvt_;
    t.coordinating_unit_ids = std::move(coordinating);
    t.deadline = domain::DeadlineSpec::on(*domain::Date::parse(due));
    return service::TaskService(*ctx_).create(service::Actor::system(), t).task.id;
  }

  scheduler::PassResult pass(int batch = 500, std::chrono::milliseconds budget = 1000ms,
                             notify::TemplateSet templates = {}) {
    scheduler::ScannerOptions o;
    o.messages.templates = std::move(templates);
    o.batch_size = batch;
    o.budget = budget;
    o.messages.base_url = "https://dondoc.example.vn";
    return scheduler::Scanner(*store_, clock_, zone_, calendar_, o).run_once();
  }

  // Every queued reminder (not the notices of events) as "event recipient", with its subject.
  std::multimap<std::string, std::string> queued(bool notices = false) {
    std::multimap<std::string, std::string> out;
    store_->read([&](storage::ReadTx& tx) {
      for (const auto& m : tx.due_messages(at("2100-01-01T00:00:00+07:00"), 100000)) {
        const bool reminder = m.event == "due_soon" || m.event == "due_today" ||
                              m.event == "overdue" || m.event == "escalated";
        if (reminder == notices) {
          continue;
        }
        out.emplace(m.event, m.recipient);
        subjects_[m.event] = m.subject;
        bodies_[m.event] = m.body_text;
      }
    });
    return out;
  }

  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{at("2025-04-01T09:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::ServiceContext> ctx_;
  domain::UnitId sgtvt_ = 0;
  domain::UnitId sxd_ = 0;
  std::map<std::string, std::string> subjects_;
  std::map<std::string, std::string> bodies_;
};

}  // namespace

TEST_F(ScannerTest, NothingIsSentBeforeItsTimeAndEachReminderOnceToEachRecipient) {
  task("2025-05-05", {sxd_});
  // Registering the task told both units at once (it is 09:00 on a Tuesday).
  EXPECT_EQ(queued(true),
            (std::multimap<std::string, std::string>{{"task_assigned", "cv.sgtvt@example.vn"},
                                                     {"task_assigned", "vanthu.sgtvt@example.vn"},
                                                     {"task_assigned", "vanthu.sxd@example.vn"}}));
  EXPECT_EQ(subjects_["task_assigned"],
            "[Đôn đốc] Nhiệm vụ mới được giao: Hoàn thành giải phóng mặt bằng đường tỉnh 254");
  EXPECT_EQ(pass().queued, 0);
  EXPECT_TRUE(queued().empty());
  // 22 April, 07:30: seven working days before 5 May (30/4 and 1/5 are holidays).
  clock_.set(at("2025-04-22T07:29:00+07:00"));
  EXPECT_EQ(pass().queued, 0);
  clock_.set(at("2025-04-22T07:31:00+07:00"));
  const auto r = pass();
  EXPECT_EQ(r.tasks, 1);
  EXPECT_EQ(r.queued, 3);  // both units' addresses and the lead unit's user
  EXPECT_EQ(queued(),
            (std::multimap<std::string, std::string>{{"due_soon", "cv.sgtvt@example.vn"},
                                                     {"due_soon", "vanthu.sgtvt@example.vn"},
                                                     {"due_soon", "vanthu.sxd@example.vn"}}));
  EXPECT_EQ(subjects_["due_soon"],
            "[Đôn đốc] Còn 7 ngày làm việc đến hạn: Hoàn thành giải phóng mặt bằng đường tỉnh 254");
  EXPECT_NE(bodies_["due_soon"].find("Văn bản giao: 45/TB-UBND"), std::string::npos);
  EXPECT_NE(bodies_["due_soon"].find("Đơn vị chủ trì: Sở Giao thông vận tải"), std::string::npos);
  EXPECT_NE(bodies_["due_soon"].find("Thời hạn: 05/05/2025"), std::string::npos);
  EXPECT_NE(bodies_["due_soon"].find("https://dondoc.example.vn/tasks/1"), std::string::npos);
  store_->read([&](storage::ReadTx& tx) {
    EXPECT_EQ(tx.reminder_schedule(1).next_at, at("2025-04-28T07:30:00+07:00"));
  });
  EXPECT_EQ(r.next_due, at("2025-04-23T07:30:00+07:00")) << "the next daily digest comes first";
  // Running again at the same moment queues nothing more.
  EXPECT_EQ(pass().queued, 0);
  EXPECT_EQ(queued().size(), 3u);
}

TEST_F(ScannerTest, OverdueTasksEscalateToLeaders) {
  task("2025-05-05");
  clock_.set(at("2025-05-12T08:00:00+07:00"));  // five working days late
  pass();
  const auto q = queued();
  EXPECT_EQ(q.count("escalated"), 1u);
  EXPECT_EQ(q.find("escalated")->second, "chutich@example.vn");
  // A week and more of downtime: only the latest reminder of each kind goes out, not the
  // whole backlog.
  EXPECT_EQ(q.count("due_soon"), 2u);
  EXPECT_EQ(q.count("due_today"), 2u);
  EXPECT_EQ(q.count("overdue"), 2u);
  EXPECT_NE(subjects_["overdue"].find("Quá hạn 4 ngày làm việc"), std::string::npos)
      << subjects_["overdue"];
}

// The wall clock jumps: back a day after a reminder went out (an NTP correction, a wrong clock
// set right), nothing is queued again; forward over the deadline, what came due is queued once.
TEST_F(ScannerTest, WallClockJumpsNeitherRepeatNorLoseReminders) {
  task("2025-05-05");
  clock_.set(at("2025-04-22T08:00:00+07:00"));
  EXPECT_EQ(pass().queued, 2);  // the seven-days-ahead reminder, to the unit and its user
  clock_.set(at("2025-04-21T08:00:00+07:00"));
  EXPECT_EQ(pass().queued, 0);
  clock_.set(at("2025-04-22T08:00:00+07:00"));
  EXPECT_EQ(pass().queued, 0);
  EXPECT_EQ(queued().count("due_soon"), 2u);
  clock_.set(at("2025-05-06T08:00:00+07:00"));  // a jump of two weeks, past the deadline
  pass();
  const auto q = queued();
  EXPECT_EQ(q.count("due_soon"), 4u) << "the latest due-soon reminder, once more to each";
  EXPECT_EQ(q.count("due_today"), 2u);
  EXPECT_EQ(q.count("overdue"), 2u);
  clock_.set(at("2025-05-05T08:00:00+07:00"));  // and back again
  EXPECT_EQ(pass().queued, 0);
  EXPECT_EQ(queued().size(), q.size());
}

// An operator's template replaces the built-in words of its event only, filled in with the
// task's facts; notices of events use the templates too.
TEST_F(ScannerTest, TemplatesFromTheConfigSayItInTheOperatorsWords) {
  ctx_->messages.base_url = "https://dondoc.example.vn";
  ctx_->messages.templates["task_assigned"] = notify::parse_template(
      "Subject: [UBND tỉnh] Giao nhiệm vụ: {{title}}\n\nKính gửi {{lead_unit}},\nhạn {{due_on}}, "
      "theo {{source}}.\n{{link}}\n");
  task("2025-05-05");
  queued(true);
  EXPECT_EQ(subjects_["task_assigned"],
            "[UBND tỉnh] Giao nhiệm vụ: Hoàn thành giải phóng mặt bằng đường tỉnh 254");
  EXPECT_EQ(bodies_["task_assigned"],
            "Kính gửi Sở Giao thông vận tải,\nhạn 05/05/2025, theo 45/TB-UBND.\n"
            "https://dondoc.example.vn/tasks/1\n");
  clock_.set(at("2025-05-06T08:00:00+07:00"));
  pass(500, 1000ms,
       {{"overdue", notify::parse_template("Subject: {{headline}} — {{title}}\n\n{{facts}}")}});
  queued();
  EXPECT_EQ(subjects_["overdue"],
            "Quá hạn 1 ngày làm việc — Hoàn thành giải phóng mặt bằng đường tỉnh 254");
  EXPECT_NE(bodies_["overdue"].find("Đơn vị chủ trì: Sở Giao thông vận tải"), std::string::npos);
  EXPECT_EQ(subjects_["due_today"].rfind("[Đôn đốc] Hôm nay là hạn hoàn thành", 0), 0u)
      << "events without a template keep the built-in words";
}

TEST_F(ScannerTest, CompletionStopsTheSeriesAndAnExtensionMovesIt) {
  const auto done = task("2025-05-05");
  const auto extended = task("2025-05-05");
  clock_.set(at("2025-04-23T10:00:00+07:00"));
  service::TaskService tasks(*ctx_);
  service::ActionInput report;
  report.completion_ref = "215/BC-SGTVT";
  tasks.act(service::Actor::system(), done, service::TaskAction::report_completion, report,
            std::nullopt);
  service::TaskPatch move;
  move.due_on = domain::Date::parse("2025-06-30");
  move.note = "Theo kết luận của Chủ tịch UBND tỉnh";
  move.decision_ref = "120/TB-UBND";
  tasks.update(service::Actor::system(), extended, move, std::nullopt);
  store_->read([&](storage::ReadTx& tx) {
    EXPECT_FALSE(tx.reminder_schedule(done).next_at);
    EXPECT_EQ(tx.reminder_schedule(extended).next_at, at("2025-06-19T07:30:00+07:00"));
  });
  clock_.set(at("2025-05-06T08:00:00+07:00"));
  pass();
  EXPECT_TRUE(queued().empty());
}

TEST_F(ScannerTest, WorksInBoundedBatchesWithinItsBudget) {
  for (int i = 0; i < 7; ++i) {
    task("2025-05-05");
  }
  clock_.set(at("2025-04-22T08:00:00+07:00"));
  const auto all = pass(2);
  EXPECT_EQ(all.tasks, 7);
  EXPECT_FALSE(all.more);
  EXPECT_EQ(all.queued, 14);
  clock_.set(at("2025-04-28T08:00:00+07:00"));
  const auto cut = pass(2, 0ms);  // the budget is spent after the first batch
  EXPECT_EQ(cut.tasks, 2);
  EXPECT_TRUE(cut.more);
  EXPECT_EQ(pass(2).tasks, 5);
}

// Events reach the people they concern, in the transaction of the change, once per recipient;
// outside working hours they wait for the morning.
TEST_F(ScannerTest, NoticesOfEventsGoToThoseTheyConcern) {
  const auto system = service::Actor::system();
  service::AccountService(*ctx_).create_user(
      system, {"chuyenvien.vp", "Chuyên viên theo dõi", "theodoi@example.vn", domain::Role::office,
               std::nullopt});
  const auto id = task("2025-05-05");
  clock_.set(at("2025-04-18T20:00:00+07:00"));  // a Friday evening
  service::ExtensionService extensions(*ctx_);
  const auto request = extensions.request(
      system, id, {domain::Date::parse("2025-05-30"), "Chờ ý kiến thẩm định của Bộ", ""});
  std::vector<domain::OutboxMessage> requested;
  store_->read([&](storage::ReadTx& tx) {
    storage::OutboxQuery q;
    q.task_id = id;
    for (const auto& m : tx.list_outbox(q).items) {
      if (m.event == "extension_requested") {
        requested.push_back(m);
      }
    }
  });
  ASSERT_EQ(requested.size(), 2u);  // the leader and the office
  EXPECT_EQ(requested[0].next_attempt_at, at("2025-04-21T07:30:00+07:00")) << "held to Monday";
  EXPECT_NE(requested[0].body_text.find("Chờ ý kiến thẩm định của Bộ"), std::string::npos);

  extensions.decide(system, request.request.id, service::ExtensionDecision::approve,
                    {{}, "Đồng ý"});
  service::ActionInput report;
  report.completion_ref = "215/BC-SGTVT";
  service::TaskService(*ctx_).act(system, id, service::TaskAction::report_completion, report,
                                  std::nullopt);
  const auto q = queued(true);
  auto to = [&](const std::string& event) {
    std::set<std::string> out;
    for (auto [it, end] = q.equal_range(event); it != end; ++it) {
      out.insert(it->second);
    }
    return out;
  };
  EXPECT_EQ(to("extension_requested"),
            (std::set<std::string>{"chutich@example.vn", "theodoi@example.vn"}));
  EXPECT_EQ(to("extension_approved"),
            (std::set<std::string>{"cv.sgtvt@example.vn", "vanthu.sgtvt@example.vn"}));
  EXPECT_EQ(to("completion_reported"), (std::set<std::string>{"theodoi@example.vn"}));
  EXPECT_EQ(subjects_["extension_approved"],
            "[Đôn đốc] Đề nghị gia hạn được đồng ý: Hoàn thành giải phóng mặt bằng đường tỉnh 254");
}

// Leaders get a daily digest, the Office a weekly one, only when there is something to say, once
// per day or week.
TEST_F(ScannerTest, DigestsGatherTasksAndAreNeverEmpty) {
  service::AccountService(*ctx_).create_user(
      service::Actor::system(), {"chuyenvien.vp", "Chuyên viên theo dõi", "theodoi@example.vn",
                                 domain::Role::office, std::nullopt});
  auto digests = [&] {
    std::multimap<std::string, std::string> out;
    for (const auto& [event, to] : queued(true)) {
      if (event.find("digest") != std::string::npos) {
        out.emplace(event, to);
      }
    }
    return out;
  };
  // Nothing to say on Tuesday 1 April: no digest at all. (7 April is Giỗ Tổ Hùng Vương, a day
  // off, hence the week after.)
  clock_.set(at("2025-04-01T08:00:00+07:00"));
  pass();
  EXPECT_TRUE(digests().empty());

  task("2025-04-10");                           // overdue from Friday 11 April
  task("2025-04-16");                           // due the next week
  clock_.set(at("2025-04-14T07:29:00+07:00"));  // Monday, before the window opens
  const auto early = pass();
  EXPECT_TRUE(digests().empty());
  EXPECT_EQ(early.next_due, at("2025-04-14T07:30:00+07:00"));
  clock_.set(at("2025-04-14T07:31:00+07:00"));
  pass();
  EXPECT_EQ(digests(),
            (std::multimap<std::string, std::string>{{"daily_digest", "chutich@example.vn"},
                                                     {"weekly_digest", "theodoi@example.vn"}}));
  EXPECT_EQ(subjects_["daily_digest"],
            "[Đôn đốc] Tổng hợp ngày 14/04/2025: 1 quá hạn, 1 đến hạn trong tuần, 0 đề nghị gia "
            "hạn chờ quyết định");
  EXPECT_NE(bodies_["daily_digest"].find("quá hạn 4 ngày"), std::string::npos)
      << bodies_["daily_digest"];
  // Later the same day: nothing new.
  clock_.set(at("2025-04-14T15:00:00+07:00"));
  pass();
  EXPECT_EQ(digests().size(), 2u);
  // Tuesday: the leaders' daily digest again; the Office's weekly one waits for next week.
  clock_.set(at("2025-04-15T07:45:00+07:00"));
  pass();
  EXPECT_EQ(digests().count("daily_digest"), 2u);
  EXPECT_EQ(digests().count("weekly_digest"), 1u);
}

// A coordinating unit's own deadline (thời hạn phối hợp): reminded the working day before and
// the working day after, to that unit alone and once each; late until it records its input;
// in the overdue report's appendix meanwhile; the task's own timeliness untouched.
TEST_F(ScannerTest, ACoordinatingUnitIsRemindedOfItsOwnDeadlineAndShowsLateUntilItSends) {
  const auto id = task("2025-04-30", {sxd_});
  const auto system = service::Actor::system();
  service::ContributionService contributions(*ctx_);
  const auto thursday = *domain::Date::parse("2025-04-10");
  EXPECT_THROW(contributions.set_deadline(system, id, sxd_, domain::Date::parse("2025-05-02"), ""),
               domain::ValidationError)
      << "after the task's own deadline";
  EXPECT_THROW(contributions.set_deadline(system, id, sgtvt_, thursday, ""), domain::NotFound)
      << "the lead unit is no coordinating unit";
  service::Actor leader;
  leader.user_id = 1;
  leader.name = "chutich";
  leader.role = domain::Role::leader;
  EXPECT_THROW(contributions.set_deadline(leader, id, sxd_, thursday, ""), domain::Forbidden);
  auto views = contributions.set_deadline(system, id, sxd_, thursday, "Theo đề nghị của Sở GTVT");
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].state, domain::ContributionState::due);

  auto contribution_mail = [&] {
    std::multimap<std::string, std::string> out;
    for (const auto& [event, to] : queued(true)) {
      if (event == "contribution_due_soon" || event == "contribution_overdue") {
        out.emplace(event, to);
      }
    }
    return out;
  };
  clock_.set(at("2025-04-09T07:00:00+07:00"));
  pass();
  EXPECT_TRUE(contribution_mail().empty()) << "before working hours on the day before";
  clock_.set(at("2025-04-09T08:00:00+07:00"));
  pass();
  pass();
  EXPECT_EQ(contribution_mail(), (std::multimap<std::string, std::string>{
                                     {"contribution_due_soon", "vanthu.sxd@example.vn"}}));
  EXPECT_NE(subjects_["contribution_due_soon"].find("Sắp đến hạn gửi ý kiến phối hợp"),
            std::string::npos);
  EXPECT_NE(bodies_["contribution_due_soon"].find("gửi ý kiến trước 10/04/2025"), std::string::npos)
      << bodies_["contribution_due_soon"];

  clock_.set(at("2025-04-11T08:00:00+07:00"));
  pass();
  EXPECT_EQ(contribution_mail(), (std::multimap<std::string, std::string>{
                                     {"contribution_due_soon", "vanthu.sxd@example.vn"},
                                     {"contribution_overdue", "vanthu.sxd@example.vn"}}));
  views = contributions.list(system, id);
  EXPECT_EQ(views[0].state, domain::ContributionState::late);
  EXPECT_EQ(views[0].days_late, 1);
  EXPECT_EQ(service::TaskService(*ctx_).get(system, id).timeliness,
            domain::Timeliness::open_on_time)
      << "the task's own deadline is still ahead";
  const auto report = [&](const char* as_of) {
    return service::ReportService(*ctx_).overdue(system, domain::Date::parse(as_of),
                                                 service::GroupBy::historic, std::nullopt);
  };
  ASSERT_EQ(report("2025-04-11").late_contributions.size(), 1u);
  EXPECT_EQ(report("2025-04-11").late_contributions[0].unit, "Sở Xây dựng");
  EXPECT_TRUE(report("2025-04-10").late_contributions.empty()) << "its deadline day is not late";

  // Only the unit itself (or the Office) records its input, with its document.
  service::Actor lead_unit;
  lead_unit.user_id = 2;
  lead_unit.name = "cv.sgtvt";
  lead_unit.role = domain::Role::unit;
  lead_unit.unit_id = sgtvt_;
  EXPECT_THROW(contributions.mark_sent(lead_unit, id, sxd_, {std::nullopt, "88/SXD-QH", ""}),
               domain::Forbidden);
  ASSERT_EQ(contributions.owed_by(system, sxd_).size(), 1u);
  EXPECT_EQ(contributions.owed_by(system, sxd_)[0].lead_unit_name, "Sở Giao thông vận tải");
  EXPECT_TRUE(contributions.owed_by(system, sgtvt_).empty());
  EXPECT_THROW(contributions.owed_by(lead_unit, sxd_), domain::Forbidden) << "another unit's";
  EXPECT_THROW(contributions.mark_sent(system, id, sxd_, {std::nullopt, " ", ""}),
               domain::ValidationError);
  views = contributions.mark_sent(system, id, sxd_, {std::nullopt, "88/SXD-QH", ""});
  EXPECT_EQ(views[0].state, domain::ContributionState::sent_late);
  EXPECT_EQ(views[0].days_late, 1);
  EXPECT_THROW(contributions.mark_sent(system, id, sxd_, {std::nullopt, "89/SXD-QH", ""}),
               domain::Conflict);
  EXPECT_TRUE(report("2025-04-11").late_contributions.empty()) << "sent that day";
  EXPECT_TRUE(contributions.owed_by(system, sxd_).empty());
  EXPECT_EQ(report("2025-04-10").late_contributions.size(), 0u);
  bool told = false;
  for (const auto& [event, to] : queued(true)) {
    told = told || (event == "contribution_sent" && to == "vanthu.sgtvt@example.vn");
  }
  EXPECT_TRUE(told) << "the lead unit hears that the input arrived";
  clock_.set(at("2025-04-20T08:00:00+07:00"));
  pass();
  EXPECT_EQ(contribution_mail().size(), 2u) << "nothing more once sent";
}
