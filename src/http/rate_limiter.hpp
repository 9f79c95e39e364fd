// A token bucket per API token (issue 3, abuse limits): `burst` requests at once, refilled at
// `per_minute`. Time comes from the injected clock's monotonic side, so tests need not sleep.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "dondoc/domain/clock.hpp"

namespace dondoc::http {

class RateLimiter {
 public:
  // `per_minute` 0 turns the limit off.
  RateLimiter(const domain::Clock& clock, int per_minute, int burst);

  // Takes one request from `key`'s bucket; if it is empty, returns the whole seconds to wait
  // (at least 1) and takes nothing.
  std::optional<int> retry_after(std::int64_t key);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  const domain::Clock& clock_;
  double per_second_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, Bucket> buckets_;
};

}  // namespace dondoc::http
