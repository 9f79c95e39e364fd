#include "dondoc/domain/text.hpp"

#include <algorithm>
#include <cstdint>

namespace dondoc::domain {

namespace {

// The length of the well-formed UTF-8 sequence starting at text[i], or 0 if it is ill-formed.
std::size_t sequence_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<std::uint8_t>(text[i]);
  if (c < 0x80) {
    return 1;
  }
  std::size_t len = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
    min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<std::uint8_t>(text[i + k]);
    if ((cc & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    if (static_cast<std::uint8_t>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = sequence_length(text, i);
    if (len == 0) {
      return i;
    }
    i += len;
  }
  return std::nullopt;
}

std::string excerpt(std::string_view bytes, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::min(bytes.size(), max_bytes) + 16);
  std::size_t i = 0;
  while (i < bytes.size() && out.size() < max_bytes) {
    const auto c = static_cast<std::uint8_t>(bytes[i]);
    const std::size_t len = sequence_length(bytes, i);
    if (len == 0 || c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else {
      out.append(bytes.substr(i, len));
      i += len;
    }
  }
  if (i < bytes.size()) {
    out += "\u2026 (" + std::to_string(bytes.size()) + " bytes)";
  }
  return out;
}

std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (char ch : text) {
    if ((static_cast<std::uint8_t>(ch) & 0xC0) != 0x80) {
      ++count;
    }
  }
  return count;
}

bool has_control_characters(std::string_view text, bool allow_newlines) {
  for (char ch : text) {
    const auto c = static_cast<std::uint8_t>(ch);
    if (c == 0x7F || (c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))) {
      return true;
    }
  }
  return false;
}

bool plausible_email(std::string_view e) {
  constexpr std::size_t kMaxEmailChars = 254;
  const auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos ||
      e.size() > kMaxEmailChars) {
    return false;
  }
  const auto domain = e.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.') {
    return false;
  }
  for (unsigned char c : e) {
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') {
      return false;
    }
  }
  return true;
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace dondoc::domain
