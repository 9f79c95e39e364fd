// Runs the outbox dispatcher on a thread of its own (docs/design.md, "Reminders and delivery"), so
// that a slow or absent mail server never stalls the API: it sends what is due, then sleeps until
// the next message is due or it is woken because new ones were queued.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "dondoc/delivery/dispatcher.hpp"
#include "dondoc/domain/clock.hpp"

namespace dondoc::app {

class DeliveryLoop {
 public:
  // `rate`: simulated seconds per real second (1 unless --clock-rate).
  DeliveryLoop(delivery::Dispatcher& dispatcher, const domain::Clock& clock, double rate);
  ~DeliveryLoop();

  void start();
  void wake();
  // Abandons the sends in flight (retried after a restart, with the same ids), records what
  // was done, then stops.
  void stop();

 private:
  void run();

  delivery::Dispatcher& dispatcher_;
  const domain::Clock& clock_;
  double rate_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace dondoc::app
