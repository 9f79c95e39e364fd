// Reads the message templates the config names (reminders.templates), for serve and check-config
// alike: a template that cannot be used stops the daemon before it starts, with the file and line.
#pragma once

#include <optional>
#include <ostream>

#include "dondoc/config/config.hpp"
#include "dondoc/notify/message_template.hpp"

namespace dondoc::app {

// Prints each problem as "file:line: reminders.templates.EVENT: what is wrong" to `problems`
// and returns nullopt if there was any.
std::optional<notify::TemplateSet> load_templates(const config::Config& cfg,
                                                  std::ostream& problems);

}  // namespace dondoc::app
