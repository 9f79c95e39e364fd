// Unicode handling for stored and searched text, through utf8proc: text is stored in NFC (so a
// title typed in decomposed form, as some Vietnamese keyboards produce, is the same title), and
// search compares a folded form without case or diacritics ("so xay dung" finds "Sở Xây dựng").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dondoc::service {

// Without leading and trailing spaces, tabs and line breaks.
std::string trim(std::string_view text);
// NFC form of valid UTF-8 (callers validate first; invalid input throws ValidationError).
std::string normalize_nfc(std::string_view text, const std::string& field);
// Lower case, marks stripped, đ → d: the form search_text columns hold.
std::string fold_for_search(std::string_view text);
// The text in printable ASCII for a client that cannot take more (a download's fallback file
// name): marks dropped ("Công văn" → "Cong van", đ → d), any other character outside ASCII, a
// control character, `"` and `\` as "_".
std::string ascii_fallback(std::string_view text);
// The folded words of a query, split on anything that is not a letter or digit.
std::vector<std::string> search_terms(std::string_view query);
// A client's search text as terms, refused (ValidationError naming `field`) past
// kMaxSearchChars characters or kMaxSearchTerms words: every word is one more condition on every
// row, and a thousand of them once made SQLite's query fail.
inline constexpr std::size_t kMaxSearchChars = 500;
inline constexpr std::size_t kMaxSearchTerms = 20;
std::vector<std::string> search_terms_of(std::string_view query, const std::string& field);

// True for the code points of which every sequence is NFC as it stands and folds one code point
// at a time: U+0000-U+02FF (ASCII and the Latin blocks below the combining marks) and
// U+1E00-U+1EFF (Latin Extended Additional, home of most of Vietnamese's precomposed letters).
// None of them is a combining mark, excluded from composition, or the second part of a
// canonical composition; text_test checks that against utf8proc for each one.
bool is_precomposed_latin(char32_t cp);
// The UTF-8 bytes of a code point.
std::string encode_utf8(char32_t cp);

}  // namespace dondoc::service
