// Small encodings the messages share: base64 (MIME parts, RFC 2047 words, webhook signatures)
// and dates as Vietnamese readers write them.
#pragma once

#include <string>
#include <string_view>

#include "dondoc/domain/date.hpp"

namespace dondoc::notify {

std::string base64(std::string_view data);
// nullopt-free: malformed input decodes to what it can; only used on secrets from the config.
std::string unbase64(std::string_view text);
// 05/03/2025
std::string vn_date(const domain::Date& d);

}  // namespace dondoc::notify
