// Internet mail as RFC 5322 / MIME text (issue 4): UTF-8 plain-text and HTML alternatives,
// RFC 2047-encoded Vietnamese subjects and display names, a stable Message-ID, Date and
// Auto-Submitted. Nothing that came from a user can add a header: line breaks and control
// characters in a subject or a name become spaces before encoding.
#pragma once

#include <string>
#include <string_view>

#include "dondoc/domain/date.hpp"

namespace dondoc::notify {

struct MailAddress {
  std::string display_name;  // UTF-8, may be empty
  std::string address;       // plain addr-spec, e.g. vanthu.sxd@example.vn
};

struct Mail {
  MailAddress from;
  MailAddress to;
  std::string subject;     // UTF-8
  std::string text;        // UTF-8 plain text
  std::string html;        // UTF-8 HTML; empty: built from the text
  std::string message_id;  // "<…@…>"
  domain::Instant date{};
  std::chrono::seconds utc_offset{0};  // of the Date header
};

// `text` as one header value: left alone when it is short printable ASCII, otherwise RFC 2047
// B-encoded words of UTF-8 (each at most 75 characters, never splitting a character).
std::string encode_header_text(std::string_view text);

// The whole message, CRLF line ends, ready for SMTP DATA.
std::string build_mime(const Mail& mail);

// The plain text as a minimal HTML page (escaped, paragraphs kept).
std::string text_to_html(std::string_view text);

}  // namespace dondoc::notify
