// The Store contract, written once and run against every backend (Kea's GenericLeaseMgrTest):
// today SQLite on a real file. What only SQLite has is tested in tests/unit/storage/sqlite/.
#include <gtest/gtest.h>

#include <algorithm>

#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <ostream>
#include <random>
#include <set>
#include <thread>

#include "dondoc/config/config.hpp"
#include "dondoc/domain/classify.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/storage/open_store.hpp"
#include "temp_dir.hpp"

using namespace dondoc;
using domain::Date;
using domain::LifecycleState;
using domain::Task;
using domain::Timeliness;

namespace {

Date d(const char* iso) {
  return *Date::parse(iso);
}

// A backend under test: its name, and how to open a fresh store of it in an empty directory.
// Adding a backend is one more entry in kBackends below.
struct Backend {
  std::string name;
  std::function<std::unique_ptr<storage::Store>(const std::string& dir)> open;
};

// How GoogleTest names a backend in its output.
void PrintTo(const Backend& backend, std::ostream* out) {
  *out << backend.name;
}

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path().string());
    store_->write([&](storage::WriteTx& tx) {
      domain::Unit u;
      u.code = "SXD";
      u.name = "Sở Xây dựng";
      unit_ = tx.insert_unit(u, "sxd so xay dung");
      u.code = "STC";
      u.name = "Sở Tài chính";
      other_unit_ = tx.insert_unit(u, "stc so tai chinh");
    });
  }

  Task sample(const std::string& title) const {
    Task t;
    t.title = title;
    t.source_ref = "45/TB-UBND";
    t.assigned_on = d("2025-02-20");
    t.lead_unit_id = unit_;
    t.due_on = d("2025-03-31");
    return t;
  }

  // The ids of the first page of tasks `q` lists, in its order.
  std::vector<domain::TaskId> ids(const storage::TaskQuery& q) {
    std::vector<domain::TaskId> out;
    store_->read([&](storage::ReadTx& tx) {
      for (const auto& t : tx.list_tasks(q).items) {
        out.push_back(t.id);
      }
    });
    return out;
  }

  domain::TaskId insert(const Task& t) {
    domain::TaskId id = 0;
    store_->write([&](storage::WriteTx& tx) { id = tx.insert_task(t, t.title, std::nullopt); });
    return id;
  }

  dondoc::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  domain::UnitId unit_ = 0;
  domain::UnitId other_unit_ = 0;
};

}  // namespace

TEST_P(StoreContract, TaskRoundTripsEveryField) {
  Task t = sample("Hoàn thiện hồ sơ");
  t.description = "Mô tả\nnhiều dòng";
  t.source_date = d("2025-02-20");
  t.source_title = "Thông báo kết luận";
  t.assigner = "Chủ tịch UBND tỉnh";
  t.coordinating_unit_ids = {other_unit_};
  t.priority = domain::Priority::urgent;
  t.state = LifecycleState::reported;
  t.completed_on = d("2025-03-30");
  t.completion_ref = "12/BC-SXD";
  t.original_due_on = d("2025-03-15");
  t.extension_count = 2;
  t.leader_id = 12;
  t.key_task = true;
  t.version = 7;
  t.created_at = domain::from_unix_millis(1700000000123);
  t.updated_at = domain::from_unix_millis(1700000000456);
  const auto id = insert(t);
  std::optional<Task> back;
  store_->read([&](storage::ReadTx& tx) { back = tx.find_task(id); });
  ASSERT_TRUE(back);
  t.id = id;
  EXPECT_TRUE(domain::diff(t, *back).empty());
  EXPECT_EQ(back->version, 7);
  EXPECT_EQ(back->created_at, t.created_at);
  EXPECT_EQ(back->updated_at, t.updated_at);
}

// A coordinating unit's part: every field round-trips, a second put replaces the first, and the
// late and reminder queries find exactly the rows they describe.
TEST_P(StoreContract, AttachmentsRoundTripInOrderAndNameTheirContent) {
  const auto first = insert(sample("Rà soát quy hoạch"));
  const auto second = insert(sample("Đề án nhà ở xã hội"));
  domain::Attachment a;
  a.task_id = first;
  a.name = "Công văn 125/SXD-KHTC.pdf";
  a.kind = domain::FileKind::pdf;
  a.size = 183204;
  a.sha256 = std::string(64, 'a');
  a.uploaded_by = "vanthu";
  a.uploaded_at = domain::from_unix_millis(1741300000123);
  domain::Attachment b = a;
  b.to = domain::AttachedTo::extension;
  b.ref_id = 7;
  b.name = "Bảng số liệu.xlsx";
  b.kind = domain::FileKind::xlsx;
  b.sha256 = std::string(64, 'b');
  domain::Attachment c = a;
  c.task_id = second;
  c.to = domain::AttachedTo::note;
  c.ref_id = 3;
  c.kind = domain::FileKind::tiff;
  store_->write([&](storage::WriteTx& tx) {
    a.id = tx.insert_attachment(a);
    b.id = tx.insert_attachment(b);
    c.id = tx.insert_attachment(c);
  });
  EXPECT_LT(a.id, b.id);
  store_->read([&](storage::ReadTx& tx) {
    EXPECT_EQ(tx.attachments_of(first), (std::vector<domain::Attachment>{a, b}));
    EXPECT_EQ(tx.attachments_of(second), std::vector<domain::Attachment>{c});
    EXPECT_EQ(tx.find_attachment(b.id), b);
    EXPECT_EQ(tx.find_attachment(c.id + 1), std::nullopt);
    EXPECT_TRUE(tx.content_referenced(std::string(64, 'b')));
    EXPECT_FALSE(tx.content_referenced(std::string(64, 'c')));
  });
}

TEST_P(StoreContract, ContributionsRoundTripAndAreFoundLateAndDue) {
  const auto first = insert(sample("Rà soát quy hoạch"));
  const auto second = insert(sample("Đề án nhà ở xã hội"));
  const auto at = [](std::int64_t ms) { return domain::from_unix_millis(ms); };
  domain::Contribution c;
  c.task_id = first;
  c.unit_id = other_unit_;
  c.due_on = d("2025-03-10");
  c.next_reminder_at = at(1741500000000);
  c.reminded_through = at(1741400000000);
  c.updated_at = at(1741300000000);
  domain::Contribution sent = c;
  sent.task_id = second;
  sent.due_on = d("2025-03-05");
  sent.sent_on = d("2025-03-07");
  sent.sent_ref = "88/STC-NS";
  sent.note = "Ý kiến\nbằng văn bản";
  sent.sent_by = "cv.stc";
  sent.next_reminder_at.reset();
  store_->write([&](storage::WriteTx& tx) {
    tx.put_contribution(c);
    c.note = "sửa";  // the second put replaces the first
    tx.put_contribution(c);
    tx.put_contribution(sent);
  });
  store_->read([&](storage::ReadTx& tx) {
    ASSERT_EQ(tx.contributions_of(first), std::vector<domain::Contribution>{c});
    ASSERT_EQ(tx.contributions_of(second), std::vector<domain::Contribution>{sent});
    auto late = [&](const char* as_of) {
      std::vector<domain::TaskId> out;
      for (const auto& x : tx.late_contributions(d(as_of), 10)) {
        out.push_back(x.task_id);
      }
      return out;
    };
    EXPECT_EQ(late("2025-03-05"), std::vector<domain::TaskId>{}) << "a deadline day is not late";
    EXPECT_EQ(late("2025-03-06"), std::vector<domain::TaskId>{second}) << "sent the day after";
    EXPECT_EQ(late("2025-03-07"), std::vector<domain::TaskId>{}) << "sent by the end of the day";
    EXPECT_EQ(late("2025-03-11"), std::vector<domain::TaskId>{first});
    EXPECT_TRUE(tx.contributions_due_for_reminder(at(1741499999999), 10).empty());
    EXPECT_EQ(tx.contributions_due_for_reminder(at(1741500000000), 10).size(), 1u);
    EXPECT_EQ(tx.earliest_contribution_reminder(), c.next_reminder_at);
  });
}

// The SQL behind ?timeliness= must agree with domain::Classifier on every kind of task.
TEST_P(StoreContract, TimelinessFilterAgreesWithClassify) {
  domain::WorkingCalendar calendar;
  for (bool extension_on_time : {true, false}) {
    domain::Classifier classifier(calendar, {3, extension_on_time});
    std::mt19937 rng(extension_on_time ? 1 : 2);
    const Date today = d("2025-04-10");
    std::map<domain::TaskId, Timeliness> expected;
    store_->write([&](storage::WriteTx& tx) {
      for (int i = 0; i < 400; ++i) {
        Task t = sample("t" + std::to_string(i));
        t.assigned_on = today - static_cast<int>(rng() % 60) - 1;
        const int r = static_cast<int>(rng() % 10);
        t.due_on =
            r == 0 ? std::nullopt : std::optional<Date>(today + static_cast<int>(rng() % 21) - 10);
        if (t.due_on && *t.due_on < t.assigned_on) {
          t.due_on = t.assigned_on;
        }
        if (rng() % 4 == 0 && t.due_on) {
          t.original_due_on = *t.due_on - static_cast<int>(rng() % 5);
        }
        t.state = static_cast<LifecycleState>(rng() % 5);
        if (t.state == LifecycleState::reported || t.state == LifecycleState::done) {
          t.completed_on =
              t.assigned_on +
              static_cast<int>(rng() % static_cast<unsigned>(today - t.assigned_on + 1));
        }
        t.id = tx.insert_task(t, t.title, std::nullopt);
        expected[t.id] = classifier.classify(t, today);
      }
    });
    for (int k = 0; k < 8; ++k) {
      const auto want = static_cast<Timeliness>(k);
      storage::TaskQuery q;
      q.timeliness = want;
      q.today = today;
      q.due_soon_until = classifier.due_soon_until(today);
      q.extension_counts_as_on_time = extension_on_time;
      q.limit = 10000;
      std::set<domain::TaskId> got;
      store_->read([&](storage::ReadTx& tx) {
        for (const auto& t : tx.list_tasks(q).items) {
          if (expected.count(t.id) > 0) {  // this round's rows only
            got.insert(t.id);
          }
        }
      });
      std::set<domain::TaskId> wanted;
      for (const auto& [id, cls] : expected) {
        if (cls == want) {
          wanted.insert(id);
        }
      }
      EXPECT_EQ(got, wanted) << domain::to_string(want)
                             << " extension_on_time=" << extension_on_time;
    }
  }
}

TEST_P(StoreContract, ListsByDocumentAndAssignerExactly) {
  Task a = sample("Rà soát quy hoạch");
  a.assigner = "Chủ tịch UBND tỉnh";
  Task b = sample("Báo cáo tiến độ");
  b.assigner = "Phó Chủ tịch UBND tỉnh";
  Task c = sample("Kiểm tra hiện trường");
  c.assigner = "Chủ tịch UBND tỉnh";
  c.source_ref = "12/TB-UBND";
  const auto ia = insert(a);
  insert(b);
  const auto ic = insert(c);
  storage::TaskQuery q;
  q.assigner = "Chủ tịch UBND tỉnh";
  EXPECT_EQ(ids(q), (std::vector<domain::TaskId>{ia, ic}));
  q.source_ref = "12/TB-UBND";
  EXPECT_EQ(ids(q), (std::vector<domain::TaskId>{ic}));
  q.source_ref.reset();
  q.assigner = "Chủ tịch";  // a part of the name is not the assigner
  EXPECT_TRUE(ids(q).empty());
}

// What an import compares its rows with: the tasks of one document, by id, the title and lead
// unit as stored; another document's, or a part of the number, are not among them.
TEST_P(StoreContract, FindsTheTasksOfOneDocument) {
  const auto first = insert(sample("Rà soát quy hoạch"));
  Task other = sample("Kiểm tra hiện trường");
  other.source_ref = "12/TB-UBND";
  insert(other);
  const auto second = insert(sample("Báo cáo tiến độ"));
  std::vector<Task> found;
  std::vector<Task> none;
  store_->read([&](storage::ReadTx& tx) {
    found = tx.tasks_from_document("45/TB-UBND");
    none = tx.tasks_from_document("45/TB");
  });
  ASSERT_EQ(found.size(), 2U);
  EXPECT_EQ(found[0].id, first);
  EXPECT_EQ(found[0].title, "Rà soát quy hoạch");
  EXPECT_EQ(found[0].lead_unit_id, unit_);
  EXPECT_EQ(found[1].id, second);
  EXPECT_TRUE(none.empty());
}

// "My tasks" and the key tasks: a leader's own, with or without those nobody is in charge of
// (what a leader's digest covers), and the requests on them.
TEST_P(StoreContract, ListsByLeaderInChargeAndKeyTasks) {
  Task mine = sample("Đề xuất cơ chế hỗ trợ nhà ở xã hội");
  mine.leader_id = 5;
  mine.key_task = true;
  Task theirs = sample("Rà soát dự toán ngân sách");
  theirs.leader_id = 6;
  Task nobodys = sample("Kiểm tra an toàn thực phẩm");
  const auto im = insert(mine);
  const auto it = insert(theirs);
  const auto in = insert(nobodys);
  storage::TaskQuery q;
  q.leader_id = 5;
  EXPECT_EQ(ids(q), (std::vector<domain::TaskId>{im}));
  q.or_no_leader = true;
  EXPECT_EQ(ids(q), (std::vector<domain::TaskId>{im, in}));
  storage::TaskQuery key;
  key.key_task = true;
  EXPECT_EQ(ids(key), (std::vector<domain::TaskId>{im}));
  key.key_task = false;
  EXPECT_EQ(ids(key), (std::vector<domain::TaskId>{it, in}));

  store_->write([&](storage::WriteTx& tx) {
    for (auto id : {im, it, in}) {
      domain::ExtensionRequest r;
      r.task_id = id;
      r.unit_id = unit_;
      r.requested_by = "sxd";
      r.current_due_on = d("2025-03-31");
      r.proposed_due_on = d("2025-04-30");
      r.reason = "Chờ ý kiến";
      tx.insert_extension(r);
    }
  });
  auto requests = [&](const storage::ExtensionQuery& eq) {
    std::vector<domain::TaskId> out;
    store_->read([&](storage::ReadTx& tx) {
      for (const auto& r : tx.list_extensions(eq).items) {
        out.push_back(r.task_id);
      }
    });
    std::sort(out.begin(), out.end());
    return out;
  };
  storage::ExtensionQuery eq;
  eq.leader_id = 6;
  EXPECT_EQ(requests(eq), (std::vector<domain::TaskId>{it}));
  eq.or_no_leader = true;
  EXPECT_EQ(requests(eq), (std::vector<domain::TaskId>{it, in}));
}

TEST_P(StoreContract, AFailingWriteFailsAlone) {
  constexpr int kWriters = 48;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      try {
        store_->write([&](storage::WriteTx& tx) {
          Task t = sample("task " + std::to_string(i));
          tx.insert_task(t, t.title, std::nullopt);
          if (i % 8 == 0) {
            throw domain::Conflict("refused on purpose");
          }
        });
        ++ok;
      } catch (const domain::Conflict&) {
        ++failed;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok, kWriters - kWriters / 8);
  EXPECT_EQ(failed, kWriters / 8);
  storage::TaskQuery q;
  q.limit = 1000;
  std::int64_t total = 0;
  store_->read([&](storage::ReadTx& tx) { total = tx.list_tasks(q).total; });
  EXPECT_EQ(total, kWriters - kWriters / 8);  // the failed ones left nothing behind
}

// Whatever a field held comes back from history as it was, through both ways of reading it.
TEST_P(StoreContract, HistoryKeepsAnyTextExactly) {
  const auto id = insert(sample("x"));
  const std::vector<domain::FieldChange> changes = {
      {"title", "Báo cáo \"nhanh\"\\ \n\t\x01 kết thúc", std::nullopt},
      {"due_on", std::nullopt, "2025-03-06"},
      {"description", "", "🏛️ UBND"}};
  store_->write([&](storage::WriteTx& tx) {
    domain::TaskEvent e;
    e.task_id = id;
    e.at = domain::from_unix_millis(1000);
    e.actor = "office";
    e.kind = domain::EventKind::updated;
    e.effective_on = d("2025-03-04");
    e.changes = changes;
    tx.append_event(e);
  });
  std::vector<domain::TaskEvent> history;
  std::map<domain::TaskId, std::vector<domain::TaskEvent>> since;
  store_->read([&](storage::ReadTx& tx) {
    history = tx.task_history(id);
    since = tx.changes_since({id, id + 1000}, domain::from_unix_millis(0));
  });
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].changes, changes);
  EXPECT_EQ(history[0].effective_on, d("2025-03-04"));
  ASSERT_EQ(since.at(id).size(), 1u);
  EXPECT_EQ(since.at(id)[0].changes, changes);
  EXPECT_EQ(since.at(id)[0].effective_on, d("2025-03-04"));
  EXPECT_TRUE(since.at(id + 1000).empty()) << "a task without changes has an empty list";
}

// Each change keeps the date it took effect; a task knows the latest of its changes' dates (not
// its registration's, not a note's), whatever order they were entered in, and the scans by
// effective date find it through that date.
TEST_P(StoreContract, ATaskKnowsTheLatestDateItsChangesTookEffect) {
  const auto id = insert(sample("Triển khai kế hoạch chuyển đổi số"));
  const auto effective_through = [&] {
    std::optional<domain::Date> through;
    store_->read([&](storage::ReadTx& tx) { through = tx.find_task(id)->effective_through; });
    return through;
  };
  const auto append = [&](domain::EventKind kind, const char* effective,
                          std::vector<domain::FieldChange> changes) {
    store_->write([&](storage::WriteTx& tx) {
      domain::TaskEvent e;
      e.task_id = id;
      e.at = domain::from_unix_millis(1000);
      e.actor = "vanphong";
      e.kind = kind;
      e.effective_on = d(effective);
      e.changes = std::move(changes);
      tx.append_event(e);
    });
  };
  append(domain::EventKind::created, "2025-03-01", {{"title", std::nullopt, "x"}});
  EXPECT_EQ(effective_through(), std::nullopt) << "registering is no change";
  append(domain::EventKind::updated, "2025-03-10", {{"due_on", "2025-03-31", "2025-04-15"}});
  append(domain::EventKind::suspended, "2025-03-05", {{"state", "open", "suspended"}});
  append(domain::EventKind::progress_note, "2025-03-20", {});
  EXPECT_EQ(effective_through(), d("2025-03-10"));

  std::set<domain::TaskId> found;
  const auto scan = [&](const char* from, const char* to) {
    found.clear();
    store_->read([&](storage::ReadTx& tx) {
      storage::ReadTx::PeriodScan s{domain::Instant{}, d(from), d(to), domain::Instant{}};
      s.basis = domain::AsOfBasis::effective;
      s.assigned_by = d(to);
      tx.for_each_task_of_period(s, [&](const Task& t) { found.insert(t.id); });
    });
    return found.count(id) == 1;
  };
  store_->write([&](storage::WriteTx& tx) {
    Task t = *tx.find_task(id);
    t.state = domain::LifecycleState::done;
    t.completed_on = d("2025-03-08");
    tx.update_task(t, t.title);
  });
  // Done, and assigned before these periods (sample): in one only through a change in it, or
  // its deadline (31/03) within it.
  EXPECT_TRUE(scan("2025-03-01", "2025-03-30"));
  EXPECT_TRUE(scan("2025-03-10", "2025-03-30"));
  EXPECT_FALSE(scan("2025-03-11", "2025-03-30"));
  EXPECT_TRUE(scan("2025-03-11", "2025-03-31")) << "due within the period";
  std::set<domain::TaskId> overdue_candidates;
  store_->read([&](storage::ReadTx& tx) {
    tx.for_each_overdue_candidate_effective(
        d("2025-03-09"), [&](const Task& t) { overdue_candidates.insert(t.id); });
  });
  EXPECT_EQ(overdue_candidates.count(id), 1U) << "changed with effect after the day";
  // Assigned on 20/02: not in a period that ends before, nor a candidate the day before, however
  // late its changes took effect.
  EXPECT_FALSE(scan("2025-02-01", "2025-02-19"));
  overdue_candidates.clear();
  store_->read([&](storage::ReadTx& tx) {
    tx.for_each_overdue_candidate_effective(
        d("2025-02-19"), [&](const Task& t) { overdue_candidates.insert(t.id); });
  });
  EXPECT_EQ(overdue_candidates.count(id), 0U) << "assigned after the day";
}

// A report's scan carries each task's version: a task still at its first has never changed, and
// the report counts it without reading its history.
TEST_P(StoreContract, APeriodScanCarriesEachTasksVersion) {
  const domain::TaskId kept = insert(sample("registered and left as it was"));
  const domain::TaskId changed = insert(sample("registered, then given a new deadline"));
  store_->write([&](storage::WriteTx& tx) {
    Task t = *tx.find_task(changed);
    t.due_on = d("2025-04-30");
    t.version += 1;
    tx.update_task(t, t.title);
  });
  std::map<domain::TaskId, std::int64_t> versions;
  store_->read([&](storage::ReadTx& tx) {
    storage::ReadTx::PeriodScan scan{domain::from_unix_millis(4102444800000), d("2000-01-01"),
                                     d("2100-01-01"), domain::from_unix_millis(0)};
    tx.for_each_task_of_period(scan, [&](const Task& t) { versions[t.id] = t.version; });
  });
  EXPECT_EQ(versions, (std::map<domain::TaskId, std::int64_t>{{kept, 1}, {changed, 2}}));
}

// The parts of a read_together see one snapshot, however busy the writer is; an error in one
// part comes back to the caller, and the connections stay usable.
TEST_P(StoreContract, PartsReadTogetherInOneSnapshot) {
  insert(sample("first"));
  std::atomic<bool> stop{false};
  std::int64_t written = 0;  // read only after join
  std::thread writer([&] {
    while (!stop) {
      insert(sample("busy " + std::to_string(++written)));
    }
  });
  int differing = 0;
  for (int round = 0; round < 50; ++round) {
    std::array<domain::TaskId, 3> last{};
    std::array<std::int64_t, 3> counted{};
    store_->read_together(3, [&](int part, storage::ReadTx& tx) {
      last[static_cast<std::size_t>(part)] = tx.last_task_id();
      storage::ReadTx::PeriodScan scan{domain::from_unix_millis(4102444800000), d("2000-01-01"),
                                       d("2100-01-01"), domain::from_unix_millis(0)};
      tx.for_each_task_of_period(scan,
                                 [&](const Task&) { ++counted[static_cast<std::size_t>(part)]; });
    });
    differing += (last[0] != last[1] || last[1] != last[2] || counted[0] != counted[1] ||
                  counted[1] != counted[2])
                     ? 1
                     : 0;
  }
  stop = true;
  writer.join();
  EXPECT_EQ(differing, 0) << "every part saw the same tasks";

  EXPECT_THROW(store_->read_together(2,
                                     [](int part, storage::ReadTx&) {
                                       if (part == 1) {
                                         throw domain::NotFound("part 1 failed");
                                       }
                                     }),
               domain::NotFound);
  std::int64_t after = 0;
  store_->read_together(2, [&](int part, storage::ReadTx& tx) {
    if (part == 0) {
      after = tx.last_task_id();
    }
  });
  // Whether the writer got a turn depends on the scheduler; what it wrote must all be seen.
  EXPECT_EQ(after, 1 + written) << "the connections read the latest commit after a failed part";
}

// Passwords and sessions: what is stored comes back; ending a user's sessions spares the one
// named; sessions ended or expired before a time are deleted, the others kept.
TEST_P(StoreContract, PasswordsAndSessionsRoundTrip) {
  const auto at = [](std::int64_t ms) { return domain::from_unix_millis(ms); };
  domain::UserId user = 0;
  std::array<domain::SessionId, 3> ids{};
  store_->write([&](storage::WriteTx& tx) {
    domain::User u;
    u.login = "cv.sxd";
    u.display_name = "Chuyên viên Sở Xây dựng";
    u.role = domain::Role::unit;
    u.unit_id = unit_;
    user = tx.insert_user(u);
    tx.set_password(user, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", true, at(5000));
    for (std::size_t i = 0; i < ids.size(); ++i) {
      domain::Session x;
      x.user_id = user;
      x.csrf_token = "csrf-" + std::to_string(i);
      x.created_at = at(1000);
      x.last_seen_at = at(1000);
      x.expires_at = at(10000 + static_cast<std::int64_t>(i));
      ids[i] = tx.insert_session(x);
      tx.set_session_hash(ids[i], std::string(64, static_cast<char>('a' + i)));
    }
    tx.touch_session(ids[0], at(3000));
    tx.touch_session(ids[0], at(2000));  // never back
  });
  std::optional<domain::User> found;
  std::string hash;
  std::optional<domain::Session> first;
  store_->read([&](storage::ReadTx& tx) {
    found = tx.find_user(user);
    hash = tx.password_hash(user);
    first = tx.find_session(ids[0]);
    EXPECT_FALSE(tx.find_session(ids[2] + 100));
    EXPECT_EQ(tx.password_hash(user + 100), "");
  });
  ASSERT_TRUE(found && first);
  EXPECT_TRUE(found->has_password);
  EXPECT_TRUE(found->must_change_password);
  EXPECT_EQ(hash, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
  EXPECT_EQ(first->user_id, user);
  EXPECT_EQ(first->secret_sha256, std::string(64, 'a'));
  EXPECT_EQ(first->csrf_token, "csrf-0");
  EXPECT_EQ(first->created_at, at(1000));
  EXPECT_EQ(first->last_seen_at, at(3000));
  EXPECT_EQ(first->expires_at, at(10000));
  EXPECT_FALSE(first->ended_at);

  store_->write([&](storage::WriteTx& tx) {
    EXPECT_EQ(tx.end_user_sessions(user, at(4000), ids[1]), 2);
    EXPECT_EQ(tx.end_user_sessions(user, at(4500), std::nullopt), 1) << "only the one spared";
    tx.set_password(user, "", false, at(6000));
  });
  store_->read([&](storage::ReadTx& tx) {
    EXPECT_EQ(tx.find_session(ids[0])->ended_at, at(4000));
    EXPECT_EQ(tx.find_session(ids[1])->ended_at, at(4500));
    EXPECT_FALSE(tx.find_user(user)->has_password);
  });
  store_->write([&](storage::WriteTx& tx) {
    EXPECT_EQ(tx.delete_old_sessions(at(4200)), 2) << "the two ended at 4000";
  });
  store_->read([&](storage::ReadTx& tx) {
    EXPECT_FALSE(tx.find_session(ids[0]));
    EXPECT_FALSE(tx.find_session(ids[2]));
    EXPECT_TRUE(tx.find_session(ids[1]));
  });
}

// Whom a notice goes to: the active users of a role (and unit) that have an address.
TEST_P(StoreContract, UserEmailsOfARoleAndUnit) {
  store_->write([&](storage::WriteTx& tx) {
    auto add = [&](const char* login, const char* email, domain::Role role,
                   std::optional<domain::UnitId> unit, bool active) {
      domain::User u;
      u.login = login;
      u.display_name = login;
      u.email = email;
      u.role = role;
      u.unit_id = unit;
      u.active = active;
      tx.insert_user(u);
    };
    add("cv.sxd", "cv.sxd@example.vn", domain::Role::unit, unit_, true);
    add("cv2.sxd", "", domain::Role::unit, unit_, true);
    add("cu.sxd", "cu.sxd@example.vn", domain::Role::unit, unit_, false);
    add("cv.stc", "cv.stc@example.vn", domain::Role::unit, other_unit_, true);
    add("chutich", "chutich@example.vn", domain::Role::leader, std::nullopt, true);
  });
  std::vector<std::string> sxd, units, leaders;
  store_->read([&](storage::ReadTx& tx) {
    sxd = tx.user_emails(domain::Role::unit, unit_);
    units = tx.user_emails(domain::Role::unit, std::nullopt);
    leaders = tx.user_emails(domain::Role::leader, std::nullopt);
  });
  EXPECT_EQ(sxd, std::vector<std::string>{"cv.sxd@example.vn"});
  EXPECT_EQ(units, (std::vector<std::string>{"cv.sxd@example.vn", "cv.stc@example.vn"}));
  EXPECT_EQ(leaders, std::vector<std::string>{"chutich@example.vn"});
}

TEST_P(StoreContract, BadCursorIsAValidationError) {
  storage::TaskQuery q;
  q.sort = storage::TaskSort::due_on;
  q.cursor = "not-a-cursor";
  EXPECT_THROW(store_->read([&](storage::ReadTx& tx) { tx.list_tasks(q); }),
               domain::ValidationError);
}

// Uniqueness holds in the schema, not only in the services' checks (which two writers on two
// nodes may both pass): a second row is refused with a Conflict naming what is taken, and the
// store goes on.
TEST_P(StoreContract, ALoginIsTakenOnce) {
  domain::User u;
  u.login = "chutich";
  u.display_name = "Chủ tịch UBND tỉnh";
  u.role = domain::Role::leader;
  store_->write([&](storage::WriteTx& tx) { tx.insert_user(u); });
  u.display_name = "Phó Chủ tịch UBND tỉnh";
  try {
    store_->write([&](storage::WriteTx& tx) { tx.insert_user(u); });
    FAIL() << "a second user with the login was stored";
  } catch (const domain::Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("login"), std::string::npos) << e.what();
  }
  u.login = "phochutich";
  EXPECT_NO_THROW(store_->write([&](storage::WriteTx& tx) { tx.insert_user(u); }));
}

TEST_P(StoreContract, AUnitCodeIsUsedOnce) {
  domain::Unit u;
  u.code = "SXD";  // the fixture's Sở Xây dựng has it
  u.name = "Sở Xây dựng (bản sao)";
  try {
    store_->write([&](storage::WriteTx& tx) { tx.insert_unit(u, "so xay dung"); });
    FAIL() << "a second unit with the code was stored";
  } catch (const domain::Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("unit code"), std::string::npos) << e.what();
  }
  store_->read([&](storage::ReadTx& tx) { EXPECT_EQ(tx.find_unit_by_code("SXD")->id, unit_); });
}

TEST_P(StoreContract, ATaskHasOnePendingExtensionRequestAtMost) {
  const auto task = insert(sample("Rà soát quy hoạch"));
  domain::ExtensionRequest r;
  r.task_id = task;
  r.unit_id = unit_;
  r.requested_by = "cv.sxd";
  r.current_due_on = d("2025-03-31");
  r.proposed_due_on = d("2025-04-30");
  r.reason = "Chờ ý kiến của Bộ Xây dựng";
  domain::ExtensionId first = 0;
  store_->write([&](storage::WriteTx& tx) { first = tx.insert_extension(r); });
  EXPECT_THROW(store_->write([&](storage::WriteTx& tx) { tx.insert_extension(r); }),
               domain::Conflict);
  // Once the first is decided, another may be filed.
  store_->write([&](storage::WriteTx& tx) {
    auto decided = *tx.find_extension(first);
    decided.state = domain::ExtensionState::rejected;
    decided.decided_by = "chutich";
    tx.update_extension(decided);
  });
  EXPECT_NO_THROW(store_->write([&](storage::WriteTx& tx) { tx.insert_extension(r); }));
}

namespace {

// A backend with nothing but the required part of the contract (SQLite's read and write
// underneath): the speed hooks' defaults must keep the contract too, so that a new engine can
// start from them.
class PlainStore final : public storage::Store {
 public:
  explicit PlainStore(std::unique_ptr<storage::Store> inner) : inner_(std::move(inner)) {}
  void write(const std::function<void(storage::WriteTx&)>& work) override { inner_->write(work); }
  void read(const std::function<void(storage::ReadTx&)>& work) override { inner_->read(work); }
  void set_message_listener(std::function<void()> listener) override {
    inner_->set_message_listener(std::move(listener));
  }
  void set_reminder_listener(std::function<void(domain::Instant)> listener) override {
    inner_->set_reminder_listener(std::move(listener));
  }
  int schema_version() const override { return inner_->schema_version(); }
  std::string durability() const override { return inner_->durability(); }

 private:
  std::unique_ptr<storage::Store> inner_;
};

std::unique_ptr<storage::Store> open_sqlite(const std::string& dir) {
  config::DatabaseConfig database;
  database.engine = config::DatabaseEngine::sqlite;
  database.path = dir + "/dondoc.db";
  return storage::open_store(database);
}

const Backend kBackends[] = {
    {"sqlite", open_sqlite},
    {"defaults_over_sqlite",
     [](const std::string& dir) -> std::unique_ptr<storage::Store> {
       return std::make_unique<PlainStore>(open_sqlite(dir));
     }},
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(kBackends),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });
