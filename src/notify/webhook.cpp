#include "dondoc/notify/webhook.hpp"

#include "encoding.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>

namespace dondoc::notify {

bool WebhookEndpoint::wants(const std::string& event) const {
  return events.empty() || std::find(events.begin(), events.end(), event) != events.end();
}

std::string webhook_key(const std::string& secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.rfind(kPrefix, 0) != 0) {
    return secret;
  }
  const std::string key = unbase64(std::string_view(secret).substr(kPrefix.size()));
  return key.empty() ? secret : key;  // not base64 after all: the text is the key
}

std::string webhook_signature(const std::string& key, const std::string& id,
                              const std::string& timestamp, const std::string& body) {
  const std::string signed_content = id + "." + timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), mac,
       &len);
  return "v1," + base64(std::string_view(reinterpret_cast<const char*>(mac), len));
}

}  // namespace dondoc::notify
