#include "dondoc/notify/digest.hpp"

#include "encoding.hpp"

#include <cstdio>

namespace dondoc::notify {

namespace {

std::string section(const std::string& heading, const std::vector<DigestLine>& lines,
                    std::int64_t total, const std::string& base_url, bool overdue, bool pending) {
  if (total == 0) {
    return "";
  }
  std::string out = heading + " (" + std::to_string(total) + "):\n";
  int n = 0;
  for (const auto& l : lines) {
    out += "  " + std::to_string(++n) + ". " + l.title + " — " + l.lead_unit;
    if (!l.source_ref.empty()) {
      out += " — " + l.source_ref;
    }
    out += " — hạn " + vn_date(l.due_on);
    if (overdue) {
      out += ", quá hạn " + std::to_string(l.days) + " ngày";
    }
    if (pending) {
      out += ", đề nghị đến " + l.proposed;
    }
    out += "\n     " + base_url + "/tasks/" + std::to_string(l.task_id) + "\n";
  }
  if (total > static_cast<std::int64_t>(lines.size())) {
    out += "  … và " + std::to_string(total - static_cast<std::int64_t>(lines.size())) +
           " nhiệm vụ khác.\n";
  }
  return out + "\n";
}

}  // namespace

MessageText digest_text(DigestKind kind, domain::Date day, const DigestContent& c,
                        const std::string& base_url) {
  MessageText m;
  const std::string when =
      kind == DigestKind::daily ? "ngày " + vn_date(day) : "tuần từ ngày " + vn_date(day);
  m.subject = "[Đôn đốc] Tổng hợp " + when + ": " + std::to_string(c.overdue_total) + " quá hạn, " +
              std::to_string(c.due_this_week_total) + " đến hạn trong tuần, " +
              std::to_string(c.pending_total) + " đề nghị gia hạn chờ quyết định";
  m.body = "Tổng hợp tình hình thực hiện nhiệm vụ " + when + ".\n\n" +
           section("Nhiệm vụ quá hạn", c.overdue, c.overdue_total, base_url, true, false) +
           section("Nhiệm vụ đến hạn trong tuần", c.due_this_week, c.due_this_week_total, base_url,
                   false, false) +
           section("Đề nghị gia hạn chờ quyết định", c.pending_extensions, c.pending_total,
                   base_url, false, true) +
           "Thư này do hệ thống đôn đốc nhiệm vụ gửi tự động; xin không trả lời thư này.\n";
  return m;
}

}  // namespace dondoc::notify
