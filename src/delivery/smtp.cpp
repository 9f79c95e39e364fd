#include "dondoc/delivery/smtp.hpp"

#include <curl/curl.h>

#include "curl_handle.hpp"

#include <algorithm>
#include <cstring>

namespace dondoc::delivery {

namespace {

struct Payload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t read_payload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* p = static_cast<Payload*>(user);
  const std::size_t n = std::min(size * count, p->data->size() - p->offset);
  std::memcpy(buffer, p->data->data() + p->offset, n);
  p->offset += n;
  return n;
}

}  // namespace

struct SmtpSender::Curl {
  CURL* handle = nullptr;
};

SmtpSender::SmtpSender(SmtpOptions options, const std::atomic<bool>* stop)
    : options_(std::move(options)), stop_(stop), curl_(std::make_unique<Curl>()) {
  curl_->handle = new_curl_handle();
}

SmtpSender::~SmtpSender() {
  curl_easy_cleanup(curl_->handle);
}

SendOutcome SmtpSender::send(const std::string& to_address, const std::string& message) {
  CURL* c = curl_->handle;
  // The same handle each time: libcurl keeps the connection open between messages.
  curl_easy_reset(c);
  const std::string scheme = options_.security == SmtpSecurity::tls ? "smtps://" : "smtp://";
  const std::string url = scheme + options_.host + ":" + std::to_string(options_.port);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.timeout_s));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout_s));
  abort_when(c, stop_);
  if (options_.security == SmtpSecurity::starttls) {
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!options_.ca_file.empty()) {
    curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  }
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const std::string from = "<" + options_.from.address + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to_address + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  Payload payload{&message};
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_payload);
  curl_easy_setopt(c, CURLOPT_READDATA, &payload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(rcpt);
  SendOutcome out;
  if (rc == CURLE_OK) {
    out.ok = true;
    return out;
  }
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  // A 5xx refusal of this sender, recipient or message will not change on retrying. A refused
  // login (535, or 530/538 asking for one) is the configuration's fault, not the message's: it
  // is retried, so that nothing is lost while an operator fixes the password.
  const bool login_problem = rc == CURLE_LOGIN_DENIED || code == 530 || code == 535 || code == 538;
  out.permanent = code >= 500 && code < 600 && !login_problem;
  out.error =
      std::string(curl_easy_strerror(rc)) + (code ? " (SMTP " + std::to_string(code) + ")" : "");
  return out;
}

}  // namespace dondoc::delivery
