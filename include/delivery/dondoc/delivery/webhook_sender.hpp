// Posting webhooks through libcurl: JSON payloads signed as Standard Webhooks do (see
// notify/webhook.hpp), or a chat-friendly `{"text": ...}` body for Slack- and Mattermost-style
// incoming webhooks. Only 2xx is success; redirects are not followed.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "dondoc/notify/webhook.hpp"

namespace dondoc::delivery {

using notify::WebhookEndpoint;
using notify::WebhookFormat;

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

}  // namespace dondoc::delivery
