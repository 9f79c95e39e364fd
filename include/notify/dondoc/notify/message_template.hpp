// Message templates from files an operator names in the config (reminders.templates), to say in
// the province's own words what the built-in Vietnamese texts say. A file is a subject line and
// a body:
//
//   Subject: [UBND tỉnh] {{headline}}: {{title}}
//
//   Kính gửi {{lead_unit}},
//   {{facts}}
//
// with {{placeholders}} from template_placeholders(). Unknown placeholders, a missing subject
// and text that is not UTF-8 are refused with the file's line, before the daemon starts.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dondoc::notify {

struct MessageTemplate {
  std::string subject;
  std::string body;
};

class TemplateError : public std::runtime_error {
 public:
  TemplateError(int line, const std::string& what) : std::runtime_error(what), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

// The names a template may use, each with what it stands for (for the docs and the errors).
const std::vector<std::pair<std::string, std::string>>& template_placeholders();

// Throws TemplateError.
MessageTemplate parse_template(std::string_view text);

// Replaces each {{name}} with values[name] (empty if absent).
std::string render_template(std::string_view pattern,
                            const std::map<std::string, std::string>& values);

// Operators' templates by event ("overdue", "task_assigned", ...); events without one use the
// built-in text.
using TemplateSet = std::map<std::string, MessageTemplate>;

}  // namespace dondoc::notify
