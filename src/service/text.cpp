#include "dondoc/service/text.hpp"

#include <utf8proc.h>

#include <cctype>
#include <cstdlib>
#include <memory>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"

namespace dondoc::service {

namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

std::string map(std::string_view text, int options, const std::string& field) {
  utf8proc_uint8_t* out = nullptr;
  const auto len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                static_cast<utf8proc_ssize_t>(text.size()), &out,
                                static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> holder(out);
  if (len < 0) {
    throw domain::ValidationError(field, std::string("is not valid text: ") + utf8proc_errmsg(len));
  }
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
}

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string trim(std::string_view text) {
  const auto b = text.find_first_not_of(" \t\r\n");
  const auto e = text.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string() : std::string(text.substr(b, e - b + 1));
}

std::string normalize_nfc(std::string_view text, const std::string& field) {
  if (is_ascii(text)) {
    return std::string(text);  // ASCII is its own NFC; most document numbers and dates are
  }
  if (auto bad = domain::first_invalid_utf8(text)) {
    throw domain::ValidationError(field, "is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  }
  return map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE, field);
}

std::string fold_for_search(std::string_view text) {
  if (is_ascii(text)) {
    std::string lower(text);
    for (auto& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return lower;
  }
  std::string folded =
      map(text, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, "q");
  // đ (U+0111) is a letter of its own, not d with a mark, so stripping marks keeps it; Vietnamese
  // readers type it as d when they leave diacritics out.
  std::string out;
  out.reserve(folded.size());
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (static_cast<unsigned char>(folded[i]) == 0xC4 && i + 1 < folded.size() &&
        static_cast<unsigned char>(folded[i + 1]) == 0x91) {
      out += 'd';
      ++i;
    } else {
      out += folded[i];
    }
  }
  return out;
}

std::vector<std::string> search_terms(std::string_view query) {
  const std::string folded = fold_for_search(query);
  std::vector<std::string> terms;
  std::string current;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(folded.data());
  utf8proc_ssize_t remaining = static_cast<utf8proc_ssize_t>(folded.size());
  while (remaining > 0) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p, remaining, &cp);
    if (n <= 0) {
      break;
    }
    const auto category = utf8proc_category(cp);
    const bool word = (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) ||
                      (category >= UTF8PROC_CATEGORY_ND && category <= UTF8PROC_CATEGORY_NO) ||
                      cp == '/' || cp == '-' || cp == '.';
    if (word) {
      current.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    } else if (!current.empty()) {
      terms.push_back(std::move(current));
      current.clear();
    }
    p += n;
    remaining -= n;
  }
  if (!current.empty()) {
    terms.push_back(std::move(current));
  }
  return terms;
}

}  // namespace dondoc::service
