#include "dondoc/http/report_formats.hpp"

#include "report_tables.hpp"
#include "report_xlsx.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

namespace dondoc::http {

namespace {

using domain::BucketCounts;
using domain::ExtensionCounts;
using domain::SummaryLine;
using json = nlohmann::ordered_json;

json rate_json(std::optional<double> rate) {
  return rate ? json(std::round(*rate * 10000) / 10000) : json(nullptr);
}

json counts_json(const BucketCounts& c) {
  const auto rate = c.on_time_rate();
  return {{"total", c.total},
          {"done_on_time", c.done_on_time},
          {"done_late", c.done_late},
          {"open_on_time", c.open_on_time},
          {"open_overdue", c.open_overdue},
          {"suspended", c.suspended},
          {"cancelled", c.cancelled},
          {"on_time_rate", rate_json(rate)}};
}

json due_json(const domain::DueCounts& d) {
  return {{"due", d.due},
          {"done", d.done()},
          {"done_on_time", d.done_on_time},
          {"done_late", d.done_late},
          {"done_rate", rate_json(d.done_rate())},
          {"overdue", d.overdue}};
}

json line_json(const SummaryLine& l) {
  return {{"carried_over", counts_json(l.carried_over)},
          {"new", counts_json(l.fresh)},
          {"total", counts_json(l.total())},
          {"due_in_period", due_json(l.due_in_period)}};
}

json extension_json(const ExtensionCounts& c) {
  return {{"requested", c.requested},
          {"approved", c.approved},
          {"rejected", c.rejected},
          {"withdrawn", c.withdrawn},
          {"closed", c.closed},
          {"pending", c.pending},
          {"late", c.late}};
}

// ---- CSV (RFC 4180) ----

// A cell as Excel should read it: quoted when needed, and never a formula (a title that begins
// with "=" is text, not something Excel runs).
std::string csv_cell(const std::string& text) {
  std::string v = text;
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v = "'" + v;
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) {
    return v;
  }
  std::string out = "\"";
  for (char c : v) {
    out += c == '"' ? "\"\"" : std::string(1, c);
  }
  return out + "\"";
}

void csv_row(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    out += (i ? "," : "") + csv_cell(cells[i]);
  }
  out += "\r\n";
}

std::string csv(const std::string& title, const std::string& heading,
                const std::vector<Table>& tables) {
  std::string out = "\xEF\xBB\xBF";  // the byte-order mark Excel needs to read UTF-8
  csv_row(out, {title});
  csv_row(out, {heading});
  for (const auto& t : tables) {
    out += "\r\n";
    csv_row(out, {t.title});
    csv_row(out, t.headings);
    for (const auto& r : t.rows) {
      csv_row(out, r);
    }
  }
  return out;
}

// ---- HTML ----

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// "ngày 05 tháng 02 năm 2025": Decree 30 writes a day below 10 and a month below 3 with a 0.
std::string document_date(const Letterhead& l, domain::Date d) {
  auto two = [](unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  const std::string month = d.month() < 3 ? two(d.month()) : std::to_string(d.month());
  return (l.place.empty() ? std::string("…………") : l.place) + ", ngày " + two(d.day()) + " tháng " +
         month + " năm " + std::to_string(d.year());
}

void html_tables(std::string& out, const std::vector<Table>& tables, int first_section) {
  static const char* const kRoman[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"};
  int section = first_section;
  for (const auto& t : tables) {
    out += "<h2>";
    if (section >= 0 && section < 10) {
      out += std::string(kRoman[section++]) + ". ";
    }
    out += escape(t.title) + "</h2>\n<div class=\"scroll\"><table>\n<thead><tr>";
    for (const auto& h : t.headings) {
      // The long texts get the room; the figures and dates as little as they need.
      const bool wide = h == "Nội dung nhiệm vụ" || h == "Tiến độ gần nhất";
      const bool named = h.starts_with("Đơn vị") || h == "Nhóm nhiệm vụ" ||
                         h == "Số, ký hiệu văn bản" || h == "Người giao";
      out += (wide    ? "<th class=\"wide\">"
              : named ? "<th class=\"named\">"
                      : "<th>") +
             escape(h) + "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
    if (t.rows.empty()) {
      out += "<tr><td colspan=\"" + std::to_string(t.headings.size()) +
             "\" class=\"none\">Không có.</td></tr>\n";
    }
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      const bool total = t.last_row_is_total && i + 1 == t.rows.size();
      out += total ? "<tr class=\"total\">" : "<tr>";
      for (const auto& cell : t.rows[i]) {
        const bool number =
            !cell.empty() && cell.find_first_not_of("0123456789,") == std::string::npos;
        out += (number ? "<td class=\"n\">" : "<td>") + escape(cell) + "</td>";
      }
      out += "</tr>\n";
    }
    out += "</tbody>\n</table></div>\n";
  }
}

// The printable report as a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix
// I): the issuing body and number on the left, the national title and motto and the place and
// date on the right, the title, the figures, the recipients and the signature block, and the
// appendix on pages of its own, turned to landscape for its many columns.
std::string html(const Letterhead& l, const std::string& title, const std::string& subject,
                 const std::string& heading, domain::Date dated, const std::vector<Table>& tables,
                 const std::string& appendix_title, const std::string& appendix_heading,
                 const std::vector<Table>& appendix) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      escape(title + " " + subject) +
      "</title>\n<style>\n"
      "@page{size:A4;margin:20mm 15mm 20mm 30mm;}\n"
      "@page appendix{size:A4 landscape;margin:20mm 15mm 20mm 20mm;}\n"
      "body{font-family:'Times New Roman','Liberation "
      "Serif',Times,serif;font-size:13pt;line-height:1.3;"
      "margin:2em auto;max-width:60em;padding:0 1em;}\n"
      "table.head{width:100%;border:none;margin:0;}\n"
      "table.head td{border:none;text-align:center;vertical-align:top;padding:0;}\n"
      "table.head td.organ{width:40%;}\n.upper{text-transform:uppercase;}\n"
      ".bold{font-weight:bold;}\n.rule{width:35%;margin:2px auto 6px;border-top:1px solid #000;}\n"
      ".place{font-style:italic;margin-top:.4em;}\n"
      "h1{font-size:14pt;text-align:center;margin:1.2em 0 0;}\n"
      "p.subject{text-align:center;font-weight:bold;margin:.2em 0;}\n"
      "p.period{text-align:center;font-style:italic;margin:.2em 0 1em;}\n"
      "h2{font-size:13pt;margin:1em 0 .3em;}\n"
      "table{border-collapse:collapse;width:100%;margin:.3em 0 1em;font-size:11pt;}\n"
      "th,td{border:1px solid #000;padding:.2em .35em;vertical-align:top;}\n"
      "th{background:#eee;}\nth.wide{min-width:12em;}\nth.named{min-width:7em;}\n"
      ".scroll{overflow-x:auto;}\ntd.n{text-align:right;white-space:nowrap;}\ntr.total{font-weight:"
      "bold;}\n"
      "td.none{text-align:center;font-style:italic;}\n"
      "thead{display:table-header-group;}\ntr{break-inside:avoid;}\n"
      ".closing{display:flex;justify-content:space-between;margin-top:1.5em;"
      "break-inside:avoid;}\n"
      ".recipients{font-size:11pt;}\n.signer{text-align:center;width:45%;}\n"
      ".signer .space{height:6em;}\n"
      ".appendix{page:appendix;break-before:page;margin-top:2em;}\n"
      ".appendix h1{margin-top:0;}\n"
      "@media print{body{margin:0;max-width:none;padding:0;}th{background:none;}"
      ".scroll{overflow:visible;}}\n"
      "@media (max-width:40em){body{font-size:11pt;margin:1em auto;}table.head td{display:block;"
      "width:auto;margin-bottom:.8em;}.closing{flex-direction:column-reverse;gap:1em;}"
      ".signer{width:auto;}}\n"
      "</style>\n</head>\n<body>\n"
      "<table class=\"head\"><tr><td class=\"organ\"><div class=\"upper\">" +
      escape(l.governing_body) + "</div><div class=\"upper bold\">" + escape(l.issuing_body) +
      "</div><div class=\"rule\"></div><div>Số: &nbsp; &nbsp; &nbsp; &nbsp;/" + escape(l.symbol) +
      "</div></td><td><div class=\"bold\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>"
      "<div class=\"bold\">Độc lập - Tự do - Hạnh phúc</div><div class=\"rule\"></div>"
      "<div class=\"place\">" +
      escape(document_date(l, dated)) + "</div></td></tr></table>\n<h1>" + escape(title) +
      "</h1>\n<p class=\"subject\">" + escape(subject) + "</p>\n<p class=\"period\">" +
      escape(heading) + "</p>\n";
  html_tables(out, tables, 0);
  out += "<div class=\"closing\"><div class=\"recipients\"><b><i>Nơi nhận:</i></b>";
  for (std::size_t i = 0; i < l.recipients.size(); ++i) {
    out += "<br>- " + escape(l.recipients[i]) + (i + 1 == l.recipients.size() ? "." : ";");
  }
  out += "</div><div class=\"signer\"><div class=\"bold upper\">" + escape(l.signer_title) +
         "</div><div class=\"space\"></div><div>&nbsp;</div></div></div>\n";
  if (!appendix.empty()) {
    const std::string date_line = document_date(l, dated);
    out += "<section class=\"appendix\"><h1>PHỤ LỤC</h1>\n<p class=\"subject\">" +
           escape(appendix_title) +
           "</p>\n<p class=\"period\">(Kèm theo văn bản số &nbsp; &nbsp; /" + escape(l.symbol) +
           " " + escape(date_line.substr(date_line.rfind("ngày "))) + ")<br>" +
           escape(appendix_heading) + "</p>\n";
    html_tables(out, appendix, -1);
    out += "</section>\n";
  }
  return out + "</body>\n</html>\n";
}

const char* extension(ReportFormat f) {
  switch (f) {
    case ReportFormat::json:
      return ".json";
    case ReportFormat::csv:
      return ".csv";
    case ReportFormat::xlsx:
      return ".xlsx";
    case ReportFormat::html:
      return ".html";
  }
  return "";
}

}  // namespace

std::optional<ReportFormat> parse_report_format(const std::string& text) {
  if (text == "json") {
    return ReportFormat::json;
  }
  if (text == "csv") {
    return ReportFormat::csv;
  }
  if (text == "html") {
    return ReportFormat::html;
  }
  if (text == "xlsx") {
    return ReportFormat::xlsx;
  }
  return std::nullopt;
}

std::string content_type(ReportFormat format) {
  switch (format) {
    case ReportFormat::json:
      return "application/json";
    case ReportFormat::csv:
      return "text/csv; charset=utf-8";
    case ReportFormat::xlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case ReportFormat::html:
      return "text/html; charset=utf-8";
  }
  return "application/octet-stream";
}

std::string summary_file_name(const service::SummaryReport& report, ReportFormat format) {
  const auto& p = report.summary.period;
  return "bao-cao-tong-hop_" + p.from.to_string() + "_" + p.to.to_string() + "_" +
         p.as_of.to_string() + extension(format);
}

std::string overdue_file_name(const service::OverdueReport& report, ReportFormat format) {
  return "nhiem-vu-qua-han_" + report.as_of.to_string() + extension(format);
}

std::string scorecard_file_name(const service::Scorecard& card, ReportFormat format) {
  return "bang-xep-hang-don-vi_" + std::to_string(card.year) + "_" + card.as_of.to_string() +
         extension(format);
}

json score_line_json(const domain::ScoreLine& l) {
  return {{"due", l.due.due},
          {"done_on_time", l.due.done_on_time},
          {"done_late", l.due.done_late},
          {"overdue", l.due.overdue},
          {"extensions_requested", l.extensions_requested},
          {"extensions_approved", l.extensions_approved},
          {"on_time_rate", rate_json(l.on_time_rate())}};
}

json scorecard_json(const service::Scorecard& card) {
  json units = json::array();
  for (const auto& l : card.lines) {
    json row = {{"rank", l.rank > 0 ? json(l.rank) : json()},
                {"unit_id", l.unit_id},
                {"unit", card.unit_names.count(l.unit_id) ? card.unit_names.at(l.unit_id) : ""}};
    row.update(score_line_json(l));
    units.push_back(std::move(row));
  }
  return {{"year", card.year},
          {"as_of", card.as_of.to_string()},
          {"basis", domain::to_string(card.basis)},
          {"units", std::move(units)},
          {"total", score_line_json(card.total)}};
}

std::string render_scorecard(const service::Scorecard& card, ReportFormat format,
                             const Letterhead& letterhead) {
  const std::string title = "Kết quả thực hiện nhiệm vụ năm " + std::to_string(card.year);
  const std::vector<Table> tables = {scorecard_table(card)};
  switch (format) {
    case ReportFormat::json:
      return scorecard_json(card).dump();
    case ReportFormat::csv:
      return csv(title, scorecard_heading(card), tables);
    case ReportFormat::xlsx:
      return xlsx_workbook({{"Xếp hạng đơn vị", title, scorecard_heading(card), tables, 1, true}});
    case ReportFormat::html:
      return html(letterhead, "BÁO CÁO",
                  "Kết quả thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh giao năm " +
                      std::to_string(card.year) + " của các đơn vị",
                  scorecard_heading(card), card.as_of, tables, "", "", {});
  }
  return "";
}

json summary_json(const service::SummaryReport& r) {
  const auto& s = r.summary;
  json by_unit = json::array();
  for (const auto& [id, line] : s.by_lead_unit) {
    json row = {{"unit_id", id}, {"unit", unit_name(r, id)}};
    row.update(line_json(line));
    by_unit.push_back(std::move(row));
  }
  json by_assigner = json::array();
  for (const auto& [who, line] : s.by_assigner) {
    json row = {{"assigner", who}};
    row.update(line_json(line));
    by_assigner.push_back(std::move(row));
  }
  json ext_by_unit = json::array();
  for (const auto& [id, c] : s.extensions_by_unit) {
    json row = {{"unit_id", id}, {"unit", unit_name(r, id)}};
    row.update(extension_json(c));
    ext_by_unit.push_back(std::move(row));
  }
  json ext = extension_json(s.extensions);
  ext["by_unit"] = std::move(ext_by_unit);
  json requests = json::array();
  for (const auto& l : r.extension_requests) {
    const auto& q = l.request;
    requests.push_back(
        {{"id", q.id},
         {"task_id", q.task_id},
         {"source_ref", l.source_ref},
         {"title", l.title},
         {"unit_id", l.unit_id},
         {"unit", l.unit},
         {"document_ref", q.document_ref},
         {"current_due_on", q.current_due_on.to_string()},
         {"proposed_due_on", q.proposed_due_on.to_string()},
         {"state", domain::to_string(q.state)},
         {"decided_due_on", q.decided_due_on ? json(q.decided_due_on->to_string()) : json()},
         {"late", q.late}});
  }
  ext["requests"] = std::move(requests);
  json out = {{"from", s.period.from.to_string()},
              {"to", s.period.to.to_string()},
              {"as_of", s.period.as_of.to_string()},
              {"basis", domain::to_string(r.basis)},
              {"group_by", r.group_by == service::GroupBy::current ? "current" : "historic"}};
  out.update(line_json(s.all));
  out["by_lead_unit"] = std::move(by_unit);
  out["by_assigner"] = std::move(by_assigner);
  out["key_tasks"] = line_json(s.key_tasks);
  out["extensions"] = std::move(ext);
  return out;
}

json overdue_json(const service::OverdueReport& r, std::optional<std::size_t> limit) {
  json items = json::array();
  for (const auto& l : r.lines) {
    if (limit && items.size() >= *limit) {
      break;
    }
    items.push_back({{"number", l.number},
                     {"task_id", l.task_id},
                     {"source_ref", l.source_ref},
                     {"source_date", l.source_date ? json(l.source_date->to_string()) : json()},
                     {"title", l.title},
                     {"lead_unit_id", l.lead_unit_id},
                     {"lead_unit", l.lead_unit},
                     {"due_on", l.due_on.to_string()},
                     {"days_overdue", l.days_overdue},
                     {"working_days_overdue", l.working_days_overdue},
                     {"extension_count", l.extension_count},
                     {"leader_id", l.leader_id ? json(*l.leader_id) : json()},
                     {"leader", l.leader},
                     {"key_task", l.key_task},
                     {"coordinating_units", l.coordinating_units},
                     {"extension_pending", l.extension_pending},
                     {"progress_on", l.progress_on ? json(l.progress_on->to_string()) : json()},
                     {"progress_note", l.progress_note}});
  }
  json late = json::array();
  for (const auto& l : r.late_contributions) {
    late.push_back({{"task_id", l.task_id},
                    {"source_ref", l.source_ref},
                    {"title", l.title},
                    {"lead_unit", l.lead_unit},
                    {"unit", l.unit},
                    {"due_on", l.due_on.to_string()},
                    {"days_late", l.days_late}});
  }
  return {{"as_of", r.as_of.to_string()},
          {"basis", domain::to_string(r.basis)},
          {"total", r.lines.size()},
          {"items", std::move(items)},
          {"late_contributions", std::move(late)}};
}

std::string render_summary(const service::SummaryReport& report, ReportFormat format,
                           const Letterhead& letterhead, const service::OverdueReport* appendix) {
  const std::string title = "Báo cáo tình hình thực hiện nhiệm vụ";
  switch (format) {
    case ReportFormat::json:
      return summary_json(report).dump();
    case ReportFormat::csv:
      return csv(title, summary_heading(report), summary_tables(report));
    case ReportFormat::xlsx: {
      std::vector<XlsxSheet> sheets = {
          {"Tổng hợp", title, summary_heading(report), summary_tables(report), 1}};
      if (appendix) {
        sheets.push_back({"Nhiệm vụ quá hạn", "Danh mục nhiệm vụ quá hạn",
                          overdue_heading(*appendix), overdue_tables(*appendix), 3, true});
      }
      return xlsx_workbook(sheets);
    }
    case ReportFormat::html:
      return html(
          letterhead, "BÁO CÁO", "Tình hình thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh giao",
          summary_heading(report), report.summary.period.as_of, summary_tables(report),
          "Danh mục nhiệm vụ quá hạn", appendix ? overdue_heading(*appendix) : std::string(),
          appendix ? overdue_tables(*appendix) : std::vector<Table>{});
  }
  return "";
}

std::string render_overdue(const service::OverdueReport& report, ReportFormat format,
                           const Letterhead& letterhead, std::optional<std::size_t> json_limit) {
  const std::string title = "Danh mục nhiệm vụ quá hạn";
  const std::string heading = overdue_heading(report);
  switch (format) {
    case ReportFormat::json:
      return overdue_json(report, json_limit).dump();
    case ReportFormat::csv:
      return csv(title, heading, overdue_tables(report));
    case ReportFormat::xlsx:
      return xlsx_workbook({{"Nhiệm vụ quá hạn", title, heading, overdue_tables(report), 3, true}});
    case ReportFormat::html:
      return html(letterhead, "DANH MỤC", "Nhiệm vụ quá hạn", heading, report.as_of,
                  overdue_tables(report), "", "", {});
  }
  return "";
}

}  // namespace dondoc::http
