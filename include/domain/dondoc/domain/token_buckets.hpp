// Rate limits as token buckets, one per key (an API token, a client address, a login): `burst`
// at once, refilled at `per_minute`. Time comes from the injected clock's monotonic side, so
// tests need not sleep. Buckets are dropped once full again, so that keys a client can choose
// (addresses, logins) cannot fill memory.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "dondoc/domain/clock.hpp"

namespace dondoc::domain {

template <typename Key>
class TokenBuckets {
 public:
  // `per_minute` 0 turns the limit off.
  TokenBuckets(const Clock& clock, int per_minute, int burst, std::size_t max_keys = 100000)
      : clock_(clock),
        per_second_(per_minute / 60.0),
        burst_(std::max(1, burst)),
        max_keys_(max_keys) {}

  // Takes one from `key`'s bucket; if it is empty, returns the whole seconds to wait (at least
  // 1) and takes nothing.
  std::optional<int> retry_after(const Key& key) {
    if (per_second_ <= 0) {
      return std::nullopt;
    }
    const auto now = clock_.monotonic();
    std::lock_guard lock(mutex_);
    if (buckets_.size() >= max_keys_) {
      drop_full(now);
    }
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
      refill(b, now);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return std::nullopt;
    }
    return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / per_second_)));
  }

  // What retry_after would answer, without taking anything: for limits counted on failures
  // only, checked before the attempt and taken after a failed one.
  std::optional<int> waiting(const Key& key) {
    if (per_second_ <= 0) {
      return std::nullopt;
    }
    const auto now = clock_.monotonic();
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
      return std::nullopt;
    }
    refill(it->second, now);
    if (it->second.tokens >= 1) {
      return std::nullopt;
    }
    return std::max(1, static_cast<int>(std::ceil((1 - it->second.tokens) / per_second_)));
  }

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  void refill(Bucket& b, std::chrono::steady_clock::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed) * per_second_);
    b.at = now;
  }
  // A full bucket is the same as none. If every bucket is in use, the oldest half of the
  // table's order goes: a flood from many addresses then forgets some, and is limited again.
  void drop_full(std::chrono::steady_clock::time_point now) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      refill(it->second, now);
      it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
    }
    for (auto it = buckets_.begin(); buckets_.size() >= max_keys_ / 2 && it != buckets_.end();) {
      it = buckets_.erase(it);
    }
  }

  const Clock& clock_;
  double per_second_;
  double burst_;
  std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<Key, Bucket> buckets_;
};

}  // namespace dondoc::domain
