// MIME building: Vietnamese subjects as RFC 2047 words, no header from user input, the parts.
#include "dondoc/notify/mime.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <regex>

#include "fake_clock.hpp"

using namespace dondoc::notify;
using dondoc::testing::at;

namespace {

std::string unbase64(const std::string& b) {
  std::string out(b.size(), '\0');
  int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(b.data()), static_cast<int>(b.size()));
  // EVP_DecodeBlock counts padding as zero bytes.
  n -= static_cast<int>(std::count(b.end() - std::min<std::size_t>(2, b.size()), b.end(), '='));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Decodes a header value made of B-encoded words.
std::string decode_words(const std::string& value) {
  static const std::regex kWord(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  std::string out;
  for (std::sregex_iterator it(value.begin(), value.end(), kWord), end; it != end; ++it) {
    EXPECT_LE(it->str().size(), 75u) << it->str();
    out += unbase64((*it)[1].str());
  }
  return out;
}

}  // namespace

TEST(Mime, VietnameseSubjectsAreEncodedWordsThatDecodeBack) {
  const std::string subject =
      "[Đôn đốc] Quá hạn 4 ngày làm việc: Hoàn thành giải phóng mặt bằng đường tỉnh 254 đoạn qua "
      "xã Đăng Hà, huyện Bù Đăng";
  const std::string encoded = encode_header_text(subject);
  EXPECT_EQ(decode_words(encoded), subject);
  EXPECT_EQ(encode_header_text("Weekly digest"), "Weekly digest");  // plain ASCII stays plain
}

TEST(Mime, NothingFromATitleCanAddAHeader) {
  Mail m;
  m.from = {"Hệ thống đôn đốc", "dondoc@example.vn"};
  m.to = {"", "vanthu.sxd@example.vn"};
  m.subject = "Báo cáo\r\nBcc: attacker@example.com";
  m.text = "Nội dung";
  m.message_id = "<dondoc.0123456789abcdef@example.vn>";
  m.date = at("2025-04-22T07:30:00+07:00");
  m.utc_offset = std::chrono::hours(7);
  const std::string mime = build_mime(m);
  EXPECT_EQ(mime.find("\r\nBcc:"), std::string::npos) << mime;
  EXPECT_EQ(mime.find("\nBcc:"), std::string::npos) << mime;
  // Even an ASCII-only title with a line break stays on its line.
  m.subject = "Report\r\nBcc: attacker@example.com";
  EXPECT_EQ(build_mime(m).find("\r\nBcc:"), std::string::npos);
}

TEST(Mime, TheMessageHasTheHeadersAndBothParts) {
  Mail m;
  m.from = {"Hệ thống đôn đốc", "dondoc@example.vn"};
  m.to = {"", "vanthu.sxd@example.vn"};
  m.subject = "Nhắc việc";
  m.text = "Nhiệm vụ: <Báo cáo> & kiến nghị";
  m.message_id = "<dondoc.0123456789abcdef@example.vn>";
  m.date = at("2025-04-22T07:30:00+07:00");
  m.utc_offset = std::chrono::hours(7);
  const std::string mime = build_mime(m);
  EXPECT_NE(mime.find("Date: Tue, 22 Apr 2025 07:30:00 +0700\r\n"), std::string::npos) << mime;
  EXPECT_NE(mime.find("Message-ID: <dondoc.0123456789abcdef@example.vn>\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Auto-Submitted: auto-generated\r\n"), std::string::npos);
  EXPECT_NE(mime.find("To: vanthu.sxd@example.vn\r\n"), std::string::npos);
  EXPECT_NE(mime.find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
  EXPECT_NE(text_to_html(m.text).find("&lt;Báo cáo&gt; &amp; kiến nghị"), std::string::npos);
  EXPECT_EQ(build_mime(m), mime) << "the same message every time, for retries";
}
