// Time as a dependency (docs/design.md, "Time"): code that needs "now" takes a Clock; code that
// needs the local date takes a TimeZone. Production passes the system implementations from app/,
// tests fakes.
#pragma once

#include <chrono>
#include <string>

#include "dondoc/domain/date.hpp"

namespace dondoc::domain {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall time, for timestamps and "as of now".
  virtual Instant now() const = 0;
  // Monotonic time, for budgets and timeouts.
  virtual std::chrono::steady_clock::time_point monotonic() const = 0;
};

class TimeZone {
 public:
  virtual ~TimeZone() = default;
  virtual std::string name() const = 0;
  virtual std::chrono::seconds utc_offset(Instant at) const = 0;
  Date today(const Clock& clock) const {
    Instant now = clock.now();
    return local_date(now, utc_offset(now));
  }
  // The instant local day `d` begins (00:00 local time).
  Instant start_of(Date d) const {
    const Instant midnight_utc{std::chrono::seconds(std::int64_t{d.days_since_epoch()} * 86400)};
    return midnight_utc - utc_offset(midnight_utc);
  }
};

// A zone with one offset all year, such as Asia/Ho_Chi_Minh since 1975; also what tests use.
class FixedOffsetZone final : public TimeZone {
 public:
  FixedOffsetZone(std::string name, std::chrono::seconds offset)
      : name_(std::move(name)), offset_(offset) {}
  std::string name() const override { return name_; }
  std::chrono::seconds utc_offset(Instant) const override { return offset_; }

 private:
  std::string name_;
  std::chrono::seconds offset_;
};

}  // namespace dondoc::domain
