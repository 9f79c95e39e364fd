// Bulk registration from a CSV register: every row or none, every problem at once with its row
// and column, units by code or name, deadlines as dates or periods, and no task registered twice.
#include "dondoc/service/task_import.hpp"
#include "dondoc/service/reports.hpp"
#include "dondoc/service/units.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "dondoc/domain/errors.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using domain::Date;
using dondoc::testing::at;

namespace {

const std::string kHeader =
    "STT,Số ký hiệu,Ngày văn bản,Nội dung nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời hạn,"
    "Độ khẩn\n";

class ImportTest : public ::testing::Test {
 protected:
  ImportTest() {
    store_ = dondoc::testing::open_test_store(dir_);
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    service::UnitService units(*ctx_);
    auto add = [&](const char* code, const char* name) {
      return units.create(system_, {code, name, domain::UnitKind::department, {}}).id;
    };
    sxd_ = add("SXD", "Sở Xây dựng");
    stc_ = add("STC", "Sở Tài chính");
    syt_ = add("SYT", "Sở Y tế");
    svh_ = add("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch");
    const auto sgtvt = add("SGTVT", "Sở Giao thông vận tải");
    service::MergeUnits merge;
    merge.unit_ids = {sgtvt};
    merge.into = sxd_;
    units.merge(system_, merge);
    tasks_ = std::make_unique<service::TaskService>(*ctx_);
    importer_ = std::make_unique<service::TaskImporter>(*ctx_, *tasks_);
  }

  std::vector<service::TaskView> all_tasks() {
    service::TaskListRequest r;
    r.limit = 200;
    return tasks_->list(system_, r).items;
  }

  // The errors an import of `csv` must raise.
  std::vector<domain::FieldError> errors_of(const std::string& csv) {
    try {
      importer_->import(system_, csv);
    } catch (const domain::ValidationError& e) {
      return e.errors();
    }
    ADD_FAILURE() << "the import succeeded";
    return {};
  }

  service::Actor system_ = service::Actor::system();
  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{at("2025-06-02T09:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::ServiceContext> ctx_;
  std::unique_ptr<service::TaskService> tasks_;
  std::unique_ptr<service::TaskImporter> importer_;
  domain::UnitId sxd_ = 0, stc_ = 0, syt_ = 0, svh_ = 0;
};

}  // namespace

TEST_F(ImportTest, RegistersEveryRowWithUnitsByCodeOrNameAndDeadlinesAsDatesOrPeriods) {
  const std::string csv =
      "\xEF\xBB\xBF" + kHeader +
      "1,125/TB-UBND,28/05/2025,Rà soát giải ngân vốn đầu tư công,SXD,so tai chinh,"
      "10 ngày làm việc,Khẩn\n"
      "2,125/TB-UBND,28/05/2025,Báo cáo hoạt động văn hóa,\"Sở Văn hóa, Thể thao và Du lịch\","
      "\"Sở Y tế; STC\",30 ngày,\n"
      "3,3456/UBND-KT,,Tham mưu kế hoạch phòng chống dịch,Sở Y tế,,15/07/2025,Thường\n"
      "4,,,Việc không có hạn,SYT,,,\n";
  const auto result = importer_->import(system_, csv);
  ASSERT_EQ(result.rows.size(), 4U);
  EXPECT_FALSE(result.dry_run);
  EXPECT_EQ(result.rows[0].row, 2);
  EXPECT_EQ(result.rows[3].row, 5);

  auto stored = all_tasks();
  ASSERT_EQ(stored.size(), 4U);
  std::sort(stored.begin(), stored.end(),
            [](const auto& a, const auto& b) { return a.task.id < b.task.id; });
  const auto& first = stored[0].task;
  EXPECT_EQ(first.id, result.rows[0].task.task.id);
  EXPECT_EQ(first.title, "Rà soát giải ngân vốn đầu tư công");
  EXPECT_EQ(first.source_ref, "125/TB-UBND");
  EXPECT_EQ(first.source_date, Date::parse("2025-05-28"));
  EXPECT_EQ(first.assigned_on, Date::parse("2025-06-02")) << "no Ngày giao column: today";
  EXPECT_EQ(first.lead_unit_id, sxd_);
  EXPECT_EQ(first.coordinating_unit_ids, std::vector<domain::UnitId>{stc_})
      << "a name without diacritics or case finds the unit";
  // 10 working days from Tuesday 3 June: 3–6, 9–13 and 16 June.
  EXPECT_EQ(first.due_on, Date::parse("2025-06-16"));
  EXPECT_EQ(first.priority, domain::Priority::urgent);

  const auto& second = stored[1].task;
  EXPECT_EQ(second.lead_unit_id, svh_) << "a name holding a comma, quoted";
  auto coordinating = second.coordinating_unit_ids;
  std::sort(coordinating.begin(), coordinating.end());
  EXPECT_EQ(coordinating, (std::vector<domain::UnitId>{stc_, syt_})) << "separated by ';'";
  EXPECT_EQ(second.due_on, Date::parse("2025-07-02")) << "30 days from 2 June";
  EXPECT_EQ(stored[2].task.due_on, Date::parse("2025-07-15"));
  EXPECT_FALSE(stored[3].task.due_on.has_value());

  const auto history = tasks_->history(system_, first.id);
  ASSERT_EQ(history.size(), 1U);
  EXPECT_EQ(history[0].kind, domain::EventKind::created);
}

TEST_F(ImportTest, OneBadRowRegistersNothingAndEveryProblemIsListedByRowAndColumn) {
  const std::string csv = kHeader +
                          "1,1/TB-UBND,31/02/2025,Nhiệm vụ có ngày sai,SXD,,,\n"
                          "2,2/TB-UBND,,Nhiệm vụ của đơn vị lạ,Sở Du hành Vũ trụ,,,\n"
                          "3,3/TB-UBND,,Nhiệm vụ đúng,SXD,,10 ngày làm việc,\n"
                          "4,4/TB-UBND,,,SXD,,,\n"
                          "5,5/TB-UBND,,Nhiệm vụ của đơn vị đã sáp nhập,SGTVT,,,\n"
                          "6,6/TB-UBND,,Hạn sai,SXD,SXD,mười ngày,Hỏa tốc lắm\n";
  const auto errors = errors_of(csv);
  EXPECT_TRUE(all_tasks().empty()) << "not even the good row";
  auto has = [&](int row, const std::string& column, const std::string& words) {
    return std::any_of(errors.begin(), errors.end(), [&](const domain::FieldError& e) {
      return e.row == row && e.field == column && e.message.find(words) != std::string::npos;
    });
  };
  EXPECT_TRUE(has(2, "Ngày văn bản", "not a real date"));
  EXPECT_TRUE(has(3, "Đơn vị chủ trì", "not the code or name of any unit"));
  EXPECT_TRUE(has(5, "Nội dung nhiệm vụ", ""));
  EXPECT_TRUE(has(6, "Đơn vị chủ trì", "\"Sở Xây dựng\" (SXD)"))
      << "a merged unit is refused with the name of its successor";
  EXPECT_TRUE(has(7, "Đơn vị phối hợp", "already the lead unit"));
  EXPECT_TRUE(has(7, "Thời hạn", "10 ngày làm việc"));
  EXPECT_TRUE(has(7, "Độ khẩn", "Khẩn"));
  EXPECT_FALSE(std::any_of(errors.begin(), errors.end(),
                           [](const domain::FieldError& e) { return e.row == 4; }));
  EXPECT_EQ(errors.size(), 7U);
}

TEST_F(ImportTest, HeaderProblemsStopBeforeTheRows) {
  const auto errors = errors_of("Nội dung nhiệm vụ,Ghi chú thêm,Nội dung\nA,B,C\n");
  ASSERT_EQ(errors.size(), 3U);
  for (const auto& e : errors) {
    EXPECT_EQ(e.row, 1);
  }
  EXPECT_EQ(errors[0].field, "Ghi chú thêm");
  EXPECT_NE(errors[0].message.find("not a column"), std::string::npos);
  EXPECT_EQ(errors[1].field, "Nội dung");
  EXPECT_NE(errors[1].message.find("repeats"), std::string::npos);
  EXPECT_EQ(errors[2].field, "Đơn vị chủ trì");
  EXPECT_NE(errors[2].message.find("required column"), std::string::npos);

  EXPECT_NE(errors_of("").at(0).message.find("empty"), std::string::npos);
  EXPECT_NE(errors_of(kHeader).at(0).message.find("no task rows"), std::string::npos);
}

TEST_F(ImportTest, HeadersAndNamesMatchWithoutCaseDiacriticsOrNfd) {
  // "Nội dung" and "Sở Y tế" typed with combining marks, as some keyboards produce them.
  const std::string nfd_title = "No\xCC\xA3\xCC\x82i dung";
  const std::string nfd_unit = "So\xCC\x9B\xCC\x89 Y te\xCC\x82\xCC\x81";
  importer_->import(system_,
                    nfd_title + ",DON VI CHU TRI,thoi han\nKiểm tra," + nfd_unit + ",2025-06-30\n");
  const auto stored = all_tasks();
  ASSERT_EQ(stored.size(), 1U);
  EXPECT_EQ(stored[0].task.lead_unit_id, syt_);
  EXPECT_EQ(stored[0].task.due_on, Date::parse("2025-06-30"));
}

TEST_F(ImportTest, ARepeatedRowOrASecondUploadOfTheSameFileIsRefused) {
  const std::string csv = kHeader + "1,125/TB-UBND,,Rà soát giải ngân,SXD,,,\n" +
                          "2,125/TB-UBND,,Rà soát giải ngân,STC,,,\n";
  importer_->import(system_, csv);
  const auto first = all_tasks();
  ASSERT_EQ(first.size(), 2U) << "the same content led by another unit is another task";

  const auto again = errors_of(csv);
  ASSERT_EQ(again.size(), 2U);
  EXPECT_NE(again[0].message.find("already registered, as task"), std::string::npos);
  EXPECT_EQ(all_tasks().size(), 2U);

  const auto twice =
      errors_of(kHeader + "1,9/TB-UBND,,Kiểm tra,SXD,,,\n" + "2,9/TB-UBND,,KIỂM TRA,SXD,,,\n");
  ASSERT_EQ(twice.size(), 1U);
  EXPECT_EQ(twice[0].row, 3);
  EXPECT_NE(twice[0].message.find("repeats row 2"), std::string::npos);
}

TEST_F(ImportTest, ADryRunShowsWhatWouldBeRegisteredAndRegistersNothing) {
  const auto result =
      importer_->check(system_, kHeader + "1,1/TB-UBND,,Kiểm tra,SXD,,10 ngày làm việc,\n");
  EXPECT_TRUE(result.dry_run);
  ASSERT_EQ(result.rows.size(), 1U);
  EXPECT_EQ(result.rows[0].task.task.id, 0);
  EXPECT_EQ(result.rows[0].task.task.due_on, Date::parse("2025-06-16"));
  EXPECT_TRUE(all_tasks().empty());
}

TEST_F(ImportTest, AFileTooLongToRegisterAtOnceIsRefused) {
  std::string csv = "Nội dung,Chủ trì\n";
  for (int i = 0; i <= service::kMaxImportRows; ++i) {
    csv += "Nhiệm vụ " + std::to_string(i) + ",SXD\n";
  }
  const auto errors = errors_of(csv);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_NE(errors[0].message.find("split it"), std::string::npos);
}

TEST_F(ImportTest, AUnitUserMayNotImport) {
  service::Actor unit_user = system_;
  unit_user.role = domain::Role::unit;
  unit_user.unit_id = sxd_;
  EXPECT_THROW(importer_->import(unit_user, kHeader + "1,,,Kiểm tra,SXD,,,\n"), domain::Forbidden);
}

TEST_F(ImportTest, ACellUnderNoHeaderIsRefusedNotDropped) {
  const auto errors = errors_of(
      "Nội dung nhiệm vụ,,Đơn vị chủ trì\n"
      "Kiểm tra,,SXD\n"
      "Rà soát,ghi chú lạc cột,SXD\n"
      "Báo cáo,,SXD,thừa\n");
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0].row, 3);
  EXPECT_NE(errors[0].message.find("column 2"), std::string::npos) << errors[0].message;
  EXPECT_EQ(errors[1].row, 4);
  EXPECT_NE(errors[1].message.find("column 4"), std::string::npos) << errors[1].message;
  EXPECT_TRUE(all_tasks().empty());
}

// The register's "Lãnh đạo phụ trách" column names the leader in charge by login or by name
// (without case or diacritics); an empty cell leaves the lead unit's leader; a name that is no
// active leader's is refused with its row and column. "Trọng tâm" marks the key tasks.
TEST_F(ImportTest, TheLeaderInChargeAndTheKeyTasksComeFromTheirColumns) {
  domain::UserId pho1 = 0, pho2 = 0;
  store_->write([&](storage::WriteTx& tx) {
    domain::User u;
    u.role = domain::Role::leader;
    u.login = "phochutich1";
    u.display_name = "Phó Chủ tịch UBND tỉnh phụ trách xây dựng";
    pho1 = tx.insert_user(u);
    u.login = "phochutich2";
    u.display_name = "Phó Chủ tịch UBND tỉnh phụ trách kinh tế";
    pho2 = tx.insert_user(u);
    u.login = "vanphong";
    u.display_name = "Văn phòng";
    u.role = domain::Role::office;
    tx.insert_user(u);
  });
  service::UnitPatch in_charge;
  in_charge.leader_id = pho1;
  service::UnitService(*ctx_).update(system_, sxd_, in_charge);
  const std::string header = "Nội dung nhiệm vụ,Đơn vị chủ trì,Lãnh đạo phụ trách,Trọng tâm\n";
  const auto result = importer_->import(
      system_, header +
                   "Rà soát quy hoạch,SXD,,x\n"
                   "Báo cáo dự toán,STC,pho chu tich ubnd tinh phu trach kinh te,\n"
                   "Kiểm tra công trình,SXD,phochutich2,Có\n");
  ASSERT_EQ(result.rows.size(), 3U);
  EXPECT_EQ(result.rows[0].task.task.leader_id, pho1) << "the unit's leader";
  EXPECT_TRUE(result.rows[0].task.task.key_task);
  EXPECT_EQ(result.rows[1].task.task.leader_id, pho2) << "by name, folded";
  EXPECT_FALSE(result.rows[1].task.task.key_task);
  EXPECT_EQ(result.rows[2].task.task.leader_id, pho2) << "by login, over the unit's";
  EXPECT_TRUE(result.rows[2].task.task.key_task);

  const auto errors = errors_of(header +
                                "Việc một,SYT,vanphong,\n"
                                "Việc hai,SYT,,có lẽ\n");
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0].row, 2);
  EXPECT_EQ(errors[0].field, "Lãnh đạo phụ trách");
  EXPECT_NE(errors[0].message.find("not the login or the name of an active leader"),
            std::string::npos)
      << errors[0].message;
  EXPECT_EQ(errors[1].row, 3);
  EXPECT_EQ(errors[1].field, "Trọng tâm");
}

// A register brought in with its history: each task's extensions, completion, suspension or
// cancellation entered through the use cases, each on the date it took effect; reports as of
// past dates then see it as it was.
const std::string kHistoryHeader =
    "Số ký hiệu,Nội dung nhiệm vụ,Đơn vị chủ trì,Ngày giao,Thời hạn,Trạng thái,Ngày hoàn thành,"
    "Văn bản báo cáo hoàn thành,Ngày tạm dừng,Ngày hủy,Lý do hủy,Gia hạn\n";

TEST_F(ImportTest, AHistoryComesInWithEachChangeOnTheDateItTookEffect) {
  const std::string csv =
      kHistoryHeader +
      "12/TB-UBND,Hoàn thiện hồ sơ khu công nghiệp,SXD,05/01/2025,31/03/2025,Đã hoàn thành,"
      "20/03/2025,45/BC-SXD,,,,\n"
      "12/TB-UBND,Thẩm định dự án bệnh viện,SYT,06/01/2025,28/02/2025,Đã hoàn thành,10/04/2025,"
      "51/BC-SYT,,,,\"15/02/2025; 31/03/2025; 30/UBND-VP\n20/03/2025; 30/04/2025; 41/UBND-VP\"\n"
      "12/TB-UBND,Rà soát quy hoạch,STC,07/01/2025,15/02/2025,,,,,,,\n"
      "12/TB-UBND,Khảo sát bến xe cũ,SXD,08/01/2025,30/04/2025,Đã hủy,,,,10/03/2025,"
      "Đã sáp nhập vào nhiệm vụ khác,\n"
      "12/TB-UBND,Đề án chuyển đổi số,STC,09/01/2025,30/06/2025,Tạm dừng,,,01/04/2025,,,\n"
      "12/TB-UBND,Báo cáo an toàn giao thông,SXD,10/01/2025,31/05/2025,Đã báo cáo,28/05/2025,"
      "60/BC-SXD,,,,\n";
  const auto result = importer_->import(system_, csv);
  ASSERT_EQ(result.rows.size(), 6U);
  const auto& done = result.rows[0].task.task;
  EXPECT_EQ(done.state, domain::LifecycleState::done);
  EXPECT_EQ(done.completed_on, Date::parse("2025-03-20"));
  EXPECT_EQ(done.completion_ref, "45/BC-SXD");
  const auto& extended = result.rows[1].task.task;
  EXPECT_EQ(extended.due_on, Date::parse("2025-04-30"));
  EXPECT_EQ(extended.original_due_on, Date::parse("2025-02-28"));
  EXPECT_EQ(extended.extension_count, 2);
  EXPECT_EQ(result.rows[1].task.timeliness, domain::Timeliness::done_on_time);
  EXPECT_EQ(result.rows[3].task.task.state, domain::LifecycleState::cancelled);
  EXPECT_EQ(result.rows[4].task.task.state, domain::LifecycleState::suspended);
  EXPECT_EQ(result.rows[5].task.task.state, domain::LifecycleState::reported);

  // The history says when each change was entered (today) and when it took effect.
  const auto history = tasks_->history(system_, extended.id);
  std::vector<std::pair<domain::EventKind, std::string>> effective;
  for (const auto& e : history) {
    effective.emplace_back(e.kind, e.effective_on ? e.effective_on->to_string() : "");
    EXPECT_EQ(domain::local_date(e.at, 7h), Date::parse("2025-06-02"));
  }
  const std::vector<std::pair<domain::EventKind, std::string>> want = {
      {domain::EventKind::created, "2025-01-06"},
      {domain::EventKind::updated, "2025-02-15"},
      {domain::EventKind::updated, "2025-03-20"},
      {domain::EventKind::confirmed, "2025-04-10"}};
  EXPECT_EQ(effective, want);

  // As of 31/03/2025, as things were: the first done on time; the second open with its first
  // extension (to 31/03), on time; the third overdue since 15/02; the fourth cancelled; the
  // fifth and sixth open on time. The extensions decided in the quarter are two.
  service::ReportService reports(*ctx_);
  service::SummaryRequest q1{*Date::parse("2025-01-01"), *Date::parse("2025-03-31"),
                             *Date::parse("2025-03-31")};
  const auto s = reports.summary(system_, q1).summary.all.fresh;
  EXPECT_EQ(s.total, 6);
  EXPECT_EQ(s.done_on_time, 1);
  EXPECT_EQ(s.open_on_time, 3);
  EXPECT_EQ(s.open_overdue, 1);
  EXPECT_EQ(s.cancelled, 1);
  q1.basis = domain::AsOfBasis::recorded;
  EXPECT_EQ(reports.summary(system_, q1).summary.all.fresh.total, 0) << "entered in June";
}

TEST_F(ImportTest, HistoryProblemsAreListedByRowAndColumn) {
  const std::string csv =
      kHistoryHeader +
      "1/TB-UBND,Một,SXD,05/01/2025,31/03/2025,Đã hoàn thành,,45/BC-SXD,,,,\n"
      "1/TB-UBND,Hai,SXD,05/01/2025,31/03/2025,Đã hoàn thành,20/06/2025,45/BC-SXD,,,,\n"
      "1/TB-UBND,Ba,SXD,05/01/2025,31/03/2025,Đã hoàn thành,04/01/2025,45/BC-SXD,,,,\n"
      "1/TB-UBND,Bốn,SXD,05/01/2025,31/03/2025,Xong rồi,,,,,,\n"
      "1/TB-UBND,Năm,SXD,05/01/2025,31/03/2025,Đã hủy,,,,10/03/2025,,\n"
      "1/TB-UBND,Sáu,SXD,05/01/2025,31/03/2025,,,,,,,15/02/2025; 15/03/2025; 30/UBND-VP\n"
      "1/TB-UBND,Bảy,SXD,05/01/2025,31/03/2025,,,,,,,15/02/2025 đến 30/04/2025\n"
      "1/TB-UBND,Tám,SXD,05/01/2025,31/03/2025,,20/03/2025,,,,,\n"
      "1/TB-UBND,Chín,SXD,05/01/2025,31/03/2025,Đã hoàn thành,20/03/2025,,,,,\n";
  const auto errors = errors_of(csv);
  const std::vector<std::pair<int, std::string>> want = {
      {2, "Ngày hoàn thành"}, {3, "Ngày hoàn thành"}, {4, "Ngày hoàn thành"},
      {5, "Trạng thái"},      {6, "Lý do hủy"},       {7, "Gia hạn"},
      {8, "Gia hạn"},         {9, "Ngày hoàn thành"}, {10, "Văn bản báo cáo hoàn thành"}};
  std::vector<std::pair<int, std::string>> got;
  for (const auto& e : errors) {
    got.emplace_back(e.row, e.field);
  }
  EXPECT_EQ(got, want);
  for (const auto& e : errors) {
    EXPECT_FALSE(e.message.empty());
  }
  EXPECT_NE(errors[1].message.find("after today"), std::string::npos) << errors[1].message;
  EXPECT_NE(errors[2].message.find("before the task was assigned"), std::string::npos);
  EXPECT_NE(errors[5].message.find("later than 31/03/2025"), std::string::npos)
      << errors[5].message;
  EXPECT_TRUE(all_tasks().empty());
}
