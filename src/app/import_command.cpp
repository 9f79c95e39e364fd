#include "import_command.hpp"

#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/service/task_import.hpp"
#include "offline.hpp"

namespace dondoc::app {

namespace {

std::string due_text(const service::TaskView& v) {
  return v.task.due_on ? domain::vn_date(*v.task.due_on) : "không có hạn";
}

// "134 (đã hoàn thành 113, đang thực hiện 21, trong đó quá hạn 5)"
std::string figures(const domain::BucketCounts& c) {
  return std::to_string(c.total) + " (đã hoàn thành " +
         std::to_string(c.done_on_time + c.done_late) + ", đang thực hiện " +
         std::to_string(c.open_on_time + c.open_overdue) + ", trong đó quá hạn " +
         std::to_string(c.open_overdue) + ")";
}

void print_preview(const service::SummaryReport& r, std::ostream& out) {
  const auto& s = r.summary;
  out << "after the import, the report from " << s.period.from.to_string() << " to "
      << s.period.to.to_string() << " as of " << s.period.as_of.to_string() << " would read:\n"
      << "  Kỳ trước chuyển sang: " << figures(s.all.carried_over) << "\n"
      << "  Giao mới trong kỳ: " << figures(s.all.fresh) << "\n"
      << "  Tổng cộng: " << figures(s.all.total()) << "\n";
}

std::optional<domain::Date> date_or_problem(const char* option, const std::string& value,
                                            bool& ok) {
  if (value.empty()) {
    return std::nullopt;
  }
  const auto d = domain::Date::parse(value);
  if (!d) {
    std::cerr << "dondocd: " << option << ": '" << value << "' is not a date (YYYY-MM-DD)\n";
    ok = false;
  }
  return d;
}

}  // namespace

int import_tasks(const std::string& config_path, const std::string& file, bool dry_run,
                 const ImportReportOptions& report) {
  const bool with_report = !report.from.empty() || !report.to.empty() || !report.as_of.empty();
  bool ok = true;
  const auto from = date_or_problem("--report-from", report.from, ok);
  const auto to = date_or_problem("--report-to", report.to, ok);
  const auto as_of = date_or_problem("--report-as-of", report.as_of, ok);
  if (with_report && (!dry_run || report.from.empty() || report.to.empty())) {
    std::cerr << "dondocd: --report-from and --report-to go together, with --dry-run\n";
    ok = false;
  }
  if (!ok) {
    return kExitOfflineUsage;
  }
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) {
    std::cerr << "dondocd: cannot read " << file << "\n";
    return kExitOfflineUsage;
  }
  // Read whole, once: a province's register may be tens of megabytes.
  std::string text(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return with_offline(config_path, [&](Offline& offline) {
    service::TaskService tasks(offline.ctx);
    service::TaskImporter importer(offline.ctx, tasks, service::kMaxOfflineImportRows);
    // One line per row, kept until the import is known to have succeeded; the tasks themselves
    // are not kept (a register may have 100,000 of them).
    std::vector<std::string> lines;
    const auto keep_line = [&](std::size_t i, int row, const service::TaskView& v) {
      if (lines.size() <= i) {
        lines.resize(i + 1);
      }
      lines[i] = "row " + std::to_string(row) + ": " +
                 (dry_run ? std::string("would register") : "task " + std::to_string(v.task.id)) +
                 ", due " + due_text(v) + ": " + v.task.title;
    };
    std::optional<service::SummaryReport> report;
    try {
      if (with_report) {
        auto result = importer.preview(service::Actor::system(), text, {*from, *to, as_of});
        for (std::size_t i = 0; i < result.rows.size(); ++i) {
          keep_line(i, result.rows[i].row, result.rows[i].task);
        }
        report = std::move(result.report);
      } else if (dry_run) {
        importer.check(service::Actor::system(), text, keep_line);
      } else {
        importer.import(service::Actor::system(), text, keep_line);
      }
    } catch (const domain::ValidationError& e) {
      // As compilers report: FILE:ROW: column: what is wrong, one line each.
      for (const auto& f : e.errors()) {
        std::cerr << file << (f.row > 0 ? ":" + std::to_string(f.row) : std::string()) << ": "
                  << (f.field.empty() ? std::string() : f.field + ": ") << f.message << "\n";
      }
      std::cerr << "dondocd: nothing was registered\n";
      return kExitOfflineUsage;
    }
    for (const auto& line : lines) {
      std::cout << line << "\n";
    }
    std::cout << (dry_run ? "checked " : "registered ") << lines.size() << " tasks"
              << (dry_run ? "; nothing was registered (--dry-run)" : "") << "\n";
    if (report) {
      print_preview(*report, std::cout);
    }
    return 0;
  });
}

}  // namespace dondoc::app
