#include "dondoc/delivery/webhook_sender.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

#include "curl_handle.hpp"

namespace dondoc::delivery {

namespace {

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

struct Headers {
  std::optional<std::chrono::seconds> retry_after;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string line(data, size * count);
  auto* h = static_cast<Headers*>(user);
  std::string name = line.substr(0, line.find(':'));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (name == "retry-after" && line.find(':') != std::string::npos) {
    try {
      const long s = std::stol(line.substr(line.find(':') + 1));
      if (s >= 0) {
        h->retry_after = std::chrono::seconds(s);
      }
    } catch (const std::exception&) {
      // an HTTP date instead of seconds: fall back to the backoff
    }
  }
  return size * count;
}

}  // namespace

struct WebhookSender::Curl {
  CURL* handle = nullptr;
};

WebhookSender::WebhookSender(int timeout_s, const std::atomic<bool>* stop)
    : timeout_s_(timeout_s), stop_(stop), curl_(std::make_unique<Curl>()) {
  curl_->handle = new_curl_handle();
}

WebhookSender::~WebhookSender() {
  curl_easy_cleanup(curl_->handle);
}

WebhookOutcome WebhookSender::post(const WebhookEndpoint& endpoint, const std::string& id,
                                   std::chrono::system_clock::time_point now,
                                   const std::string& body) {
  CURL* c = curl_->handle;
  curl_easy_reset(c);  // keeps the connection cache: the next post reuses the connection
  const std::string timestamp = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  if (endpoint.format == WebhookFormat::standard) {
    headers = curl_slist_append(headers, ("webhook-id: " + id).c_str());
    headers = curl_slist_append(headers, ("webhook-timestamp: " + timestamp).c_str());
    headers = curl_slist_append(
        headers,
        ("webhook-signature: " +
         notify::webhook_signature(notify::webhook_key(endpoint.secret), id, timestamp, body))
            .c_str());
  }
  Headers received;
  curl_easy_setopt(c, CURLOPT_URL, endpoint.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout_s_));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout_s_));
  abort_when(c, stop_);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &received);
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  WebhookOutcome out;
  if (rc != CURLE_OK) {
    out.error = curl_easy_strerror(rc);
    return out;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  out.ok = out.status >= 200 && out.status < 300;
  out.gone = out.status == 410;
  if (out.status == 429 || out.status == 503) {
    out.retry_after = received.retry_after;
  }
  if (!out.ok) {
    out.error = "HTTP " + std::to_string(out.status);
  }
  return out;
}

}  // namespace dondoc::delivery
