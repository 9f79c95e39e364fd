#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace dondoc::http {

RateLimiter::RateLimiter(const domain::Clock& clock, int per_minute, int burst)
    : clock_(clock), per_second_(per_minute / 60.0), burst_(std::max(1, burst)) {}

std::optional<int> RateLimiter::retry_after(std::int64_t key) {
  if (per_second_ <= 0) {
    return std::nullopt;
  }
  const auto now = clock_.monotonic();
  std::lock_guard lock(mutex_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed) * per_second_);
    b.at = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return std::nullopt;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / per_second_)));
}

}  // namespace dondoc::http
