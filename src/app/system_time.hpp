// The real clock and zone, the only place that reads the system's time (docs/design.md, "Time").
#pragma once

#include <time.h>

#include <cstdlib>

#include "dondoc/domain/clock.hpp"

namespace dondoc::app {

class SystemClock final : public domain::Clock {
 public:
  domain::Instant now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point monotonic() const override {
    return std::chrono::steady_clock::now();
  }
};

// A clock for tests and demos (`serve --clock-start T --clock-rate R`): it starts at T and runs R
// simulated seconds per real second. Budgets and timeouts (`monotonic`) stay in real time.
class SimulatedClock final : public domain::Clock {
 public:
  SimulatedClock(domain::Instant start, double rate)
      : start_(start), real_start_(std::chrono::steady_clock::now()), rate_(rate) {}
  domain::Instant now() const override {
    const auto real = std::chrono::steady_clock::now() - real_start_;
    return start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(real * rate_);
  }
  std::chrono::steady_clock::time_point monotonic() const override {
    return std::chrono::steady_clock::now();
  }
  double rate() const { return rate_; }

 private:
  domain::Instant start_;
  std::chrono::steady_clock::time_point real_start_;
  double rate_;
};

// A clock that stands still until it is set: `dondocd demo` plays two years of a province
// through the real services, day by day.
class ManualClock final : public domain::Clock {
 public:
  explicit ManualClock(domain::Instant at) : at_(at) {}
  domain::Instant now() const override { return at_; }
  std::chrono::steady_clock::time_point monotonic() const override {
    return std::chrono::steady_clock::time_point(at_.time_since_epoch());
  }
  void set(domain::Instant at) { at_ = at; }

 private:
  domain::Instant at_;
};

// An IANA zone through the C library's tz database. The process's TZ is set once at start-up,
// before any thread exists, so that localtime_r is safe to call from every thread afterwards.
class SystemTimeZone final : public domain::TimeZone {
 public:
  explicit SystemTimeZone(std::string name) : name_(std::move(name)) {
    ::setenv("TZ", name_.c_str(), 1);
    ::tzset();
  }
  std::string name() const override { return name_; }
  std::chrono::seconds utc_offset(domain::Instant at) const override {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm local{};
    ::localtime_r(&t, &local);
    return std::chrono::seconds(local.tm_gmtoff);
  }

 private:
  std::string name_;
};

}  // namespace dondoc::app
