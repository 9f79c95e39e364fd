// A clock that only moves when a test advances it.
#pragma once

#include <atomic>
#include <chrono>

#include "dondoc/domain/clock.hpp"

namespace dondoc::testing {

class FakeClock final : public domain::Clock {
 public:
  explicit FakeClock(domain::Instant start) : now_(start) {}
  domain::Instant now() const override { return now_; }
  std::chrono::steady_clock::time_point monotonic() const override {
    return std::chrono::steady_clock::time_point{now_.time_since_epoch()};
  }
  void advance(std::chrono::system_clock::duration d) { now_ += d; }
  void set(domain::Instant t) { now_ = t; }

 private:
  domain::Instant now_;
};

// The real clock plus whatever a test has added, readable from any thread: for code that runs
// its own threads (the HTTP server's timeouts), so that a test moves time on instead of
// waiting for it.
class AdvancingClock final : public domain::Clock {
 public:
  domain::Instant now() const override {
    return std::chrono::system_clock::now() + std::chrono::nanoseconds(offset_ns_.load());
  }
  std::chrono::steady_clock::time_point monotonic() const override {
    return std::chrono::steady_clock::now() + std::chrono::nanoseconds(offset_ns_.load());
  }
  void advance(std::chrono::nanoseconds d) { offset_ns_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> offset_ns_{0};
};

// 2025-02-10T07:00:00+07:00 and the like, for readable tests.
inline domain::Instant at(const char* rfc3339) {
  return *domain::parse_rfc3339(rfc3339);
}

}  // namespace dondoc::testing
