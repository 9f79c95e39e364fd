// Webhooks (issue 4): JSON payloads POSTed through libcurl, signed as Standard Webhooks do
// (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
// id.timestamp.body>`), or a chat-friendly `{"text": ...}` body for Slack- and Mattermost-style
// incoming webhooks. Only 2xx is success; redirects are not followed.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
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

struct WebhookOutcome {
  bool ok = false;
  long status = 0;    // HTTP status, 0 if none came
  bool gone = false;  // 410: the endpoint asks never to be called again
  std::optional<std::chrono::seconds> retry_after;  // from a 429 or 503
  std::string error;
};

class WebhookSender {
 public:
  // `stop`, if given: a post in flight is abandoned soon after it becomes true.
  explicit WebhookSender(int timeout_s, const std::atomic<bool>* stop = nullptr);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  WebhookOutcome post(const WebhookEndpoint& endpoint, const std::string& id,
                      std::chrono::system_clock::time_point now, const std::string& body);

 private:
  int timeout_s_;
  const std::atomic<bool>* stop_;
  struct Curl;
  std::unique_ptr<Curl> curl_;
};

}  // namespace dondoc::notify
