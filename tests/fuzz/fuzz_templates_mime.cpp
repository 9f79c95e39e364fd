// An operator's message template, rendered, then the mail built from it: RFC 2047 encoded words
// for the subject and names, the MIME body parts, the HTML made from the text.
#include <cstdint>
#include <map>
#include <string>

#include "dondoc/domain/text.hpp"
#include "dondoc/notify/message_template.hpp"
#include "dondoc/notify/mime.hpp"

using namespace dondoc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (domain::first_invalid_utf8(text)) {
    // Refused before it gets here: templates at start, every text a client sends on arrival.
    try {
      (void)notify::parse_template(text);
    } catch (const notify::TemplateError&) {
    }
    return 0;
  }
  notify::MessageTemplate t;
  try {
    t = notify::parse_template(text);
  } catch (const notify::TemplateError&) {
    t.subject = text.substr(0, 200);
    t.body = text;
  }
  std::map<std::string, std::string> values;
  for (const auto& [name, _] : notify::template_placeholders()) {
    values[name] = text.substr(0, 64);
  }
  notify::Mail mail;
  mail.from = {"Văn phòng UBND tỉnh", "vanphong@example.vn"};
  mail.to = {text.substr(0, 40), "vanthu.sxd@example.vn"};
  mail.subject = notify::render_template(t.subject, values);
  mail.text = notify::render_template(t.body, values);
  mail.message_id = "<1@dondoc.example.vn>";
  (void)notify::encode_header_text(text);
  (void)notify::text_to_html(text);
  (void)notify::build_mime(mail);
  return 0;
}
