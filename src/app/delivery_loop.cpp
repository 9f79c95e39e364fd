#include "delivery_loop.hpp"

#include <spdlog/spdlog.h>

namespace dondoc::app {

namespace {

// The longest sleep without looking at the outbox again (real time): a safety net for messages
// queued by another process and for wall-clock jumps.
constexpr auto kLongestSleep = std::chrono::minutes(1);
// After a batch that failed as a whole (the database busy or closing).
constexpr auto kRetryAfterFailure = std::chrono::seconds(5);

}  // namespace

DeliveryLoop::DeliveryLoop(delivery::Dispatcher& dispatcher, const domain::Clock& clock,
                           double rate)
    : dispatcher_(dispatcher), clock_(clock), rate_(rate) {}

DeliveryLoop::~DeliveryLoop() {
  stop();
}

void DeliveryLoop::start() {
  thread_ = std::thread([this] { run(); });
}

void DeliveryLoop::wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  cv_.notify_one();
}

void DeliveryLoop::stop() {
  dispatcher_.stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void DeliveryLoop::run() {
  auto log = spdlog::get("app");
  for (;;) {
    std::chrono::steady_clock::duration wait = kLongestSleep;
    try {
      const auto counts = dispatcher_.run_once();
      if (counts.sent + counts.failed + counts.dead > 0) {
        log->info("event=delivery_batch sent={} failed={} dead={}", counts.sent, counts.failed,
                  counts.dead);
        wait = std::chrono::steady_clock::duration::zero();  // there may be more
      } else if (auto next = dispatcher_.next_due()) {
        const auto simulated = *next - clock_.now();
        wait = std::clamp(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(simulated) / rate_),
                          std::chrono::steady_clock::duration::zero(), wait);
      }
    } catch (const std::exception& e) {
      // The outbox keeps every message; the batch is tried again shortly.
      log->error("event=delivery_failed error=\"{}\"", e.what());
      wait = kRetryAfterFailure;
    } catch (...) {
      log->error("event=delivery_failed error=\"not a std::exception\"");
      wait = kRetryAfterFailure;
    }
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, wait, [this] { return woken_ || stopping_; });
    if (stopping_) {
      return;
    }
    woken_ = false;
  }
}

}  // namespace dondoc::app
