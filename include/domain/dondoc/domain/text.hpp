// Plain text rules shared by validation: UTF-8 well-formedness and lengths in characters.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dondoc::domain {

// The byte offset of the first ill-formed UTF-8 sequence, or nullopt if the text is valid
// (overlong forms, surrogates and code points above U+10FFFF are ill-formed).
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// At most about `max_bytes` of text a client sent, fit for a log line, a JSON string or an error
// message: ill-formed UTF-8 and control characters become \xNN, quotes and backslashes are
// escaped, and a longer text is cut with "… (N bytes)". Never throws.
std::string excerpt(std::string_view bytes, std::size_t max_bytes = 120);

// Length in Unicode code points of valid UTF-8 text.
std::size_t code_points(std::string_view text);

// Deliberately simple: one @, a non-empty local part, a dotted domain, no spaces or controls, at
// most 254 bytes (the RFC 5321 path limit). Deliverability is the mail server's to judge.
bool plausible_email(std::string_view email);

// True if the text contains a control character other than tab, CR and LF.
bool has_control_characters(std::string_view text, bool allow_newlines);

// Appends valid UTF-8 text as a JSON string, quotes included, escaped byte for byte as
// nlohmann::json's dump() escapes it: UTF-8 kept, the short escapes JSON has (\" \\ \b \f \n
// \r \t), \u00xx for the other control characters. For the texts written on every request
// (history changes, task bodies) without building a JSON document first.
void append_json_string(std::string& out, std::string_view text);

}  // namespace dondoc::domain
