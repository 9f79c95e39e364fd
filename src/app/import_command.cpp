#include "import_command.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "dondoc/service/task_import.hpp"
#include "offline.hpp"

namespace dondoc::app {

namespace {

std::string due_text(const service::TaskView& v) {
  return v.task.due_on ? domain::vn_date(*v.task.due_on) : "không có hạn";
}

}  // namespace

int import_tasks(const std::string& config_path, const std::string& file, bool dry_run) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "dondocd: cannot read " << file << "\n";
    return kExitOfflineUsage;
  }
  std::stringstream text;
  text << in.rdbuf();
  return with_offline(config_path, [&](Offline& offline) {
    service::TaskService tasks(offline.ctx);
    service::TaskImporter importer(offline.ctx, tasks);
    service::ImportResult result;
    try {
      result = dry_run ? importer.check(service::Actor::system(), text.str())
                       : importer.import(service::Actor::system(), text.str());
    } catch (const domain::ValidationError& e) {
      // As compilers report: FILE:ROW: column: what is wrong, one line each.
      for (const auto& f : e.errors()) {
        std::cerr << file << (f.row > 0 ? ":" + std::to_string(f.row) : std::string()) << ": "
                  << (f.field.empty() ? std::string() : f.field + ": ") << f.message << "\n";
      }
      std::cerr << "dondocd: nothing was registered\n";
      return kExitOfflineUsage;
    }
    for (const auto& r : result.rows) {
      std::cout << "row " << r.row << ": "
                << (dry_run ? std::string("would register")
                            : "task " + std::to_string(r.task.task.id))
                << ", due " << due_text(r.task) << ": " << r.task.task.title << "\n";
    }
    std::cout << (dry_run ? "checked " : "registered ") << result.rows.size() << " tasks"
              << (dry_run ? "; nothing was registered (--dry-run)" : "") << "\n";
    return 0;
  });
}

}  // namespace dondoc::app
