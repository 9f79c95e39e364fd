#include "demo_command.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "dondoc/service/attachments.hpp"
#include "dondoc/service/contributions.hpp"
#include "dondoc/service/extensions.hpp"
#include "dondoc/service/series.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/service/text.hpp"
#include "offline.hpp"

namespace dondoc::app {

namespace {

using domain::Date;
using domain::DeadlineSpec;
using domain::TaskId;
using domain::UnitId;
using service::Actor;

// No email addresses: a demo database must not fill the outbox with two years of notices that
// a mail server configured later would send.
struct DemoUnit {
  const char* code;
  const char* name;
  domain::UnitKind kind;
};

constexpr std::array<DemoUnit, 28> kUnits{{
    {"SNV", "Sở Nội vụ", domain::UnitKind::department},
    {"STC", "Sở Tài chính", domain::UnitKind::department},
    {"SKHDT", "Sở Kế hoạch và Đầu tư", domain::UnitKind::department},
    {"SXD", "Sở Xây dựng", domain::UnitKind::department},
    {"SGTVT", "Sở Giao thông vận tải", domain::UnitKind::department},
    {"SNNMT", "Sở Nông nghiệp và Môi trường", domain::UnitKind::department},
    {"SCT", "Sở Công Thương", domain::UnitKind::department},
    {"SYT", "Sở Y tế", domain::UnitKind::department},
    {"SGDDT", "Sở Giáo dục và Đào tạo", domain::UnitKind::department},
    {"SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", domain::UnitKind::department},
    {"SKHCN", "Sở Khoa học và Công nghệ", domain::UnitKind::department},
    {"STP", "Sở Tư pháp", domain::UnitKind::department},
    {"SDTTG", "Sở Dân tộc và Tôn giáo", domain::UnitKind::department},
    {"TTT", "Thanh tra tỉnh", domain::UnitKind::agency},
    {"VPUB", "Văn phòng UBND tỉnh", domain::UnitKind::agency},
    {"BQLKKT", "Ban Quản lý Khu kinh tế tỉnh", domain::UnitKind::agency},
    {"BQLDA", "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông",
     domain::UnitKind::agency},
    {"CAT", "Công an tỉnh", domain::UnitKind::agency},
    {"BCHQS", "Bộ Chỉ huy Quân sự tỉnh", domain::UnitKind::agency},
    {"BHXH", "Bảo hiểm xã hội tỉnh", domain::UnitKind::agency},
    {"CTHUE", "Thuế tỉnh", domain::UnitKind::agency},
    {"PBENTHUY", "UBND phường Bến Thủy", domain::UnitKind::ward},
    {"PTRUONGVINH", "UBND phường Trường Vinh", domain::UnitKind::ward},
    {"XTANPHU", "UBND xã Tân Phú", domain::UnitKind::commune},
    {"XNGHIATHUAN", "UBND xã Nghĩa Thuận", domain::UnitKind::commune},
    {"XDIENCHAU", "UBND xã Diễn Châu", domain::UnitKind::commune},
    {"XQUYNHLUU", "UBND xã Quỳnh Lưu", domain::UnitKind::commune},
    {"XCONCUONG", "UBND xã Con Cuông", domain::UnitKind::commune},
}};

constexpr std::array<const char*, 16> kWork{{
    "Rà soát, hoàn thiện hồ sơ điều chỉnh chủ trương đầu tư dự án",
    "Tham mưu giải quyết kiến nghị của cử tri về",
    "Báo cáo tình hình thực hiện",
    "Đẩy nhanh tiến độ giải ngân vốn đầu tư công đối với",
    "Kiểm tra, xử lý vi phạm trong lĩnh vực",
    "Xây dựng kế hoạch triển khai",
    "Hoàn thành công tác giải phóng mặt bằng",
    "Tổng hợp, đề xuất phương án sắp xếp",
    "Tham mưu văn bản chỉ đạo về",
    "Phối hợp tháo gỡ khó khăn, vướng mắc cho",
    "Đánh giá kết quả thực hiện chương trình",
    "Chuẩn bị nội dung làm việc với Bộ về",
    "Rà soát quy hoạch chi tiết",
    "Kiểm tra công tác phòng cháy, chữa cháy tại",
    "Tổ chức đối thoại với doanh nghiệp về",
    "Hoàn thiện đề án",
}};

constexpr std::array<const char*, 14> kSubjects{{
    "dự án đường ven biển",
    "khu công nghiệp Thọ Lộc",
    "cầu Bến Thủy 3",
    "bệnh viện đa khoa tỉnh cơ sở 2",
    "chương trình mục tiêu quốc gia xây dựng nông thôn mới",
    "thủ tục hành chính liên thông",
    "nhà ở xã hội tại phường Trường Vinh",
    "an toàn thực phẩm dịp Tết",
    "chuyển đổi số trong cơ quan nhà nước",
    "khu tái định cư xã Tân Phú",
    "trường học xuống cấp",
    "bến xe khách phía Nam",
    "hồ chứa nước Bản Mồng",
    "cải cách hành chính năm",
}};

// The leaders and the fields they are in charge of (the units of each field), as a province's
// division of work among the Chairman and the Vice-Chairmen has it. Wards and communes have no
// leader in charge: the Chairman follows them.
struct DemoLeader {
  const char* login;
  const char* name;
  std::array<const char*, 6> units;  // nullptr: no more
};

constexpr std::array<DemoLeader, 4> kLeaders{{
    {"chutich", "Chủ tịch UBND tỉnh", {"SNV", "STP", "TTT", "VPUB", "CAT", "BCHQS"}},
    {"phochutich.kt",
     "Phó Chủ tịch Thường trực UBND tỉnh (kinh tế)",
     {"STC", "SKHDT", "SCT", "CTHUE", "BHXH", "BQLKKT"}},
    {"phochutich.xd",
     "Phó Chủ tịch UBND tỉnh (xây dựng, nông nghiệp và môi trường)",
     {"SXD", "SGTVT", "SNNMT", "BQLDA", nullptr, nullptr}},
    {"phochutich.vx",
     "Phó Chủ tịch UBND tỉnh (văn hóa - xã hội)",
     {"SYT", "SGDDT", "SVHTTDL", "SKHCN", "SDTTG", nullptr}},
}};

constexpr std::array<const char*, 4> kSources{{"TB-UBND", "CV-UBND", "QĐ-UBND", "KL-UBND"}};
constexpr std::array<const char*, 3> kAssigners{
    {"Chủ tịch UBND tỉnh", "Phó Chủ tịch Thường trực UBND tỉnh", "Phó Chủ tịch UBND tỉnh"}};

// A document number as part of a file name: "125/SXD-KHTC" → "125-SXD-KHTC" (a file name has
// no "/").
std::string file_safe(std::string ref) {
  std::replace(ref.begin(), ref.end(), '/', '-');
  return ref;
}

// A one-page PDF that any viewer opens: the lines in Helvetica (ASCII: the demo's letters are
// written without diacritics, as a scan's OCR text layer often is), with a correct xref table.
std::string demo_pdf(const std::vector<std::string>& lines) {
  std::string text = "BT /F1 13 Tf 72 770 Td";
  for (const auto& line : lines) {
    std::string escaped;
    for (const char c : service::ascii_fallback(line)) {
      if (c == '(' || c == ')' || c == '\\') {
        escaped += '\\';
      }
      escaped += c;
    }
    text += " (" + escaped + ") Tj 0 -22 Td";
  }
  text += " ET";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const auto at : offsets) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", at);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

class Province {
 public:
  Province(const service::ServiceContext& ctx, ManualClock& clock, const domain::TimeZone& zone)
      : ctx_(ctx), clock_(clock), zone_(zone), tasks_(ctx), extensions_(ctx) {}

  void found(Date first) {
    at(first, 7);
    service::UnitService units(ctx_);
    for (const auto& u : kUnits) {
      ids_[u.code] = units.create(system_, {u.code, u.name, u.kind, {}}).id;
    }
    // The leaders (accounts without a password or an email address: `dondocd user passwd
    // LOGIN` gives a password), each in charge of the units of their field.
    for (const auto& l : kLeaders) {
      std::int64_t id = 0;
      ctx_.store.write([&](storage::WriteTx& tx) {
        if (const auto existing = tx.find_user_by_login(l.login)) {
          id = existing->id;
          return;
        }
        domain::User u;
        u.login = l.login;
        u.display_name = l.name;
        u.role = domain::Role::leader;  // no email address: a demo sends nothing
        u.created_at = u.updated_at = clock_.now();
        id = tx.insert_user(u);
      });
      for (const char* code : l.units) {
        if (code != nullptr) {
          service::UnitPatch p;
          p.leader_id = id;
          units.update(system_, ids_.at(code), p);
        }
      }
    }
  }

  // One working day of the province: new tasks, reports, confirmations, extension requests
  // and decisions, the odd cancellation.
  void live(Date day) {
    at(day, 7);
    make_periodic_tasks();
    if (!ctx_.calendar.is_working_day(day)) {
      return;
    }
    const int fresh = 1 + pick(3);
    for (int i = 0; i < fresh; ++i) {
      at(day, 8 + i);
      assign(day);
    }
    at(day, 14);
    for (auto it = open_.begin(); it != open_.end();) {
      it = step(day, it);
    }
    at(day, 15);
    send_contributions(day);
    at(day, 16);
    decide_extensions(day);
  }

  // The reports a province asks for on a schedule: monthly, quarterly, half-yearly, yearly.
  void start_series(Date day) {
    at(day, 8);
    struct Plan {
      const char* title;
      const char* source;
      const char* lead;
      const char* coordinating;
      domain::Frequency frequency;
      int month_of_period;
      domain::DayRule day_rule;
      int day;
    };
    const Plan plans[] = {
        {"Báo cáo tình hình giải ngân vốn đầu tư công", "12/CT-UBND", "STC", "SKHDT",
         domain::Frequency::monthly, 1, domain::DayRule::day_of_month, 20},
        {"Báo cáo kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội", "05/QĐ-UBND", "SKHDT",
         "", domain::Frequency::monthly, 1, domain::DayRule::working_day, 5},
        {"Báo cáo kết quả cải cách hành chính", "1526/KH-UBND", "SNV", "VPUB",
         domain::Frequency::quarterly, 3, domain::DayRule::day_of_month, 15},
        {"Báo cáo công tác phòng, chống tham nhũng", "88/KH-UBND", "TTT", "",
         domain::Frequency::half_yearly, 6, domain::DayRule::day_of_month, 10},
        {"Báo cáo tổng kết công tác an toàn thực phẩm", "210/KH-UBND", "SYT", "SCT",
         domain::Frequency::yearly, 11, domain::DayRule::day_of_month, 30},
    };
    for (const auto& p : plans) {
      service::NewSeries n;
      n.pattern.title = p.title;
      n.pattern.source_ref = p.source;
      n.pattern.source_date = day - 5;
      n.pattern.source_title = "Kế hoạch của UBND tỉnh";
      n.pattern.assigner = kAssigners[0];
      n.pattern.lead_unit_id = ids_.at(p.lead);
      if (*p.coordinating != '\0') {
        n.pattern.coordinating_unit_ids = {ids_.at(p.coordinating)};
      }
      n.rule.frequency = p.frequency;
      n.rule.month_of_period = p.month_of_period;
      n.rule.day_rule = p.day_rule;
      n.rule.day = p.day;
      n.rule.on_day_off = p.day_rule == domain::DayRule::day_of_month ? domain::DayOffRoll::previous
                                                                      : domain::DayOffRoll::keep;
      n.starts_on = day;
      series_.create(system_, n);
    }
    make_periodic_tasks();
  }

  // The 2025 reorganisation: Transport into Construction, Planning and Investment into Finance.
  void reorganise(Date day) {
    at(day, 7);
    service::UnitService units(ctx_);
    units.merge(system_, {{ids_.at("SGTVT")},
                          ids_.at("SXD"),
                          std::nullopt,
                          day,
                          "Nghị quyết sắp xếp tổ chức bộ máy các cơ quan chuyên môn"});
    units.merge(system_, {{ids_.at("SKHDT")},
                          ids_.at("STC"),
                          std::nullopt,
                          day,
                          "Nghị quyết sắp xếp tổ chức bộ máy các cơ quan chuyên môn"});
    merged_ = true;
  }

  int task_count() const { return created_; }
  int series_task_count() const { return static_cast<int>(series_tasks_.size()); }
  int attachment_count() const { return attached_; }

 private:
  struct Open {
    Date due;
    bool reported = false;
    bool asked = false;
  };

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  void at(Date day, int hour) { clock_.set(zone_.start_of(day) + std::chrono::hours(hour)); }

  UnitId unit_for_task() {
    for (;;) {
      const auto& u = kUnits[static_cast<std::size_t>(pick(static_cast<int>(kUnits.size())))];
      const std::string code = u.code;
      if (code == "VPUB" || (merged_ && (code == "SGTVT" || code == "SKHDT"))) {
        continue;  // the Office follows tasks up rather than leading them; merged units are gone
      }
      return ids_.at(code);
    }
  }

  // The series' tasks made today join the province's work like any other.
  void make_periodic_tasks() {
    if (series_.make_due_tasks().tasks == 0) {
      return;
    }
    for (const auto& s : series_.list(system_, {}).items) {
      for (const auto& t : series_.get(system_, s.series.id).tasks) {
        if (series_tasks_.insert(t.task.id).second && t.task.due_on) {
          open_[t.task.id] = {*t.task.due_on};
        }
      }
    }
  }

  void assign(Date day) {
    service::NewTask t;
    const int number = 10 + pick(990);
    t.title = std::string(kWork[static_cast<std::size_t>(pick(kWork.size()))]) + " " +
              kSubjects[static_cast<std::size_t>(pick(kSubjects.size()))];
    t.source_ref = std::to_string(number) + "/" + kSources[static_cast<std::size_t>(pick(4))];
    t.source_date = day - pick(3);
    t.source_title = "Thông báo kết luận của lãnh đạo UBND tỉnh tại cuộc họp";
    t.assigner = kAssigners[static_cast<std::size_t>(pick(3))];
    t.assigned_on = day;
    t.lead_unit_id = unit_for_task();
    if (pick(2) == 0) {
      const UnitId other = unit_for_task();
      if (other != t.lead_unit_id) {
        t.coordinating_unit_ids = {other};
      }
    }
    const int kind = pick(10);
    t.deadline = kind == 0  ? DeadlineSpec::none()
                 : kind < 6 ? DeadlineSpec::working_days(5 + pick(20))
                            : DeadlineSpec::days(10 + pick(40));
    t.priority = pick(12) == 0 ? domain::Priority::urgent : domain::Priority::normal;
    t.key_task = created_ % 15 == 7;  // a few key tasks, without moving the random draws
    const auto view = tasks_.create(system_, t);
    ++created_;
    if (created_ % 12 == 5) {  // the assigning letter, scanned
      const std::string name = "Thông báo " + file_safe(t.source_ref) + ".pdf";
      ++attached_;
      attachments_.attach(system_, {view.task.id, domain::AttachedTo::task, 0, name, {}},
                          demo_pdf({"UY BAN NHAN DAN TINH", "THONG BAO so " + t.source_ref,
                                    t.source_title, t.title, "Ngay " + day.to_string()}));
    }
    open_[view.task.id] = {view.task.due_on.value_or(day + 365)};
    // Half the coordinating units are asked for their input by a date of their own.
    if (!t.coordinating_unit_ids.empty() && view.task.due_on && created_ % 2 == 0) {
      const Date by = std::min(*view.task.due_on, day + 5 + created_ % 7);
      const UnitId unit = t.coordinating_unit_ids.front();
      contributions_.set_deadline(system_, view.task.id, unit, by, "");
      awaited_.push_back({view.task.id, unit, by});
    }
  }

  std::map<TaskId, Open>::iterator step(Date day, std::map<TaskId, Open>::iterator it) {
    auto& [id, o] = *it;
    const int days_left = o.due - day;
    try {
      if (o.reported) {
        if (pick(3) == 0) {  // the Office checks within a few days
          if (pick(20) == 0) {
            service::ActionInput in;
            in.note = "Báo cáo chưa đầy đủ, đề nghị bổ sung";
            tasks_.act(system_, id, service::TaskAction::reopen, in, std::nullopt);
            o.reported = false;
          } else {
            tasks_.act(system_, id, service::TaskAction::confirm, {}, std::nullopt);
            return open_.erase(it);
          }
        }
        return ++it;
      }
      if (!o.asked && days_left > 3 && days_left < 8 && pick(12) == 0) {
        const auto r =
            extensions_.request(system_, id,
                                {o.due + 10 + pick(30), "Chờ ý kiến của các bộ, ngành Trung ương",
                                 std::to_string(10 + pick(500)) + "/SXD-KHTC"});
        pending_.push_back(r.request.id);
        o.asked = true;
        return ++it;
      }
      // Most units finish around their deadline; some late, a few very late.
      const int chance = days_left > 5 ? 40 : days_left > 0 ? 6 : days_left > -10 ? 5 : 15;
      if (pick(chance) == 0) {
        service::ActionInput in;
        in.completed_on = day;
        in.completion_ref = std::to_string(10 + pick(800)) + "/BC";
        const auto reported =
            tasks_.act(system_, id, service::TaskAction::report_completion, in, std::nullopt);
        o.reported = true;
        if (id % 10 == 3) {  // the unit's report, attached to its completion report
          std::int64_t event = 0;
          for (const auto& e : tasks_.history(system_, id)) {
            event = e.kind == domain::EventKind::completion_reported ? e.id : event;
          }
          ++attached_;
          attachments_.attach(
              system_,
              {id,
               domain::AttachedTo::report,
               event,
               "Báo cáo " + file_safe(*in.completion_ref) + ".pdf",
               {}},
              demo_pdf({"BAO CAO so " + *in.completion_ref, "Ket qua thuc hien nhiem vu",
                        reported.task.title, "Ngay " + day.to_string()}));
        }
      } else if (pick(2500) == 0) {
        service::ActionInput in;
        in.reason = "Nội dung đã được giải quyết tại văn bản khác";
        tasks_.act(system_, id, service::TaskAction::cancel, in, std::nullopt);
        return open_.erase(it);
      }
    } catch (const domain::Conflict&) {
      // not allowed in the task's state just now: the province moves on
    } catch (const domain::ValidationError&) {
    }
    return ++it;
  }

  // Most coordinating units send their input around their deadline; some late, a few never.
  void send_contributions(Date day) {
    std::vector<Awaited> still;
    for (const auto& a : awaited_) {
      const int days_left = a.by - day;
      const int chance = days_left > 2 ? 12 : days_left >= 0 ? 3 : 9;
      if (days_left < -40 || (created_ + a.task) % 11 == 0 || pick(chance) != 0) {
        if (days_left >= -40) {
          still.push_back(a);
        }
        continue;
      }
      try {
        contributions_.mark_sent(system_, a.task, a.unit,
                                 {day, std::to_string(10 + pick(800)) + "/GYK", ""});
      } catch (const domain::Conflict&) {
        // the task finished first: its coordinating units' parts are closed
      } catch (const domain::NotFound&) {
        // the unit was merged away meanwhile
      }
    }
    awaited_ = std::move(still);
  }

  void decide_extensions(Date) {
    std::vector<domain::ExtensionId> still;
    for (auto id : pending_) {
      if (pick(3) != 0) {
        still.push_back(id);
        continue;
      }
      try {
        const bool approve = pick(10) < 7;
        const auto r = extensions_.decide(
            system_, id,
            approve ? service::ExtensionDecision::approve : service::ExtensionDecision::reject,
            {std::nullopt, approve ? "Đồng ý gia hạn" : "Không đồng ý, đề nghị khẩn trương"});
        if (approve && r.request.decided_due_on) {
          if (auto it = open_.find(r.request.task_id); it != open_.end()) {
            it->second.due = *r.request.decided_due_on;
          }
        }
      } catch (const domain::Conflict&) {
      }
    }
    pending_ = std::move(still);
  }

  const service::ServiceContext& ctx_;
  ManualClock& clock_;
  const domain::TimeZone& zone_;
  service::TaskService tasks_;
  service::ExtensionService extensions_;
  service::SeriesService series_{ctx_};
  Actor system_ = Actor::system();
  std::mt19937 rng_{2025};
  std::map<std::string, UnitId> ids_;
  std::map<TaskId, Open> open_;
  std::set<TaskId> series_tasks_;
  struct Awaited {
    TaskId task;
    UnitId unit;
    Date by;
  };
  std::vector<Awaited> awaited_;  // coordinating units' input not yet sent
  service::ContributionService contributions_{ctx_};
  service::AttachmentService attachments_{ctx_};
  std::vector<domain::ExtensionId> pending_;
  int created_ = 0;
  int attached_ = 0;
  bool merged_ = false;
};

}  // namespace

int demo(const std::string& config_path, const std::string& until) {
  auto cfg = load_or_report(config_path);
  if (!cfg) {
    return kExitOfflineConfig;
  }
  config::LogConfig quiet = cfg->log;
  quiet.level = "warn";
  configure_logging(quiet);
  try {
    SystemTimeZone zone(cfg->time_zone);
    Date today = zone.today(SystemClock());
    if (!until.empty()) {
      const auto last = Date::parse(until);
      if (!last || today < *last) {
        std::cerr << "dondocd: demo: --until: '" << until
                  << "' is not a date (YYYY-MM-DD) on or before today\n";
        return kExitOfflineUsage;
      }
      today = *last;
    }
    const Date first = today - 730;
    ManualClock clock(zone.start_of(first));
    // Sample data: a crash while loading loses only a demo. Late extension requests are part
    // of the story told, so they are flagged rather than refused.
    config::Config demo_config = *cfg;
    demo_config.database.durability = config::Durability::normal;
    demo_config.extensions.late_requests = domain::LateRequestPolicy::flag;
    auto runtime = build_runtime(demo_config, clock, std::cerr);
    if (!runtime) {
      return kExitOfflineConfig;
    }
    storage::Store& store = *runtime->store;
    const service::ServiceContext& ctx = runtime->services;
    storage::UnitQuery any;
    any.limit = 1;
    std::int64_t units = 0;
    store.read([&](storage::ReadTx& tx) { units = tx.list_units(any).total; });
    if (units > 0) {
      std::cerr << "dondocd: demo: the database " << cfg->database.path << " already has " << units
                << " unit(s); the demo loads only into an empty one\n";
      return kExitOfflineUsage;
    }
    std::cerr << "dondocd: demo: playing two years of a province, " << first.to_string() << " to "
              << today.to_string() << "...\n";
    Province province(ctx, clock, zone);
    province.found(first);
    province.start_series(first);
    const Date merger = *Date::parse("2025-03-01");
    const Date reorganisation = (first < merger && merger < today) ? merger : first + 365;
    for (Date day = first; !(today < day); day = day + 1) {
      if (day == reorganisation) {
        province.reorganise(day);
      }
      province.live(day);
    }
    std::cout << "dondocd: demo: " << kUnits.size() << " units and "
              << province.task_count() + province.series_task_count() << " tasks (of them "
              << province.series_task_count() << " from periodic series, "
              << province.attachment_count() << " documents attached) loaded into "
              << cfg->database.path << "; start the daemon and read GET /api/v1/reports/summary\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "dondocd: demo: " << e.what() << "\n";
    return kExitOfflineRuntime;
  }
}

}  // namespace dondoc::app
