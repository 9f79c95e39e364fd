#include "dondoc/notify/reminder_text.hpp"

#include "encoding.hpp"

#include <cstdint>
#include <cstdio>

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

// The facts every message states: the task, its source document, lead unit, deadline, state and
// a link to it.
std::string task_facts(const domain::Task& task, const domain::Unit& lead_unit,
                       const std::string& base_url) {
  const std::string due = task.due_on ? vn_date(*task.due_on) : "không thời hạn";
  std::string source = task.source_ref.empty() ? "(không ghi)" : task.source_ref;
  if (task.source_date) {
    source += " ngày " + vn_date(*task.source_date);
  }
  return "Nhiệm vụ: " + task.title + "\n" + "Văn bản giao: " + source +
         (task.source_title.empty() ? "" : " — " + task.source_title) + "\n" +
         "Đơn vị chủ trì: " + lead_unit.name + "\n" + "Thời hạn: " + due +
         (task.original_due_on ? " (thời hạn ban đầu " + vn_date(*task.original_due_on) + ")"
                               : "") +
         "\n" + "Tình trạng: " + state_text(task) + "\n" + "Xem chi tiết: " + base_url + "/tasks/" +
         std::to_string(task.id) + "\n\n" +
         "Thư này do hệ thống đôn đốc nhiệm vụ gửi tự động; xin không trả lời thư này.\n";
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
  }
  return "notice";
}

MessageText notice_text(Notice notice, const domain::Task& task, const domain::Unit& lead_unit,
                        const std::string& base_url, const std::string& detail) {
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
  }
  MessageText m;
  m.subject = "[Đôn đốc] " + headline + ": " + task.title;
  m.body = headline + "." + (detail.empty() ? "" : "\n" + detail) + "\n\n" +
           task_facts(task, lead_unit, base_url);
  return m;
}

MessageText reminder_text(const domain::Reminder& r, const domain::Task& task,
                          const domain::Unit& lead_unit, const std::string& base_url) {
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
  MessageText m;
  m.subject = "[Đôn đốc] " + headline + ": " + task.title;
  m.body = headline + ".\n\n" + task_facts(task, lead_unit, base_url);
  return m;
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
