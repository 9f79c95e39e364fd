#include "dondoc/service/text.hpp"

#include <utf8proc.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <vector>

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

// Calls visit(code point, its bytes) for each code point of valid UTF-8 text while it returns
// true; returns whether it went to the end.
template <typename Visit>
bool each_code_point(std::string_view text, Visit visit) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t remaining = static_cast<utf8proc_ssize_t>(text.size());
  while (remaining > 0) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p, remaining, &cp);
    if (n <= 0 || !visit(cp, std::string_view(reinterpret_cast<const char*>(p),
                                              static_cast<std::size_t>(n)))) {
      return false;
    }
    p += n;
    remaining -= n;
  }
  return true;
}

// Most Vietnamese text is typed precomposed, in NFC already; utf8proc's decompose-and-compose
// round trip was the larger part of planning a new task. A text made only of these code points
// is NFC as it is and folds one code point at a time (see is_precomposed_latin).
bool only_precomposed_latin(std::string_view text) {
  return each_code_point(text, [](utf8proc_int32_t cp, std::string_view) {
    return is_precomposed_latin(static_cast<char32_t>(cp));
  });
}

std::string fold_general(std::string_view text);

// fold_for_search of each non-ASCII precomposed Latin code point, computed once.
const std::string& folded_latin(char32_t cp) {
  static const auto table = [] {
    std::vector<std::string> t(0x300 + 0x100);
    for (char32_t c = 0x80; c < 0x300; ++c) {
      t[c] = fold_general(encode_utf8(c));
    }
    for (char32_t c = 0x1E00; c < 0x1F00; ++c) {
      t[0x300 + (c - 0x1E00)] = fold_general(encode_utf8(c));
    }
    return t;
  }();
  return table[cp < 0x300 ? cp : 0x300 + (cp - 0x1E00)];
}

std::string fold_general(std::string_view text) {
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

}  // namespace

bool is_precomposed_latin(char32_t cp) {
  return cp < 0x300 || (cp >= 0x1E00 && cp < 0x1F00);
}

std::string encode_utf8(char32_t cp) {
  utf8proc_uint8_t bytes[4];
  const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), bytes);
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(n));
}

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
  if (only_precomposed_latin(text)) {
    return std::string(text);
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
  std::string out;
  out.reserve(text.size());
  const bool latin = each_code_point(text, [&](utf8proc_int32_t cp, std::string_view bytes) {
    if (!is_precomposed_latin(static_cast<char32_t>(cp))) {
      return false;
    }
    if (cp < 0x80) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(bytes[0])));
    } else {
      out += folded_latin(static_cast<char32_t>(cp));
    }
    return true;
  });
  return latin ? out : fold_general(text);
}

std::string ascii_fallback(std::string_view text) {
  std::string bare;
  try {
    bare = map(text, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, "name");
  } catch (const domain::ValidationError&) {
    bare = std::string(text);
  }
  std::string out;
  for (std::size_t i = 0; i < bare.size(); ++i) {
    const auto c = static_cast<unsigned char>(bare[i]);
    if (c == 0xC4 && i + 1 < bare.size() && (static_cast<unsigned char>(bare[i + 1]) | 1) == 0x91) {
      out += static_cast<unsigned char>(bare[i + 1]) == 0x90 ? 'D' : 'd';  // Đ, đ
      ++i;
    } else if (c >= 0x80) {
      if ((c & 0xC0) != 0x80) {
        out += '_';  // one per code point, at its first byte
      }
    } else {
      out += (c < 0x20 || c == '"' || c == '\\' || c == 0x7F) ? '_' : static_cast<char>(c);
    }
  }
  return out;
}

std::vector<std::string> search_terms(std::string_view query) {
  const std::string folded = fold_for_search(query);
  std::vector<std::string> terms;
  std::string current;
  each_code_point(folded, [&](utf8proc_int32_t cp, std::string_view bytes) {
    const auto category = utf8proc_category(cp);
    const bool word = (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) ||
                      (category >= UTF8PROC_CATEGORY_ND && category <= UTF8PROC_CATEGORY_NO) ||
                      cp == '/' || cp == '-' || cp == '.';
    if (word) {
      current.append(bytes);
    } else if (!current.empty()) {
      terms.push_back(std::move(current));
      current.clear();
    }
    return true;
  });
  if (!current.empty()) {
    terms.push_back(std::move(current));
  }
  return terms;
}

}  // namespace dondoc::service

namespace dondoc::service {

std::vector<std::string> search_terms_of(std::string_view query, const std::string& field) {
  if (domain::code_points(query) > kMaxSearchChars) {
    throw domain::ValidationError(
        field, "must be at most " + std::to_string(kMaxSearchChars) + " characters");
  }
  auto terms = search_terms(query);
  if (terms.size() > kMaxSearchTerms) {
    throw domain::ValidationError(field, "has " + std::to_string(terms.size()) +
                                             " words; search with at most " +
                                             std::to_string(kMaxSearchTerms));
  }
  return terms;
}

}  // namespace dondoc::service
