// iCalendar content lines (RFC 5545 §3.1, §3.3.11): escaping and folding.
#include "dondoc/http/ics.hpp"

#include <gtest/gtest.h>

#include <sstream>

using dondoc::http::ics_escape;
using dondoc::http::ics_line;

TEST(Ics, TextIsEscaped) {
  EXPECT_EQ(ics_escape("Báo cáo; kế hoạch, dự toán\\ngân sách\r\nlần 2\n"),
            "Báo cáo\\; kế hoạch\\, dự toán\\\\ngân sách\\nlần 2\\n");
}

TEST(Ics, LongLinesFoldAt75OctetsWithoutSplittingACharacter) {
  const std::string text =
      "SUMMARY:[Hạn] Hoàn thiện hồ sơ điều chỉnh chủ trương đầu tư dự án đường tỉnh 254 đoạn qua "
      "xã Tân Phú và phường Bến Thủy";
  const std::string folded = ics_line(text);
  ASSERT_EQ(folded.substr(folded.size() - 2), "\r\n");
  std::string unfolded;
  std::istringstream in(folded);
  bool first = true;
  for (std::string line; std::getline(in, line);) {
    ASSERT_FALSE(line.empty());
    ASSERT_EQ(line.back(), '\r') << "every line ends in CRLF";
    line.pop_back();
    EXPECT_LE(line.size(), 75u) << line;
    // A line never ends inside a UTF-8 sequence: its last byte is ASCII or ends a sequence.
    const auto last = static_cast<unsigned char>(line.back());
    EXPECT_FALSE(last >= 0xC0) << line;
    if (!first) {
      ASSERT_EQ(line[0], ' ');
      line.erase(0, 1);
      const auto lead = static_cast<unsigned char>(line[0]);
      EXPECT_FALSE(lead >= 0x80 && lead < 0xC0) << "a line begins inside a character: " << line;
    }
    first = false;
    unfolded += line;
  }
  EXPECT_EQ(unfolded, text);
  EXPECT_EQ(ics_line("VERSION:2.0"), "VERSION:2.0\r\n");
}
