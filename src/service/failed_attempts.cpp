#include "dondoc/service/failed_attempts.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "dondoc/domain/text.hpp"

namespace dondoc::service {

namespace {

constexpr auto kHoldAtMost = std::chrono::minutes(1);
// Clients with a count held at once; past it every count is written (a flood from many
// addresses costs one write, not unbounded memory).
constexpr std::size_t kMaxHeldClients = 10000;

}  // namespace

FailedAttempts::FailedAttempts(const ServiceContext& ctx, int per_minute, int burst)
    : ctx_(ctx), buckets_(ctx.clock, per_minute, burst) {}

std::optional<int> FailedAttempts::limited(const std::string& client, const std::string& target,
                                           const std::string& what) {
  auto wait = buckets_.retry_after(client);
  if (!wait) {
    return std::nullopt;
  }
  const auto now = ctx_.clock.now();
  bool overflow = false;
  {
    std::lock_guard lock(mutex_);
    auto [it, fresh] = held_.try_emplace(client);
    Held& h = it->second;
    if (fresh) {
      h.first = now;
    }
    ++h.count;
    h.last = now;
    h.target = domain::excerpt(target, 200);
    h.what = domain::excerpt(what, 300);
    overflow = held_.size() > kMaxHeldClients;
  }
  if (overflow) {
    flush(true);
  }
  return wait;
}

domain::AuditEntry FailedAttempts::entry_of(const std::string& client, const Held& h) const {
  domain::AuditEntry e;
  e.at = h.first;
  e.last_at = h.last;
  e.count = h.count;
  e.actor = "anonymous";
  e.action = "auth";
  e.target = h.target;
  e.outcome = "unauthorized";
  e.detail =
      "from " + client + ": " + std::to_string(h.count) +
      " failed authentications past the limit, answered 429 and counted here; the last: " + h.what;
  return e;
}

std::map<std::string, FailedAttempts::Held> FailedAttempts::take(const std::string& client,
                                                                 bool all) {
  std::map<std::string, Held> out;
  const auto cutoff = ctx_.clock.now() - kHoldAtMost;
  std::lock_guard lock(mutex_);
  for (auto it = held_.begin(); it != held_.end();) {
    if (all || it->first == client || it->second.first <= cutoff) {
      out.insert(held_.extract(it++));
    } else {
      ++it;
    }
  }
  return out;
}

void FailedAttempts::write_held(storage::WriteTx& tx, const std::string& client) {
  for (const auto& [who, h] : take(client, false)) {
    tx.append_audit(entry_of(who, h));
  }
}

void FailedAttempts::flush(bool all) {
  const auto due = take("", all);
  if (due.empty()) {
    return;
  }
  try {
    ctx_.store.write([&](storage::WriteTx& tx) {
      for (const auto& [who, h] : due) {
        tx.append_audit(entry_of(who, h));
      }
    });
  } catch (const std::exception& e) {
    spdlog::default_logger()->error("event=audit_failed what=held_failures clients={} error=\"{}\"",
                                    due.size(), domain::excerpt(e.what()));
  }
}

std::int64_t FailedAttempts::held() const {
  std::lock_guard lock(mutex_);
  std::int64_t n = 0;
  for (const auto& [_, h] : held_) {
    n += h.count;
  }
  return n;
}

}  // namespace dondoc::service
