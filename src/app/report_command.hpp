// `dondocd report summary|overdue|scorecard`: the reports of the API, as the same files, straight from the
// database (the daemon need not run).
#pragma once

#include <string>

namespace dondoc::app {

struct ReportOptions {
  std::string from;  // summary only
  std::string to;    // summary only
  std::string as_of;
  std::string group_by = "historic";
  std::string basis = "effective";
  std::string format = "json";
  std::string output;  // a file; empty: standard output
  int year = 0;        // scorecard only
};

int report_summary(const std::string& config_path, const ReportOptions& options);
int report_overdue(const std::string& config_path, const ReportOptions& options);
int report_scorecard(const std::string& config_path, const ReportOptions& options);

}  // namespace dondoc::app
