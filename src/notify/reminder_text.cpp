#include "dondoc/notify/reminder_text.hpp"

#include "encoding.hpp"

#include <cstdint>
#include <cstdio>
#include <map>

namespace dondoc::notify {

namespace {

std::string state_text(const domain::Task& t) {
  switch (t.state) {
    case domain::LifecycleState::open:
      return "đang thực hiện";
    case domain::LifecycleState::reported:
      return "đã báo cáo hoàn thành, chờ xác nhận";
    case domain::LifecycleState::done:
      return "đã hoàn thành";
    case domain::LifecycleState::suspended:
      return "tạm dừng";
    case domain::LifecycleState::cancelled:
      return "đã thu hồi";
  }
  return "";
}

std::string source_text(const domain::Task& task) {
  std::string source = task.source_ref.empty() ? "(không ghi)" : task.source_ref;
  if (task.source_date) {
    source += " ngày " + vn_date(*task.source_date);
  }
  return source;
}

std::string due_text(const domain::Task& task) {
  return task.due_on ? vn_date(*task.due_on) : "không thời hạn";
}

std::string link(const domain::Task& task, const std::string& base_url) {
  return base_url + "/tasks/" + std::to_string(task.id);
}

// The facts every message states: the task, its source document, lead unit, deadline, state and
// a link to it.
std::string task_facts(const domain::Task& task, const domain::Unit& lead_unit,
                       const std::string& base_url) {
  return "Nhiệm vụ: " + task.title + "\n" + "Văn bản giao: " + source_text(task) +
         (task.source_title.empty() ? "" : " — " + task.source_title) + "\n" +
         "Đơn vị chủ trì: " + lead_unit.name + "\n" + "Thời hạn: " + due_text(task) +
         (task.original_due_on ? " (thời hạn ban đầu " + vn_date(*task.original_due_on) + ")"
                               : "") +
         "\n" + "Tình trạng: " + state_text(task) + "\n" + "Xem chi tiết: " + link(task, base_url) +
         "\n\n" + "Thư này do hệ thống đôn đốc nhiệm vụ gửi tự động; xin không trả lời thư này.\n";
}

// The built-in text, or the operator's template for `event` filled in with the same facts.
MessageText compose(std::string_view event, const std::string& headline, const std::string& detail,
                    const domain::Task& task, const domain::Unit& lead_unit,
                    const std::string& base_url, const TemplateSet* templates) {
  const std::string facts = task_facts(task, lead_unit, base_url);
  if (templates) {
    if (const auto t = templates->find(std::string(event)); t != templates->end()) {
      const std::map<std::string, std::string> values = {
          {"headline", headline},
          {"title", task.title},
          {"source", source_text(task)},
          {"source_title", task.source_title},
          {"lead_unit", lead_unit.name},
          {"due_on", due_text(task)},
          {"original_due_on", task.original_due_on ? vn_date(*task.original_due_on) : ""},
          {"state", state_text(task)},
          {"link", link(task, base_url)},
          {"detail", detail},
          {"facts", facts},
      };
      return {render_template(t->second.subject, values), render_template(t->second.body, values)};
    }
  }
  return {"[Đôn đốc] " + headline + ": " + task.title,
          headline + "." + (detail.empty() ? "" : "\n" + detail) + "\n\n" + facts};
}

}  // namespace

std::string_view to_string(Notice notice) {
  switch (notice) {
    case Notice::task_assigned:
      return "task_assigned";
    case Notice::extension_requested:
      return "extension_requested";
    case Notice::extension_approved:
      return "extension_approved";
    case Notice::extension_rejected:
      return "extension_rejected";
    case Notice::completion_reported:
      return "completion_reported";
    case Notice::task_confirmed:
      return "task_confirmed";
    case Notice::task_reopened:
      return "task_reopened";
    case Notice::task_cancelled:
      return "task_cancelled";
    case Notice::extension_closed:
      return "extension_closed";
    case Notice::contribution_sent:
      return "contribution_sent";
  }
  return "notice";
}

MessageText notice_text(Notice notice, const domain::Task& task, const domain::Unit& lead_unit,
                        const std::string& base_url, const std::string& detail,
                        const TemplateSet* templates) {
  std::string headline;
  switch (notice) {
    case Notice::task_assigned:
      headline = "Nhiệm vụ mới được giao";
      break;
    case Notice::extension_requested:
      headline = lead_unit.name + " đề nghị gia hạn";
      break;
    case Notice::extension_approved:
      headline = "Đề nghị gia hạn được đồng ý";
      break;
    case Notice::extension_rejected:
      headline = "Đề nghị gia hạn không được đồng ý";
      break;
    case Notice::completion_reported:
      headline = lead_unit.name + " báo cáo hoàn thành";
      break;
    case Notice::task_confirmed:
      headline = "Văn phòng xác nhận hoàn thành";
      break;
    case Notice::task_reopened:
      headline = "Nhiệm vụ được mở lại";
      break;
    case Notice::task_cancelled:
      headline = "Nhiệm vụ được thu hồi";
      break;
    case Notice::extension_closed:
      headline = "Đề nghị gia hạn đã tự đóng";
      break;
    case Notice::contribution_sent:
      headline = "Đơn vị phối hợp đã gửi ý kiến";
      break;
  }
  return compose(to_string(notice), headline, detail, task, lead_unit, base_url, templates);
}

std::string extension_closure_text(domain::ExtensionClosure closure) {
  switch (closure) {
    case domain::ExtensionClosure::none:
      break;
    case domain::ExtensionClosure::task_reported:
      return "nhiệm vụ đã được báo cáo hoàn thành";
    case domain::ExtensionClosure::task_done:
      return "nhiệm vụ đã hoàn thành";
    case domain::ExtensionClosure::task_cancelled:
      return "nhiệm vụ đã được thu hồi";
    case domain::ExtensionClosure::task_suspended:
      return "nhiệm vụ đã tạm dừng";
    case domain::ExtensionClosure::lead_unit_changed:
      return "nhiệm vụ đã giao cho đơn vị khác chủ trì";
    case domain::ExtensionClosure::deadline_changed:
      return "thời hạn đã được điều chỉnh trực tiếp";
  }
  return "";
}

MessageText reminder_text(const domain::Reminder& r, const domain::Task& task,
                          const domain::Unit& lead_unit, const std::string& base_url,
                          const TemplateSet* templates) {
  std::string headline;
  switch (r.kind) {
    case domain::ReminderKind::due_soon:
      headline = "Còn " + std::to_string(r.working_days) + " ngày làm việc đến hạn";
      break;
    case domain::ReminderKind::due_today:
      headline = "Hôm nay là hạn hoàn thành";
      break;
    case domain::ReminderKind::overdue:
      headline = "Quá hạn " + std::to_string(r.working_days) + " ngày làm việc";
      break;
    case domain::ReminderKind::escalated:
      headline =
          "Báo cáo lãnh đạo: nhiệm vụ quá hạn " + std::to_string(r.working_days) + " ngày làm việc";
      break;
  }
  return compose(domain::to_string(r.kind), headline, "", task, lead_unit, base_url, templates);
}

std::string_view contribution_event(const domain::ContributionReminder& r) {
  return r.kind == domain::ReminderKind::overdue ? "contribution_overdue" : "contribution_due_soon";
}

MessageText contribution_reminder_text(const domain::ContributionReminder& r,
                                       const domain::Task& task, const domain::Unit& unit,
                                       const domain::Unit& lead_unit, domain::Date due_on,
                                       const std::string& base_url, const TemplateSet* templates) {
  const bool late = r.kind == domain::ReminderKind::overdue;
  const std::string headline =
      late ? "Quá hạn gửi ý kiến phối hợp" : "Sắp đến hạn gửi ý kiến phối hợp";
  const std::string detail =
      unit.name + " phối hợp với " + lead_unit.name +
      (late ? "; hạn gửi ý kiến là " : ", gửi ý kiến trước ") + vn_date(due_on) +
      (late ? ", chưa ghi nhận ý kiến đã gửi." : ".") +
      " Khi đã gửi, vui lòng ghi nhận trên trang nhiệm vụ (số văn bản gửi ý kiến).";
  return compose(contribution_event(r), headline, detail, task, lead_unit, base_url, templates);
}

std::string stable_message_id(const std::string& dedupe_key, const std::string& domain_part) {
  // FNV-1a: stable across runs and builds, unlike std::hash.
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : dedupe_key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return "<dondoc." + std::string(buf) + "@" + domain_part + ">";
}

}  // namespace dondoc::notify
