// The meeting's report in every format, read back with parsers that are not dondoc's: the seed-004
// register imported through the API five days after the meeting, reported as of 15/02/2025, and
// the figures of the JSON found again in the CSV, in the workbook (openpyxl) and in the printed
// document (Chromium's print to PDF, read with pdftotext), which is laid out as Decree 30 wants.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "daemon.hpp"
#include "http_client.hpp"
#include "python_server.hpp"
#include "seed_scene_daemon.hpp"
#include "temp_dir.hpp"

using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::python_output;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

std::string command_output(const std::string& command) {
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  std::string out;
  if (!p) {
    return out;
  }
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) {
    out.append(buf, n);
  }
  ::pclose(p);
  return out;
}

// The printed page as a reader gets it: Chromium prints `html` to PDF (beside it, NAME.pdf, kept
// in $ARTIFACTS when set, to look at), pdftotext reads the PDF back, columns in place.
std::string printed_text(const TempDir& dir, const std::string& name, const std::string& html) {
  const std::string page = dir.file(name + ".html");
  const std::string pdf = dir.file(name + ".pdf");
  std::ofstream(page, std::ios::binary) << html;
  command_output(
      "chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
      "--no-pdf-header-footer --user-data-dir=" +
      dir.file("chromium") + " --print-to-pdf=" + pdf + " file://" + page);
  if (const char* keep = std::getenv("ARTIFACTS")) {
    std::filesystem::copy(pdf, std::string(keep) + "/" + name + ".pdf",
                          std::filesystem::copy_options::overwrite_existing);
  }
  return command_output("pdftotext -layout " + pdf + " -");
}

// "85,3" as the files print a rate, from the JSON's 0.853; "" for none.
std::string rate_text(const json& rate) {
  if (rate.is_null()) {
    return "";
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", rate.get<double>() * 100);
  std::string s = buf;
  s[s.find('.')] = ',';
  return s;
}

// One line of the "Tổng hợp" table as the JSON gives it: total, done, done on time, done late,
// in progress, on schedule, overdue, suspended, cancelled, rate.
std::vector<std::string> summary_row(const json& c) {
  const auto n = [&](const char* k) { return c.at(k).get<long>(); };
  std::vector<std::string> row = {std::to_string(n("total")),
                                  std::to_string(n("done_on_time") + n("done_late")),
                                  std::to_string(n("done_on_time")),
                                  std::to_string(n("done_late")),
                                  std::to_string(n("open_on_time") + n("open_overdue")),
                                  std::to_string(n("open_on_time")),
                                  std::to_string(n("open_overdue")),
                                  std::to_string(n("suspended")),
                                  std::to_string(n("cancelled"))};
  if (const auto r = rate_text(c.at("on_time_rate")); !r.empty()) {
    row.push_back(r);
  }
  return row;
}

std::vector<std::string> due_row(const json& d) {
  std::vector<std::string> row = {std::to_string(d.at("due").get<long>()),
                                  std::to_string(d.at("done").get<long>()),
                                  std::to_string(d.at("done_on_time").get<long>()),
                                  std::to_string(d.at("done_late").get<long>())};
  if (const auto r = rate_text(d.at("done_rate")); !r.empty()) {
    row.push_back(r);
  }
  row.push_back(std::to_string(d.at("overdue").get<long>()));
  return row;
}

// The figures (whole numbers and rates) of `text` between two markers, in reading order.
std::vector<std::string> figures_between(const std::string& text, const std::string& from,
                                         const std::string& to) {
  const auto a = text.find(from);
  const auto b = text.find(to, a == std::string::npos ? 0 : a);
  std::vector<std::string> out;
  if (a == std::string::npos || b == std::string::npos) {
    return out;
  }
  std::istringstream words(text.substr(a + from.size(), b - a - from.size()));
  static const std::regex figure("[0-9]+(,[0-9])?");
  for (std::string w; words >> w;) {
    if (std::regex_match(w, figure)) {
      out.push_back(w);
    }
  }
  return out;
}

// A CSV row (the files quote a rate, "100,0") split into its cells.
std::vector<std::string> csv_cells(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else if (c != '\r') {
      cells.back() += c;
    }
  }
  return cells;
}

std::vector<std::string> csv_row_after(const std::string& csv, const std::string& label) {
  const auto at = csv.find("\n" + label + ",");
  if (at == std::string::npos) {
    return {};
  }
  auto cells = csv_cells(csv.substr(at + 1, csv.find('\n', at + 1) - at - 1));
  cells.erase(cells.begin());
  while (!cells.empty() && cells.back().empty()) {
    cells.pop_back();
  }
  return cells;
}

// The same row of a sheet read by openpyxl: numbers as the files print them.
std::vector<std::string> sheet_row(const json& rows, const std::string& label) {
  for (const auto& row : rows) {
    if (!row.empty() && row.at(0) == label) {
      std::vector<std::string> out;
      for (std::size_t i = 1; i < row.size(); ++i) {
        if (i == 10 && row[i].is_number()) {  // the rate column: 100 is "100,0"
          out.push_back(rate_text(row[i].get<double>() / 100));
        } else if (row[i].is_number_integer()) {
          out.push_back(std::to_string(row[i].get<long>()));
        } else if (row[i].is_number()) {
          out.push_back(rate_text(row[i].get<double>() / 100));
        }
      }
      return out;
    }
  }
  return {};
}

}  // namespace

TEST(ReportDocument, TheMeetingOf15February2025InEveryFormat) {
  TempDir dir;
  Daemon d(dir.path().string(),
           "log:\n  level: warn\nreport:\n  governing_body: UBND TỈNH HÀ TĨNH\n"
           "  place: Hà Tĩnh\n  signer_title: KT. CHÁNH VĂN PHÒNG\n");
  dondoc::testing::start_after_the_meeting(d);
  HttpClient office(d.base_url(), d.office_token());
  const auto imported =
      office.request("POST", "/api/v1/tasks/import", dondoc::testing::seed_scene_csv(),
                     {"Content-Type: text/csv; charset=utf-8"});
  ASSERT_EQ(imported.status, 201) << imported.body.substr(0, 2000);

  const std::string query =
      "/api/v1/reports/summary?from=2025-01-01&to=2025-02-15&as_of=2025-02-15";
  const auto reply = office.get(query);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json report = json::parse(reply.body);
  // The meeting's figures (seed 004).
  ASSERT_EQ(report.at("carried_over").at("total"), 134);
  ASSERT_EQ(report.at("new").at("total"), 494);
  ASSERT_EQ(report.at("carried_over").at("open_overdue"), 5);
  ASSERT_EQ(report.at("new").at("open_overdue"), 2);
  const std::vector<std::vector<std::string>> rows = {
      summary_row(report.at("carried_over")), summary_row(report.at("new")),
      summary_row(report.at("total")), summary_row(report.at("key_tasks").at("total"))};
  EXPECT_EQ(rows[0][1], "113");
  EXPECT_EQ(rows[1][1], "356");
  EXPECT_EQ(rows[0][4], "21");
  EXPECT_EQ(rows[1][4], "137");
  const auto due = due_row(report.at("due_in_period"));
  const auto overdue = json::parse(office.get("/api/v1/reports/overdue?as_of=2025-02-15").body);
  ASSERT_EQ(overdue.at("total"), 7);

  // CSV.
  const auto csv = office.get(query + "&format=csv").body;
  EXPECT_EQ(csv_row_after(csv, "Kỳ trước chuyển sang"), rows[0]) << csv.substr(0, 1500);
  EXPECT_EQ(csv_row_after(csv, "Giao mới trong kỳ"), rows[1]);
  EXPECT_EQ(csv_row_after(csv, "Tổng cộng"), rows[2]);
  // The due-in-period table's total line: STT empty, "Tổng cộng", then the figures.
  const auto due_at = csv.find("Nhiệm vụ đến hạn trong kỳ\r\n");
  ASSERT_NE(due_at, std::string::npos) << csv;
  const auto due_total = csv.find("\n,Tổng cộng,", due_at);
  ASSERT_NE(due_total, std::string::npos);
  auto due_cells =
      csv_cells(csv.substr(due_total + 1, csv.find('\n', due_total + 1) - due_total - 1));
  due_cells.erase(due_cells.begin(), due_cells.begin() + 2);
  EXPECT_EQ(due_cells, due);

  // XLSX, read with openpyxl.
  const std::string book = dir.file("bao-cao.xlsx");
  std::ofstream(book, std::ios::binary) << office.get(query + "&format=xlsx").body;
  const json sheets = json::parse(python_output("read_xlsx.py", book));
  EXPECT_EQ(sheet_row(sheets.at("Tổng hợp"), "Kỳ trước chuyển sang"), rows[0]);
  EXPECT_EQ(sheet_row(sheets.at("Tổng hợp"), "Giao mới trong kỳ"), rows[1]);
  EXPECT_EQ(sheet_row(sheets.at("Tổng hợp"), "Tổng cộng"), rows[2]);
  long appendix_lines = 0;
  for (const auto& row : sheets.at("Nhiệm vụ quá hạn")) {
    appendix_lines += !row.empty() && row.at(0).is_number_integer() ? 1 : 0;
  }
  EXPECT_EQ(appendix_lines, 7);

  // The printed document: Chromium prints the page to PDF, pdftotext reads it.
  const std::string text = printed_text(dir, "bao-cao", office.get(query + "&format=html").body);
  ASSERT_FALSE(text.empty()) << "chromium or pdftotext missing, or the page did not print";
  for (const char* line :
       {"UBND TỈNH HÀ TĨNH", "VĂN PHÒNG", "/BC-VP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Hà Tĩnh, ngày 15 tháng 02 năm 2025", "BÁO CÁO",
        "Nơi nhận:", "KT. CHÁNH VĂN PHÒNG", "PHỤ LỤC", "Danh mục nhiệm vụ quá hạn",
        "Tính đến hết ngày 15/02/2025: 7 nhiệm vụ"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text.substr(0, 3000);
  }
  std::vector<std::string> expected;
  for (const auto& r : rows) {
    expected.insert(expected.end(), r.begin(), r.end());
  }
  EXPECT_EQ(figures_between(text, "I. Tổng hợp", "II. "), expected) << text.substr(0, 4000);
  const auto printed_due = figures_between(text, "Nhiệm vụ đến hạn trong kỳ", "Danh sách đề nghị");
  ASSERT_GE(printed_due.size(), due.size());
  EXPECT_EQ(std::vector<std::string>(printed_due.end() - static_cast<long>(due.size()),
                                     printed_due.end()),
            due)
      << "the total line closes the table";
  const auto appendix = text.substr(text.find("PHỤ LỤC"));
  // Its lines: each begins with its number and the task's document ("3 42/TB-UBND ...").
  long printed_tasks = 0;
  std::istringstream lines(appendix);
  static const std::regex numbered("\\s*[0-9]+ +[0-9]+/TB-.*");
  for (std::string line; std::getline(lines, line);) {
    printed_tasks += std::regex_match(line, numbered) ? 1 : 0;
  }
  EXPECT_EQ(printed_tasks, 7) << appendix;
}

// The yearly scorecard of 2025 as of 15/02/2025 over the same register: each unit's figures as
// the rows of the CSV give them (a completion on or before the deadline is on time; an open task
// past its deadline is overdue; a cancelled one is not due), ranked by rate on time, and the same
// figures in the CSV file, the workbook and the printed page.
TEST(ReportDocument, TheYearlyScorecardOfTheUnits) {
  TempDir dir;
  Daemon d(dir.path().string(), "log:\n  level: warn\n");
  dondoc::testing::start_after_the_meeting(d);
  const auto& names = dondoc::testing::seed_scene_units();
  const std::string register_csv = dondoc::testing::seed_scene_csv();
  HttpClient office(d.base_url(), d.office_token());
  ASSERT_EQ(office
                .request("POST", "/api/v1/tasks/import", register_csv,
                         {"Content-Type: text/csv; charset=utf-8"})
                .status,
            201);

  // The figures from the rows: unit, due, state, completed on.
  struct Expected {
    long due = 0, on_time = 0, late = 0, overdue = 0;
  };
  std::map<std::string, Expected> expected;
  auto iso = [](const std::string& vn) {  // dd/mm/yyyy -> yyyy-mm-dd, which sorts
    return vn.size() == 10 ? vn.substr(6, 4) + "-" + vn.substr(3, 2) + "-" + vn.substr(0, 2) : "";
  };
  std::istringstream rows(register_csv);
  std::string line;
  std::getline(rows, line);  // headings
  while (std::getline(rows, line)) {
    const auto cells = csv_cells(line);
    const std::string due = iso(cells.at(4));
    if (due < "2025-01-01" || due > "2025-12-31" || cells.at(5) == "Đã hủy") {
      continue;
    }
    auto& e = expected[names.at(cells.at(2))];
    ++e.due;
    if (cells.at(5) == "Đã hoàn thành") {
      ++(iso(cells.at(6)) <= due ? e.on_time : e.late);
    } else if (due < "2025-02-15") {
      ++e.overdue;
    }
  }

  const std::string query = "/api/v1/reports/scorecard?year=2025&as_of=2025-02-15";
  const auto reply = office.get(query);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json card = json::parse(reply.body);
  ASSERT_EQ(card.at("units").size(), expected.size()) << card.dump();
  double previous_rate = 2;
  long total_due = 0;
  for (const auto& u : card.at("units")) {
    const auto& e = expected.at(u.at("unit"));
    EXPECT_EQ(u.at("due"), e.due) << u;
    EXPECT_EQ(u.at("done_on_time"), e.on_time) << u;
    EXPECT_EQ(u.at("done_late"), e.late) << u;
    EXPECT_EQ(u.at("overdue"), e.overdue) << u;
    const double rate = static_cast<double>(e.on_time) / static_cast<double>(e.due);
    EXPECT_NEAR(u.at("on_time_rate").get<double>(), rate, 0.0001) << u;
    EXPECT_LE(rate, previous_rate) << "best first";
    previous_rate = rate;
    total_due += e.due;
  }
  EXPECT_EQ(card.at("units")[0].at("rank"), 1);
  EXPECT_EQ(card.at("total").at("due"), total_due);

  // The same lines in the files.
  const auto file = office.get(query + "&format=csv");
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.headers.at("content-disposition"),
            "inline; filename=\"bang-xep-hang-don-vi_2025_2025-02-15.csv\"");
  const std::string book = dir.file("xep-hang.xlsx");
  std::ofstream(book, std::ios::binary) << office.get(query + "&format=xlsx").body;
  const json sheets = json::parse(python_output("read_xlsx.py", book));
  const std::string text = printed_text(dir, "xep-hang", office.get(query + "&format=html").body);
  std::vector<std::string> printed_expected;
  for (const auto& u : card.at("units")) {
    const std::vector<std::string> figures = {
        std::to_string(u.at("due").get<long>()),
        std::to_string(u.at("done_on_time").get<long>()),
        std::to_string(u.at("done_late").get<long>()),
        std::to_string(u.at("overdue").get<long>()),
        std::to_string(u.at("extensions_requested").get<long>()),
        std::to_string(u.at("extensions_approved").get<long>()),
        rate_text(u.at("on_time_rate"))};
    const std::string unit = u.at("unit");
    const auto at =
        file.body.find("\n" + std::to_string(u.at("rank").get<int>()) + "," + unit + ",");
    ASSERT_NE(at, std::string::npos) << unit << "\n" << file.body;
    const auto cells = csv_cells(file.body.substr(at + 1, file.body.find('\n', at + 1) - at - 1));
    EXPECT_EQ(std::vector<std::string>(cells.begin() + 2, cells.end()), figures) << file.body;
    bool found = false;
    for (const auto& row : sheets.at("Xếp hạng đơn vị")) {
      if (row.size() > 1 && row.at(1) == unit) {
        found = true;
        EXPECT_EQ(row.at(0), u.at("rank")) << row;
        EXPECT_EQ(row.at(2), u.at("due")) << row;
        EXPECT_EQ(row.at(3), u.at("done_on_time")) << row;
        EXPECT_NEAR(row.at(8).get<double>(), u.at("on_time_rate").get<double>() * 100, 0.051)
            << row;
      }
    }
    EXPECT_TRUE(found) << unit;
    printed_expected.push_back(std::to_string(u.at("rank").get<int>()));
    printed_expected.insert(printed_expected.end(), figures.begin(), figures.end());
  }
  EXPECT_NE(text.find("Kết quả thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh giao năm 2025"),
            std::string::npos)
      << text;
  auto printed = figures_between(text, "I. Kết quả thực hiện nhiệm vụ năm 2025", "Nơi nhận");
  ASSERT_GE(printed.size(), printed_expected.size()) << text;
  printed.resize(printed_expected.size());  // the total line follows
  EXPECT_EQ(printed, printed_expected) << text;
}
