// Webhook endpoints and their signatures (issue 4): what a message to an endpoint is signed with,
// as Standard Webhooks do (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
// HMAC-SHA256 of id.timestamp.body>`). Posting them is delivery's (delivery/webhook_sender.hpp).
#pragma once

#include <string>
#include <vector>

namespace dondoc::notify {

enum class WebhookFormat { standard, chat };

struct WebhookEndpoint {
  std::string name;
  std::string url;
  std::string secret;  // "whsec_<base64>" as Standard Webhooks issues them, or 24+ raw bytes
  std::vector<std::string> events;  // empty: every event
  WebhookFormat format = WebhookFormat::standard;

  bool wants(const std::string& event) const;
};

// The key a secret stands for: the base64 after "whsec_", or the bytes themselves.
std::string webhook_key(const std::string& secret);

// "v1,<base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body)>".
std::string webhook_signature(const std::string& key, const std::string& id,
                              const std::string& timestamp, const std::string& body);

}  // namespace dondoc::notify
