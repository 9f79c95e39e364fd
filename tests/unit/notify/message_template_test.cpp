// Operators' message templates: what a file must look like, and how it is filled in.
#include "dondoc/notify/message_template.hpp"

#include <gtest/gtest.h>

using namespace dondoc::notify;

namespace {

// The line and message parse_template refuses `text` with; {0, ""} if it accepts it.
std::pair<int, std::string> refusal(const std::string& text) {
  try {
    parse_template(text);
  } catch (const TemplateError& e) {
    return {e.line(), e.what()};
  }
  return {0, ""};
}

}  // namespace

TEST(MessageTemplate, ReadsTheSubjectAndTheBody) {
  const auto t = parse_template(
      "\xEF\xBB\xBFSubject: [UBND tỉnh] {{headline}}: {{title}}\r\n\r\nKính gửi {{lead_unit}},\r\n"
      "{{facts}}\r\n\r\n\r\n");
  EXPECT_EQ(t.subject, "[UBND tỉnh] {{headline}}: {{title}}");
  EXPECT_EQ(t.body, "Kính gửi {{lead_unit}},\n{{facts}}\n");
}

TEST(MessageTemplate, RefusesWhatItCannotUseWithTheLine) {
  EXPECT_EQ(refusal("Tiêu đề: {{title}}\n\nNội dung\n"),
            (std::pair<int, std::string>{1, "must begin with a 'Subject:' line"}));
  EXPECT_EQ(refusal("Subject:   \n\nNội dung\n").first, 1);
  EXPECT_EQ(refusal("Subject: {{title}}\nNội dung\n"),
            (std::pair<int, std::string>{2, "the subject line must be followed by an empty line"}));
  EXPECT_EQ(refusal("Subject: {{title}}\n\n\n"),
            (std::pair<int, std::string>{3, "the body is empty"}));
  const auto unknown = refusal("Subject: {{title}}\n\nKính gửi {{don_vi}},\n");
  EXPECT_EQ(unknown.first, 3);
  EXPECT_EQ(unknown.second.rfind("unknown placeholder {{don_vi}}; known: headline, title,", 0), 0u)
      << unknown.second;
  EXPECT_EQ(refusal("Subject: {{title}}\n\nHạn {{due_on\n").first, 3);
  const auto latin1 = refusal("Subject: {{title}}\n\nS\xF4 X\xE2y d\xF9ng\n");
  EXPECT_EQ(latin1.first, 3);
  EXPECT_NE(latin1.second.find("not valid UTF-8"), std::string::npos);
}

TEST(MessageTemplate, FillsInEveryPlaceholderOnceAndLeavesTheRest) {
  EXPECT_EQ(render_template("{{title}} — {{lead_unit}}: {{title}} {{detail}}.",
                            {{"title", "Báo cáo {{lead_unit}}"}, {"lead_unit", "Sở Y tế"}}),
            "Báo cáo {{lead_unit}} — Sở Y tế: Báo cáo {{lead_unit}} .")
      << "a value is not filled in again";
}
