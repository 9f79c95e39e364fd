#include "dondoc/notify/reminder_text.hpp"

#include <cstdint>
#include <cstdio>

namespace dondoc::notify {

namespace {

std::string vn_date(const domain::Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", d.day(), d.month(), d.year());
  return buf;
}

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

}  // namespace

MessageText reminder_text(const domain::Reminder& r, const domain::Task& task,
                          const domain::Unit& lead_unit, const std::string& base_url) {
  const std::string due = task.due_on ? vn_date(*task.due_on) : "không thời hạn";
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
  std::string source = task.source_ref.empty() ? "(không ghi)" : task.source_ref;
  if (task.source_date) {
    source += " ngày " + vn_date(*task.source_date);
  }
  m.body =
      headline + ".\n\n" + "Nhiệm vụ: " + task.title + "\n" + "Văn bản giao: " + source +
      (task.source_title.empty() ? "" : " — " + task.source_title) + "\n" +
      "Đơn vị chủ trì: " + lead_unit.name + "\n" + "Thời hạn: " + due +
      (task.original_due_on ? " (thời hạn ban đầu " + vn_date(*task.original_due_on) + ")" : "") +
      "\n" + "Tình trạng: " + state_text(task) + "\n" + "Xem chi tiết: " + base_url + "/tasks/" +
      std::to_string(task.id) + "\n\n" +
      "Thư này do hệ thống đôn đốc nhiệm vụ gửi tự động; xin không trả lời thư này.\n";
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
