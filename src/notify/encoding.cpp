#include "encoding.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace dondoc::notify {

std::string base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string unbase64(std::string_view text) {
  std::string out(text.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) {
    return "";
  }
  // EVP_DecodeBlock counts the padding as zero bytes.
  n -= static_cast<int>(
      std::count(text.end() - std::min<std::size_t>(2, text.size()), text.end(), '='));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace dondoc::notify
