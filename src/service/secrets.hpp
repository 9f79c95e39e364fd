// The secrets of credentials (API tokens, sessions): "<prefix><row id>_<secret>", where the row
// id finds the stored hash without comparing secrets in SQL and the secret is 32 random bytes
// (256 bits) in unpadded base64url; only the SHA-256 of the whole text is stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dondoc::service {

std::string sha256_hex(std::string_view text);
// 32 random bytes in unpadded base64url (43 characters).
std::string random_secret();
// The row id of a well-formed credential with `prefix`, nullopt otherwise.
std::optional<std::int64_t> credential_id(std::string_view prefix, std::string_view credential);
// Whether two texts are equal, in time that depends on their length only.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace dondoc::service
