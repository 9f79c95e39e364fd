#include "message_templates.hpp"

#include <fstream>
#include <sstream>

namespace dondoc::app {

std::optional<notify::TemplateSet> load_templates(const config::Config& cfg,
                                                  std::ostream& problems) {
  notify::TemplateSet set;
  bool ok = true;
  for (const auto& [event, path] : cfg.reminders.templates) {
    const std::string key = "reminders.templates." + event;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      problems << path << ": " << key << ": cannot be read\n";
      ok = false;
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    try {
      set[event] = notify::parse_template(text.str());
    } catch (const notify::TemplateError& e) {
      problems << path << ":" << e.line() << ": " << key << ": " << e.what() << "\n";
      ok = false;
    }
  }
  if (!ok) {
    return std::nullopt;
  }
  return set;
}

}  // namespace dondoc::app
