// Sending mail through libcurl's SMTP: plain, STARTTLS or implicit TLS, AUTH, timeouts, and one
// connection reused from message to message.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "dondoc/notify/mime.hpp"

namespace dondoc::delivery {

using notify::MailAddress;

enum class SmtpSecurity { none, starttls, tls };

struct SmtpOptions {
  std::string host;  // empty: mail is not sent (it waits in the outbox)
  int port = 25;
  SmtpSecurity security = SmtpSecurity::none;
  std::string username;  // empty: no AUTH
  std::string password;
  MailAddress from{"Hệ thống đôn đốc nhiệm vụ", "dondoc@localhost"};
  int timeout_s = 30;
  std::string ca_file;  // certificate authorities for starttls/tls; empty: the system's
};

struct SendOutcome {
  bool ok = false;
  bool permanent = false;  // the server refused for good (5xx): retrying will not help
  std::string error;
};

class SmtpSender {
 public:
  // `stop`, if given: a send in flight is abandoned soon after it becomes true.
  explicit SmtpSender(SmtpOptions options, const std::atomic<bool>* stop = nullptr);
  ~SmtpSender();
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  SendOutcome send(const std::string& to_address, const std::string& message);
  const SmtpOptions& options() const { return options_; }

 private:
  SmtpOptions options_;
  const std::atomic<bool>* stop_;
  struct Curl;
  std::unique_ptr<Curl> curl_;
};

}  // namespace dondoc::delivery
