// `dondocd import FILE`: registers the tasks of a CSV register straight into the database, as
// POST /api/v1/tasks/import does: every row or none, with every problem listed as FILE:ROW.
#pragma once

#include <string>

namespace dondoc::app {

int import_tasks(const std::string& config_path, const std::string& file, bool dry_run);

}  // namespace dondoc::app
