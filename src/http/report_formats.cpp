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

json counts_json(const BucketCounts& c) {
  const auto rate = c.on_time_rate();
  return {{"total", c.total},
          {"done_on_time", c.done_on_time},
          {"done_late", c.done_late},
          {"open_on_time", c.open_on_time},
          {"open_overdue", c.open_overdue},
          {"suspended", c.suspended},
          {"cancelled", c.cancelled},
          {"on_time_rate", rate ? json(std::round(*rate * 10000) / 10000) : json(nullptr)}};
}

json line_json(const SummaryLine& l) {
  return {{"carried_over", counts_json(l.carried_over)},
          {"new", counts_json(l.fresh)},
          {"total", counts_json(l.total())}};
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

std::string html(const std::string& title, const std::string& heading,
                 const std::vector<Table>& tables) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      escape(title) +
      "</title>\n<style>\n"
      "body{font-family:'Times New Roman',serif;margin:2em;}\n"
      "h1{font-size:1.4em;text-align:center;text-transform:uppercase;}\n"
      "p.period{text-align:center;font-style:italic;}\n"
      "table{border-collapse:collapse;width:100%;margin:1em 0;page-break-inside:auto;}\n"
      "th,td{border:1px solid #000;padding:.25em .4em;vertical-align:top;}\n"
      "th{background:#eee;}\ntd.n{text-align:right;}\ntr.total{font-weight:bold;}\n"
      "@media print{body{margin:0;}th{background:none;}}\n"
      "</style>\n</head>\n<body>\n<h1>" +
      escape(title) + "</h1>\n<p class=\"period\">" + escape(heading) + "</p>\n";
  for (const auto& t : tables) {
    out += "<h2>" + escape(t.title) + "</h2>\n<table>\n<thead><tr>";
    for (const auto& h : t.headings) {
      out += "<th>" + escape(h) + "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
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
    out += "</tbody>\n</table>\n";
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
                     {"key_task", l.key_task}});
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
                           const service::OverdueReport* appendix) {
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
                          overdue_heading(*appendix), overdue_tables(*appendix), 3});
      }
      return xlsx_workbook(sheets);
    }
    case ReportFormat::html:
      return html(title, summary_heading(report), summary_tables(report));
  }
  return "";
}

std::string render_overdue(const service::OverdueReport& report, ReportFormat format,
                           std::optional<std::size_t> json_limit) {
  const std::string title = "Danh mục nhiệm vụ quá hạn";
  const std::string heading = overdue_heading(report);
  switch (format) {
    case ReportFormat::json:
      return overdue_json(report, json_limit).dump();
    case ReportFormat::csv:
      return csv(title, heading, overdue_tables(report));
    case ReportFormat::xlsx:
      return xlsx_workbook({{"Nhiệm vụ quá hạn", title, heading, overdue_tables(report), 3}});
    case ReportFormat::html:
      return html(title, heading, overdue_tables(report));
  }
  return "";
}

}  // namespace dondoc::http
