// The outbox dispatcher (design §3, issue 4): reads queued messages whose time has come, sends
// them, and records each outcome: sent, or failed with the next attempt after an exponential
// backoff with jitter, or dead once retrying has gone on too long. A crash between sending and
// recording may send a message again; its Message-ID stays the same so receivers can tell.
#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "dondoc/domain/clock.hpp"
#include "dondoc/notify/smtp.hpp"
#include "dondoc/notify/webhook.hpp"
#include "dondoc/storage/store.hpp"

namespace dondoc::notify {

struct RetryPolicy {
  std::chrono::seconds initial{30};
  std::chrono::seconds max{3600};
  std::chrono::hours give_up_after{72};
};

// The wait before attempt `attempts + 1`, given `attempts` failed ones, before jitter.
std::chrono::seconds backoff(const RetryPolicy& policy, int attempts);

struct DeliveryCounts {
  int sent = 0;
  int failed = 0;
  int dead = 0;
};

class Dispatcher {
 public:
  // `smtp` null: mail is not configured and waits in the outbox. `webhooks` sends to the
  // configured `endpoints`.
  Dispatcher(storage::Store& store, const domain::Clock& clock, const domain::TimeZone& zone,
             SmtpSender* smtp, WebhookSender* webhooks, std::vector<WebhookEndpoint> endpoints,
             RetryPolicy retry, int batch_size = 100);

  // Sends what is due now, one batch; returns what happened to it.
  DeliveryCounts run_once();
  // When the earliest queued message is due, if any.
  std::optional<domain::Instant> next_due();

 private:
  storage::Store& store_;
  const domain::Clock& clock_;
  const domain::TimeZone& zone_;
  struct Attempt {
    bool ok = false;
    bool permanent = false;
    bool not_attempted = false;  // the channel is not configured: the message waits
    std::optional<std::chrono::seconds> retry_after;
    std::string error;
  };
  Attempt send_email(const domain::OutboxMessage& m);
  Attempt send_webhook(const domain::OutboxMessage& m);
  void flush(std::vector<domain::OutboxMessage>& done);

  SmtpSender* smtp_;
  WebhookSender* webhooks_;
  std::vector<WebhookEndpoint> endpoints_;
  std::set<std::string> gone_;  // endpoints that answered 410 (until a restart)
  RetryPolicy retry_;
  int batch_size_;
  std::mt19937 jitter_{std::random_device{}()};
};

}  // namespace dondoc::notify
