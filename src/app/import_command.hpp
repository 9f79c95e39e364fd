// `dondocd import FILE`: registers the tasks of a CSV register straight into the database, as
// POST /api/v1/tasks/import does: every row or none, with every problem listed as FILE:ROW.
#pragma once

#include <string>

namespace dondoc::app {

// With a dry run, `report_from` and `report_to` (YYYY-MM-DD; `report_as_of` optional) also print
// the period report's figures as they would read after the import.
struct ImportReportOptions {
  std::string from;
  std::string to;
  std::string as_of;
};

int import_tasks(const std::string& config_path, const std::string& file, bool dry_run,
                 const ImportReportOptions& report = {});

}  // namespace dondoc::app
