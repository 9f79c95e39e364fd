#include "dondoc/notify/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace dondoc::notify {

namespace {

std::shared_ptr<spdlog::logger> logger() {
  auto log = spdlog::get("notify");
  if (!log) {
    log = spdlog::default_logger()->clone("notify");
    spdlog::register_logger(log);
  }
  return log;
}

}  // namespace

std::chrono::seconds backoff(const RetryPolicy& policy, int attempts) {
  auto wait = policy.initial;
  for (int i = 1; i < attempts && wait < policy.max; ++i) {
    wait *= 2;
  }
  return std::min(wait, policy.max);
}

Dispatcher::Dispatcher(storage::Store& store, const domain::Clock& clock,
                       const domain::TimeZone& zone, SmtpSender& smtp, RetryPolicy retry,
                       int batch_size)
    : store_(store),
      clock_(clock),
      zone_(zone),
      smtp_(smtp),
      retry_(retry),
      batch_size_(batch_size) {}

std::optional<domain::Instant> Dispatcher::next_due() {
  std::optional<domain::Instant> at;
  store_.read([&](storage::ReadTx& tx) { at = tx.earliest_message(); });
  return at;
}

DeliveryCounts Dispatcher::run_once() {
  std::vector<domain::OutboxMessage> due;
  store_.read([&](storage::ReadTx& tx) { due = tx.due_messages(clock_.now(), batch_size_); });
  DeliveryCounts counts;
  std::vector<domain::OutboxMessage> done;
  for (auto m : due) {
    const domain::Instant now = clock_.now();
    Mail mail;
    mail.from = smtp_.options().from;
    mail.to = {"", m.recipient};
    mail.subject = m.subject;
    mail.text = m.body_text;
    mail.message_id = m.message_id;
    mail.date = m.created_at;
    mail.utc_offset = zone_.utc_offset(m.created_at);
    const SendOutcome outcome = smtp_.send(m.recipient, build_mime(mail));
    m.attempts += 1;
    if (outcome.ok) {
      m.state = domain::OutboxState::sent;
      m.sent_at = now;
      m.last_error.clear();
      ++counts.sent;
    } else if (outcome.permanent || now - m.queued_at >= retry_.give_up_after) {
      m.state = domain::OutboxState::dead;
      m.last_error = outcome.error;
      ++counts.dead;
      logger()->error("event=message_dead id={} recipient={} attempts={} error=\"{}\"", m.id,
                      m.recipient, m.attempts, outcome.error);
    } else {
      // ±20 % jitter, so that many messages failing together do not retry together.
      std::uniform_real_distribution<double> spread(0.8, 1.2);
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
          backoff(retry_, m.attempts) * spread(jitter_));
      m.next_attempt_at = now + wait;
      m.last_error = outcome.error;
      ++counts.failed;
      logger()->warn(
          "event=message_failed id={} recipient={} attempts={} retry_in_ms={} "
          "error=\"{}\"",
          m.id, m.recipient, m.attempts, wait.count(), outcome.error);
    }
    done.push_back(std::move(m));
  }
  if (!done.empty()) {
    // One commit for the batch: a crash before it resends the batch, with the same Message-IDs.
    store_.write([&](storage::WriteTx& tx) {
      for (const auto& m : done) {
        tx.update_message(m);
      }
    });
  }
  return counts;
}

}  // namespace dondoc::notify
