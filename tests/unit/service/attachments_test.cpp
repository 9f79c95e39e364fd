// Attached documents through the service, on a real store and a real directory: who may attach
// to what, the limits, what a file may be, the history, and who may read it back.
#include "dondoc/service/attachments.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/extensions.hpp"
#include "dondoc/service/services.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using domain::AttachedTo;
using domain::Date;
using dondoc::testing::at;

namespace {

const std::string kPdf = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";
const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "image data";

class Attachments : public ::testing::Test {
 protected:
  Attachments() {
    store_ = dondoc::testing::open_test_store(dir_);
    files_ = storage::open_file_store((dir_.path() / "attachments").string(), clock_.now());
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    ctx_->files = files_.get();
    ctx_->max_file_bytes = 1024;
    ctx_->max_task_bytes = 2048;
    service::UnitService units(*ctx_);
    sxd_ = units.create(system_, {"SXD", "Sở Xây dựng", domain::UnitKind::department, {}}).id;
    stc_ = units.create(system_, {"STC", "Sở Tài chính", domain::UnitKind::department, {}}).id;
    snv_ = units.create(system_, {"SNV", "Sở Nội vụ", domain::UnitKind::department, {}}).id;
    service::NewTask t;
    t.title = "Rà soát quy hoạch chung đô thị";
    t.source_ref = "45/TB-UBND";
    t.assigned_on = Date::parse("2025-06-02");
    t.lead_unit_id = sxd_;
    t.coordinating_unit_ids = {stc_};
    t.deadline = domain::DeadlineSpec::on(*Date::parse("2025-07-31"));
    task_ = service::TaskService(*ctx_).create(system_, t).task.id;
  }

  service::Actor person(const char* login, domain::Role role,
                        std::optional<domain::UnitId> unit = std::nullopt) {
    service::Actor a;
    a.user_id = ++users_;
    a.name = login;
    a.role = role;
    a.unit_id = unit;
    return a;
  }
  domain::Attachment attach(const service::Actor& who, const std::string& content,
                            const std::string& name = "Công văn.pdf",
                            AttachedTo to = AttachedTo::task, std::int64_t ref = 0) {
    return service::AttachmentService(*ctx_).attach(who, {task_, to, ref, name, {}}, content);
  }
  std::int64_t last_event_id() {
    return service::TaskService(*ctx_).history(system_, task_).back().id;
  }
  std::size_t files_on_disk() {
    std::size_t n = 0;
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(dir_.path() / "attachments")) {
      n += e.is_regular_file() ? 1 : 0;
    }
    return n;
  }

  service::Actor system_ = service::Actor::system();
  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{at("2025-06-10T09:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::FileStore> files_;
  std::unique_ptr<service::ServiceContext> ctx_;
  domain::UnitId sxd_ = 0, stc_ = 0, snv_ = 0;
  domain::TaskId task_ = 0;
  domain::UserId users_ = 0;
};

}  // namespace

TEST_F(Attachments, AFileIsKeptListedInTheHistoryAndReadBack) {
  const auto office = person("vanphong", domain::Role::office);
  const auto a = attach(office, kPdf, "C:\\fakepath\\Công văn 125-SXD");
  EXPECT_EQ(a.name, "Công văn 125-SXD.pdf");
  EXPECT_EQ(a.kind, domain::FileKind::pdf);
  EXPECT_EQ(a.size, static_cast<std::int64_t>(kPdf.size()));
  EXPECT_EQ(a.uploaded_by, "vanphong");
  EXPECT_EQ(a.uploaded_at, clock_.now());
  const auto history = service::TaskService(*ctx_).history(system_, task_);
  EXPECT_EQ(history.back().kind, domain::EventKind::attachment_added);
  EXPECT_EQ(history.back().note, "Công văn 125-SXD.pdf");
  EXPECT_EQ(history.back().actor, "vanphong");
  service::AttachmentService service(*ctx_);
  EXPECT_EQ(service.list(office, task_), std::vector<domain::Attachment>{a});
  const auto download = service.open(person("cv.stc", domain::Role::unit, stc_), a.id);
  std::ifstream in(download.path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), kPdf);
}

TEST_F(Attachments, OnlyThoseWhoSeeTheTaskHaveItsFiles) {
  const auto a = attach(person("vanphong", domain::Role::office), kPdf);
  service::AttachmentService service(*ctx_);
  const auto snv = person("cv.snv", domain::Role::unit, snv_);
  EXPECT_THROW(service.open(snv, a.id), domain::NotFound);
  EXPECT_THROW(service.open(person("admin", domain::Role::admin), a.id), domain::NotFound);
  EXPECT_THROW(service.list(snv, task_), domain::NotFound);
  EXPECT_THROW(attach(snv, kPdf), domain::NotFound) << "nor may they learn that it exists";
  EXPECT_THROW(attach(person("admin", domain::Role::admin), kPdf), domain::Forbidden);
  EXPECT_NO_THROW(service.open(person("phochutich", domain::Role::leader), a.id));
}

TEST_F(Attachments, EachUnitAttachesToWhatIsItsOwn) {
  service::TaskService tasks(*ctx_);
  const auto sxd = person("cv.sxd", domain::Role::unit, sxd_);
  const auto stc = person("cv.stc", domain::Role::unit, stc_);
  service::ActionInput note;
  note.note = "Đã gửi số liệu";
  tasks.act(stc, task_, service::TaskAction::note, note, std::nullopt);
  const auto stc_note = last_event_id();
  EXPECT_EQ(attach(stc, kPdf, "Số liệu.pdf", AttachedTo::note, stc_note).ref_id, stc_note);
  EXPECT_THROW(attach(sxd, kPng, "ảnh.png", AttachedTo::note, stc_note), domain::Forbidden)
      << "another unit's note";
  EXPECT_THROW(attach(sxd, kPng, "ảnh.png", AttachedTo::report, stc_note), domain::NotFound)
      << "a note is not a report";
  const auto request = service::ExtensionService(*ctx_).request(
      sxd, task_, {Date::parse("2025-08-29"), "Chờ ý kiến của Bộ Xây dựng", "125/SXD-QH"});
  EXPECT_NO_THROW(attach(sxd, kPng, "Tờ trình.png", AttachedTo::extension, request.request.id));
  EXPECT_THROW(attach(stc, kPdf, "x.pdf", AttachedTo::extension, request.request.id),
               domain::Forbidden);
  EXPECT_THROW(attach(sxd, kPdf, "x.pdf", AttachedTo::extension, request.request.id + 1),
               domain::NotFound);
  service::ActionInput done;
  done.completed_on = Date::parse("2025-06-10");
  done.completion_ref = "215/BC-SXD";
  tasks.act(sxd, task_, service::TaskAction::report_completion, done, std::nullopt);
  std::int64_t report = 0;  // the request closed itself after it: not the last event
  for (const auto& e : tasks.history(system_, task_)) {
    report = e.kind == domain::EventKind::completion_reported ? e.id : report;
  }
  EXPECT_THROW(attach(stc, kPdf, "x.pdf", AttachedTo::report, report), domain::Forbidden);
  const std::string other_pdf = kPdf + "% the report itself\n";
  EXPECT_NO_THROW(attach(sxd, other_pdf, "Báo cáo 215.pdf", AttachedTo::report, report));
  EXPECT_NO_THROW(attach(person("phochutich", domain::Role::leader), other_pdf, "Kết luận.pdf"));
}

TEST_F(Attachments, WhatAFileIsComesFromItsBytes) {
  const auto office = person("vanphong", domain::Role::office);
  EXPECT_THROW(attach(office, "just words, named like a letter", "Công văn.pdf"),
               domain::UnsupportedContent);
  EXPECT_THROW(attach(office, kPng, "Công văn.pdf"), domain::ValidationError);
  EXPECT_THROW(attach(office, "", "Công văn.pdf"), domain::ValidationError);
  EXPECT_THROW(attach(office, kPdf, "   "), domain::ValidationError);
  EXPECT_THROW(attach(office, kPdf, std::string("bad\xC3", 4)), domain::ValidationError);
  EXPECT_EQ(attach(office, kPng, "Ảnh hiện trường").name, "Ảnh hiện trường.png");
  EXPECT_EQ(files_on_disk(), 1u) << "nothing refused is left on disk";
}

TEST_F(Attachments, LimitsHoldPerFileAndPerTask) {
  const auto office = person("vanphong", domain::Role::office);
  service::AttachmentService service(*ctx_);
  // Declared too large: refused before a byte is taken.
  EXPECT_THROW(service.begin(office, {task_, AttachedTo::task, 0, "a.pdf", 1025}),
               domain::TooLarge);
  // Not declared (chunked): refused at the byte past the limit.
  {
    auto upload = service.begin(office, {task_, AttachedTo::task, 0, "a.pdf", {}});
    EXPECT_EQ(upload->limit(), 1024u);
    upload->append(kPdf + std::string(1024 - kPdf.size(), ' '));
    EXPECT_THROW(upload->append("x"), domain::TooLarge);
  }
  EXPECT_EQ(files_on_disk(), 0u);
  attach(office, kPdf + std::string(900, 'a'));
  attach(office, kPdf + std::string(900, 'b'));
  // 1,868 of 2,048 bytes used: 180 left for the next file, whatever the file limit.
  auto upload = service.begin(office, {task_, AttachedTo::task, 0, "c.pdf", {}});
  EXPECT_EQ(upload->limit(), 2048u - 2 * (kPdf.size() + 900));
  EXPECT_THROW(attach(office, kPdf + std::string(200, 'c')), domain::TooLarge);
  EXPECT_NO_THROW(attach(office, kPdf + std::string(100, 'c')));
}

TEST_F(Attachments, TheSameFileIsAttachedToTheSameThingOnce) {
  const auto office = person("vanphong", domain::Role::office);
  attach(office, kPdf, "Công văn.pdf");
  try {
    attach(office, kPdf, "Bản sao.pdf");
    FAIL() << "attached twice";
  } catch (const domain::Conflict& e) {
    EXPECT_STREQ(e.what(), "this file is attached here already, as 'Công văn.pdf'");
  }
}

TEST_F(Attachments, TheTaskLimitIsCheckedAgainInTheWrite) {
  // Two uploads begun side by side, each fitting alone: the second to be written is refused.
  const auto office = person("vanphong", domain::Role::office);
  service::AttachmentService service(*ctx_);
  attach(office, kPdf + std::string(100, 'z'));
  auto first = service.begin(office, {task_, AttachedTo::task, 0, "a.pdf", {}});
  auto second = service.begin(office, {task_, AttachedTo::task, 0, "b.pdf", {}});
  first->append(kPdf + std::string(1000 - kPdf.size(), 'a'));
  second->append(kPdf + std::string(1000 - kPdf.size(), 'b'));
  first->keep();
  second->keep();
  auto plan = first->plan();
  store_->write(plan.apply);
  auto late = second->plan();
  EXPECT_THROW(store_->write(late.apply), domain::TooLarge);
  EXPECT_EQ(service.list(office, task_).size(), 2u);
}
