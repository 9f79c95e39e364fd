#include "dondoc/http/ics.hpp"

#include <cstdio>

#include "report_tables.hpp"

namespace dondoc::http {

namespace {

std::string ics_date(domain::Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", d.year(), d.month(), d.day());
  return buf;
}

// UTC, as "20250410T020000Z".
std::string ics_instant(domain::Instant at) {
  const std::string rfc = domain::format_rfc3339(at, std::chrono::seconds(0));  // ...Z or +00:00
  std::string out;
  for (char c : rfc.substr(0, 19)) {
    if (c != '-' && c != ':') {
      out += c;
    }
  }
  return out + "Z";
}

}  // namespace

std::string ics_escape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') {
          ++i;
        }
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ics_line(std::string_view line) {
  std::string out;
  std::size_t width = 0;  // octets on the current physical line
  std::size_t i = 0;
  while (i < line.size()) {
    // The whole UTF-8 sequence starting here stays on one line.
    std::size_t len = 1;
    const auto lead = static_cast<unsigned char>(line[i]);
    if (lead >= 0xF0) {
      len = 4;
    } else if (lead >= 0xE0) {
      len = 3;
    } else if (lead >= 0xC0) {
      len = 2;
    }
    len = std::min(len, line.size() - i);
    if (width + len > 75) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line.substr(i, len));
    width += len;
    i += len;
  }
  return out + "\r\n";
}

std::string deadlines_calendar(const service::DeadlineFeed& feed, const std::string& base_url,
                               const std::string& uid_domain, domain::Instant now) {
  std::string out;
  out += ics_line("BEGIN:VCALENDAR");
  out += ics_line("VERSION:2.0");
  out += ics_line("PRODID:-//dondoc//Han xu ly nhiem vu//VI");
  out += ics_line("CALSCALE:GREGORIAN");
  out += ics_line("METHOD:PUBLISH");
  out += ics_line("X-WR-CALNAME:" + ics_escape("Hạn xử lý nhiệm vụ — " + feed.unit.name));
  out += ics_line("X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
  const std::string stamp = ics_instant(now);
  for (const auto& t : feed.tasks) {
    if (!t.due_on) {
      continue;
    }
    const auto lead = feed.unit_names.find(t.lead_unit_id);
    const std::string lead_name = lead == feed.unit_names.end() ? "" : lead->second;
    const std::string link = base_url + "/tasks/" + std::to_string(t.id);
    std::string source = t.source_ref.empty() ? "(không ghi)" : t.source_ref;
    if (t.source_date) {
      source += " ngày " + domain::vn_date(*t.source_date);
    }
    const std::string role = t.lead_unit_id == feed.unit.id ? "chủ trì" : "phối hợp";
    out += ics_line("BEGIN:VEVENT");
    out += ics_line("UID:task-" + std::to_string(t.id) + "@" + uid_domain);
    out += ics_line("DTSTAMP:" + stamp);
    out += ics_line("LAST-MODIFIED:" + ics_instant(t.updated_at));
    out += ics_line("SEQUENCE:" + std::to_string(t.version));
    out += ics_line("DTSTART;VALUE=DATE:" + ics_date(*t.due_on));
    out += ics_line("DTEND;VALUE=DATE:" + ics_date(*t.due_on + 1));
    out += ics_line("SUMMARY:" + ics_escape("[Hạn] " + t.title));
    out += ics_line("DESCRIPTION:" +
                    ics_escape("Văn bản giao: " + source + "\nĐơn vị chủ trì: " + lead_name +
                               "\nVai trò của đơn vị: " + role +
                               "\nThời hạn: " + domain::vn_date(*t.due_on) +
                               (t.extension_count > 0
                                    ? " (đã gia hạn " + std::to_string(t.extension_count) + " lần)"
                                    : "") +
                               "\nXem chi tiết: " + link));
    out += ics_line("URL:" + link);
    out += ics_line("TRANSP:TRANSPARENT");
    out += ics_line("END:VEVENT");
  }
  // A series' deadline ahead of its task: its UID names the series and the index its task will
  // have, so a calendar keeps one event per deadline once the task takes it over.
  for (const auto& p : feed.planned) {
    const auto& s = p.series;
    const auto lead = feed.unit_names.find(s.pattern.lead_unit_id);
    const std::string lead_name = lead == feed.unit_names.end() ? "" : lead->second;
    const std::string link = base_url + "/series/" + std::to_string(s.id);
    const std::string role = s.pattern.lead_unit_id == feed.unit.id ? "chủ trì" : "phối hợp";
    out += ics_line("BEGIN:VEVENT");
    out += ics_line("UID:series-" + std::to_string(s.id) + "-" + std::to_string(p.index) + "@" +
                    uid_domain);
    out += ics_line("DTSTAMP:" + stamp);
    out += ics_line("LAST-MODIFIED:" + ics_instant(s.updated_at));
    out += ics_line("SEQUENCE:" + std::to_string(s.version));
    out += ics_line("DTSTART;VALUE=DATE:" + ics_date(p.occurrence.due_on));
    out += ics_line("DTEND;VALUE=DATE:" + ics_date(p.occurrence.due_on + 1));
    out += ics_line("SUMMARY:" + ics_escape("[Hạn định kỳ] " + s.pattern.title));
    out += ics_line("DESCRIPTION:" +
                    ics_escape("Nhiệm vụ định kỳ, kỳ thứ " + std::to_string(p.index) +
                               " (chưa giao)\nĐơn vị chủ trì: " + lead_name +
                               "\nVai trò của đơn vị: " + role + "\nThời hạn: " +
                               domain::vn_date(p.occurrence.due_on) + "\nXem chi tiết: " + link));
    out += ics_line("URL:" + link);
    out += ics_line("TRANSP:TRANSPARENT");
    out += ics_line("END:VEVENT");
  }
  out += ics_line("END:VCALENDAR");
  return out;
}

}  // namespace dondoc::http
