#include "dondoc/notify/message_template.hpp"

#include "dondoc/domain/text.hpp"

#include <algorithm>

namespace dondoc::notify {

namespace {

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";

bool known(std::string_view name) {
  for (const auto& [n, _] : template_placeholders()) {
    if (n == name) {
      return true;
    }
  }
  return false;
}

std::string known_list() {
  std::string out;
  for (const auto& [n, _] : template_placeholders()) {
    out += (out.empty() ? "" : ", ") + n;
  }
  return out;
}

// Checks the placeholders of one line of a template.
void check_line(std::string_view line, int number) {
  for (std::size_t at = line.find(kOpen); at != std::string_view::npos;
       at = line.find(kOpen, at + kOpen.size())) {
    const std::size_t end = line.find(kClose, at);
    if (end == std::string_view::npos) {
      throw TemplateError(number, "'{{' without a closing '}}'");
    }
    const std::string_view name = line.substr(at + kOpen.size(), end - at - kOpen.size());
    if (!known(name)) {
      throw TemplateError(
          number, "unknown placeholder {{" + std::string(name) + "}}; known: " + known_list());
    }
  }
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& template_placeholders() {
  static const std::vector<std::pair<std::string, std::string>> kNames = {
      {"headline", "what happened, e.g. \"Quá hạn 3 ngày làm việc\""},
      {"title", "the task's title"},
      {"source", "the source document and its date, e.g. \"45/TB-UBND ngày 10/01/2025\""},
      {"source_title", "the source document's title"},
      {"lead_unit", "the lead unit's name"},
      {"due_on", "the deadline, dd/mm/yyyy, or \"không thời hạn\""},
      {"original_due_on", "the deadline before any extension, or empty"},
      {"state", "the task's state in words"},
      {"link", "the task's address under web.base_url"},
      {"detail", "the reason, note or proposed date the event carries, or empty"},
      {"facts",
       "the block every built-in message ends with: task, source, lead unit, deadline, "
       "state and link"},
  };
  return kNames;
}

MessageTemplate parse_template(std::string_view text) {
  if (const auto bad = domain::first_invalid_utf8(text)) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(*bad), '\n');
    throw TemplateError(
        static_cast<int>(line),
        "is not valid UTF-8 (byte " + std::to_string(*bad + 1) + "); save the file as UTF-8");
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);  // a byte-order mark, as some Windows editors write
  }
  MessageTemplate t;
  std::string body;
  int number = 0;
  bool in_body = false;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    ++number;
    check_line(line, number);
    if (number == 1) {
      constexpr std::string_view kSubject = "Subject:";
      if (line.substr(0, kSubject.size()) != kSubject) {
        throw TemplateError(1, "must begin with a 'Subject:' line");
      }
      line.remove_prefix(kSubject.size());
      while (!line.empty() && line.front() == ' ') {
        line.remove_prefix(1);
      }
      if (line.empty()) {
        throw TemplateError(1, "the subject is empty");
      }
      t.subject = line;
    } else if (number == 2 && !line.empty()) {
      throw TemplateError(2, "the subject line must be followed by an empty line");
    } else if (number > 2) {
      in_body = true;
      body.append(line).append("\n");
    }
    start = end + 1;
  }
  while (body.size() > 1 && body.back() == '\n' && body[body.size() - 2] == '\n') {
    body.pop_back();
  }
  if (!in_body || body.find_first_not_of(" \n") == std::string::npos) {
    throw TemplateError(number, "the body is empty");
  }
  t.body = std::move(body);
  return t;
}

std::string render_template(std::string_view pattern,
                            const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = pattern.find(kOpen); at != std::string_view::npos;
       at = pattern.find(kOpen, from)) {
    const std::size_t end = pattern.find(kClose, at);
    if (end == std::string_view::npos) {
      break;
    }
    out.append(pattern.substr(from, at - from));
    const auto it = values.find(std::string(pattern.substr(at + 2, end - at - 2)));
    if (it != values.end()) {
      out += it->second;
    }
    from = end + kClose.size();
  }
  out.append(pattern.substr(from));
  return out;
}

}  // namespace dondoc::notify
