#include "dondoc/notify/mime.hpp"

#include "encoding.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <ctime>

namespace dondoc::notify {

namespace {

constexpr std::size_t kMaxEncodedWord = 75;
constexpr std::size_t kBase64LineChars = 76;

// Base64 in lines of 76 characters, for a body part.
std::string base64_lines(std::string_view data) {
  const std::string b = base64(data);
  std::string out;
  for (std::size_t i = 0; i < b.size(); i += kBase64LineChars) {
    out += b.substr(i, kBase64LineChars) + "\r\n";
  }
  return out;
}

// Line breaks, tabs and other control characters become spaces: a header value is one line.
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    out += (c < 0x20 || c == 0x7F) ? ' ' : static_cast<char>(c);
  }
  return out;
}

std::size_t utf8_length_at(unsigned char lead) {
  if (lead < 0x80) {
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    return 2;
  }
  if ((lead & 0xF0) == 0xE0) {
    return 3;
  }
  return 4;
}

std::string rfc5322_date(domain::Instant at, std::chrono::seconds offset) {
  const std::time_t t =
      std::chrono::system_clock::to_time_t(at) + static_cast<std::time_t>(offset.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const long minutes = static_cast<long>(offset.count() / 60);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
                minutes < 0 ? '-' : '+', std::labs(minutes) / 60, std::labs(minutes) % 60);
  return buf;
}

std::string address_header(const MailAddress& a) {
  const std::string address = one_line(a.address);
  if (a.display_name.empty()) {
    return address;
  }
  return encode_header_text(a.display_name) + " <" + address + ">";
}

}  // namespace

std::string encode_header_text(std::string_view raw) {
  const std::string text = one_line(raw);
  bool plain = text.size() <= 60;
  for (unsigned char c : text) {
    // '=' and '?' could be read as the start of an encoded word.
    plain = plain && c >= 0x20 && c < 0x7F && c != '=' && c != '?';
  }
  if (plain) {
    return text;
  }
  // Each word carries at most 45 bytes of UTF-8: "=?UTF-8?B?" + 60 base64 characters + "?="
  // is 72, within the limit of 75.
  constexpr std::size_t kChunk = 45;
  static_assert(10 + 4 * (kChunk / 3) + 2 <= kMaxEncodedWord);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size()) {
      const std::size_t len = utf8_length_at(static_cast<unsigned char>(text[end]));
      if (end + len - i > kChunk) {
        break;
      }
      end += len;
    }
    if (end == i) {
      end = std::min(text.size(), i + 1);  // a broken sequence: move on rather than loop
    }
    out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") +
           base64(std::string_view(text).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string text_to_html(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\n':
        escaped += "<br>\n";
        break;
      default:
        escaped += c;
    }
  }
  return "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"></head>\n"
         "<body style=\"font-family: sans-serif\">\n" +
         escaped + "\n</body></html>\n";
}

std::string build_mime(const Mail& m) {
  // The boundary is derived from the Message-ID: stable across retries like the rest.
  std::string boundary = "=_dondoc_";
  for (char c : m.message_id) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      boundary += c;
    }
  }
  std::string out;
  out += "From: " + address_header(m.from) + "\r\n";
  out += "To: " + address_header(m.to) + "\r\n";
  out += "Subject: " + encode_header_text(m.subject) + "\r\n";
  out += "Date: " + rfc5322_date(m.date, m.utc_offset) + "\r\n";
  out += "Message-ID: " + one_line(m.message_id) + "\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(m.text);
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(m.html.empty() ? text_to_html(m.text) : m.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace dondoc::notify
