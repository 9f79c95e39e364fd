// The outbox dispatcher (docs/design.md, "Reminders and delivery"): reads queued messages whose
// time has come, sends them over a few connections at once, and records each outcome: sent, or
// failed with the next attempt after an exponential backoff with jitter, or dead once retrying has
// gone on too long. A crash between sending and recording may send a message again; its Message-ID
// (webhook-id) stays the same so receivers can tell.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "dondoc/delivery/smtp.hpp"
#include "dondoc/delivery/webhook_sender.hpp"
#include "dondoc/domain/clock.hpp"
#include "dondoc/storage/store.hpp"

namespace dondoc::delivery {

struct RetryPolicy {
  std::chrono::seconds initial{30};
  std::chrono::seconds max{3600};
  std::chrono::hours give_up_after{72};
};

// The wait before attempt `attempts + 1`, given `attempts` failed ones, before jitter.
std::chrono::seconds backoff(const RetryPolicy& policy, int attempts);

struct DeliveryOptions {
  std::optional<SmtpOptions> smtp;  // none: mail is not configured and waits in the outbox
  int smtp_connections = 4;
  RetryPolicy mail_retry;
  int webhook_timeout_s = 10;
  int webhook_connections = 4;
  std::vector<WebhookEndpoint> endpoints;
  RetryPolicy webhook_retry;
  int batch_size = 256;  // messages read per pass, shared among the connections
};

struct DeliveryCounts {
  int sent = 0;
  int failed = 0;
  int dead = 0;
};

class Dispatcher {
 public:
  Dispatcher(storage::Store& store, const domain::Clock& clock, const domain::TimeZone& zone,
             DeliveryOptions options);
  ~Dispatcher();

  // Sends what is due now, one batch; returns what happened to it.
  DeliveryCounts run_once();
  // When the earliest queued message is due, if any.
  std::optional<domain::Instant> next_due();
  // From any thread, as the daemon stops: sends in flight are abandoned (to be retried, with the
  // same ids, after a restart) and no more are started.
  void stop() { stopping_ = true; }

 private:
  struct Attempt {
    bool ok = false;
    bool permanent = false;
    bool not_attempted = false;  // the channel is not configured: the message waits
    std::optional<std::chrono::seconds> retry_after;
    std::string error;
  };
  // One connection's worth of sending: its own libcurl handle (so its connection is reused
  // from message to message) and its own jitter.
  struct Lane {
    std::unique_ptr<SmtpSender> smtp;
    std::unique_ptr<WebhookSender> webhook;
    std::mt19937 jitter{std::random_device{}()};
  };
  Attempt send_email(Lane& lane, const domain::OutboxMessage& m);
  Attempt send_webhook(Lane& lane, const domain::OutboxMessage& m);
  DeliveryCounts deliver(Lane& lane, std::vector<domain::OutboxMessage> messages);
  void record(std::vector<domain::OutboxMessage>& done);

  storage::Store& store_;
  const domain::Clock& clock_;
  const domain::TimeZone& zone_;
  DeliveryOptions options_;
  std::vector<Lane> mail_lanes_;
  std::vector<Lane> webhook_lanes_;
  std::atomic<bool> stopping_{false};
  std::mutex gone_mutex_;
  std::set<std::string> gone_;  // endpoints that answered 410 at their configured URL
};

}  // namespace dondoc::delivery
