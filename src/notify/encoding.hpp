// Small encodings the messages share: base64 (MIME parts, RFC 2047 words, webhook signatures)
// and dates as Vietnamese readers write them (domain::vn_date).
#pragma once

#include <string>
#include <string_view>

#include "dondoc/domain/date.hpp"

namespace dondoc::notify {

std::string base64(std::string_view data);
// nullopt-free: malformed input decodes to what it can; only used on secrets from the config.
std::string unbase64(std::string_view text);
using domain::vn_date;

}  // namespace dondoc::notify
