// The outbox dispatcher (design §3, issue 4): reads queued messages whose time has come, sends
// them, and records each outcome: sent, or failed with the next attempt after an exponential
// backoff with jitter, or dead once retrying has gone on too long. A crash between sending and
// recording may send a message again; its Message-ID stays the same so receivers can tell.
#pragma once

#include <chrono>
#include <optional>
#include <random>

#include "dondoc/domain/clock.hpp"
#include "dondoc/notify/smtp.hpp"
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
  Dispatcher(storage::Store& store, const domain::Clock& clock, const domain::TimeZone& zone,
             SmtpSender& smtp, RetryPolicy retry, int batch_size = 100);

  // Sends what is due now, one batch; returns what happened to it.
  DeliveryCounts run_once();
  // When the earliest queued message is due, if any.
  std::optional<domain::Instant> next_due();

 private:
  storage::Store& store_;
  const domain::Clock& clock_;
  const domain::TimeZone& zone_;
  SmtpSender& smtp_;
  RetryPolicy retry_;
  int batch_size_;
  std::mt19937 jitter_{std::random_device{}()};
};

}  // namespace dondoc::notify
