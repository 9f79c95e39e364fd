// Password hashes: Argon2id through libsodium's crypto_pwhash_str, whose string carries its own
// salt and parameters, so that a hash made with older parameters still verifies.
#pragma once

#include <cstddef>
#include <string>

namespace dondoc::service {

// Measured on a 2-vCPU Debian 12 machine (docs/design.md, "Who may do what"): t=2, m=19 MiB
// (OWASP's first Argon2id setting) takes 38 ms per hash; m=64 MiB took 210 ms and would more than
// double the daemon's resident size for each sign-in under way.
struct PasswordCost {
  unsigned long long passes = 2;
  std::size_t memory_bytes = std::size_t{19} * 1024 * 1024;
};

std::string hash_password(const std::string& password, const PasswordCost& cost = {});
// Whether `password` is the one `hash` was made from; false for an empty or malformed hash.
bool verify_password(const std::string& hash, const std::string& password);
// A hash nobody's password matches, verified when a login does not exist so that the answer
// takes as long as for one that does.
const std::string& decoy_hash();
// A one-time password for an admin's reset: 16 characters of an alphabet without look-alikes.
std::string one_time_password();

}  // namespace dondoc::service
