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

// Outcomes are recorded in groups: one commit per message would cost a disk sync each, one per
// batch would resend the whole batch after a crash. A crash resends at most this many, with
// the same Message-IDs.
constexpr std::size_t kRecordEvery = 10;

}  // namespace

std::chrono::seconds backoff(const RetryPolicy& policy, int attempts) {
  auto wait = policy.initial;
  for (int i = 1; i < attempts && wait < policy.max; ++i) {
    wait *= 2;
  }
  return std::min(wait, policy.max);
}

Dispatcher::Dispatcher(storage::Store& store, const domain::Clock& clock,
                       const domain::TimeZone& zone, SmtpSender* smtp, WebhookSender* webhooks,
                       std::vector<WebhookEndpoint> endpoints, RetryPolicy retry, int batch_size)
    : store_(store),
      clock_(clock),
      zone_(zone),
      smtp_(smtp),
      webhooks_(webhooks),
      endpoints_(std::move(endpoints)),
      retry_(retry),
      batch_size_(batch_size) {}

Dispatcher::Attempt Dispatcher::send_email(const domain::OutboxMessage& m) {
  if (!smtp_) {
    return {false, false, true, {}, "smtp.host is not configured; the message waits"};
  }
  Mail mail;
  mail.from = smtp_->options().from;
  mail.to = {"", m.recipient};
  mail.subject = m.subject;
  mail.text = m.body_text;
  mail.message_id = m.message_id;
  mail.date = m.created_at;
  mail.utc_offset = zone_.utc_offset(m.created_at);
  const SendOutcome o = smtp_->send(m.recipient, build_mime(mail));
  return {o.ok, o.permanent, false, {}, o.error};
}

Dispatcher::Attempt Dispatcher::send_webhook(const domain::OutboxMessage& m) {
  const auto e = std::find_if(endpoints_.begin(), endpoints_.end(),
                              [&](const WebhookEndpoint& x) { return x.name == m.recipient; });
  if (e == endpoints_.end() || !webhooks_) {
    return {
        false, true, false, {}, "no webhook endpoint named '" + m.recipient + "' is configured"};
  }
  if (gone_.count(e->name)) {
    return {false, true, false, {}, "the endpoint answered 410 Gone and is disabled"};
  }
  const WebhookOutcome o = webhooks_->post(*e, m.message_id, clock_.now(), m.body_text);
  if (o.gone) {
    gone_.insert(e->name);
    logger()->error("event=webhook_disabled endpoint={} reason=\"410 Gone\"", e->name);
  }
  return {o.ok, o.gone, false, o.retry_after, o.error};
}

std::optional<domain::Instant> Dispatcher::next_due() {
  std::optional<domain::Instant> at;
  store_.read([&](storage::ReadTx& tx) { at = tx.earliest_message(); });
  return at;
}

void Dispatcher::flush(std::vector<domain::OutboxMessage>& done) {
  if (done.empty()) {
    return;
  }
  store_.write([&](storage::WriteTx& tx) {
    for (const auto& m : done) {
      tx.update_message(m);
    }
  });
  done.clear();
}

DeliveryCounts Dispatcher::run_once() {
  std::vector<domain::OutboxMessage> due;
  store_.read([&](storage::ReadTx& tx) { due = tx.due_messages(clock_.now(), batch_size_); });
  DeliveryCounts counts;
  std::vector<domain::OutboxMessage> done;
  for (auto m : due) {
    const domain::Instant now = clock_.now();
    const Attempt a = m.channel == domain::Channel::webhook ? send_webhook(m) : send_email(m);
    if (a.not_attempted) {
      // Nothing was tried: wait as long as the longest backoff, then look again.
      m.next_attempt_at = now + retry_.max;
      m.last_error = a.error;
    } else if (a.ok) {
      m.attempts += 1;
      m.state = domain::OutboxState::sent;
      m.sent_at = now;
      m.last_error.clear();
      ++counts.sent;
    } else if (m.attempts += 1; a.permanent || now - m.queued_at >= retry_.give_up_after) {
      m.state = domain::OutboxState::dead;
      m.last_error = a.error;
      ++counts.dead;
      logger()->error("event=message_dead id={} channel={} recipient={} attempts={} error=\"{}\"",
                      m.id, domain::to_string(m.channel), m.recipient, m.attempts, a.error);
    } else {
      // ±20 % jitter, so that many messages failing together do not retry together; a
      // Retry-After from the receiver wins.
      std::uniform_real_distribution<double> spread(0.8, 1.2);
      const auto wait = a.retry_after
                            ? std::chrono::duration_cast<std::chrono::milliseconds>(*a.retry_after)
                            : std::chrono::duration_cast<std::chrono::milliseconds>(
                                  backoff(retry_, m.attempts) * spread(jitter_));
      m.next_attempt_at = now + wait;
      m.last_error = a.error;
      ++counts.failed;
      logger()->warn(
          "event=message_failed id={} channel={} recipient={} attempts={} retry_in_ms={} "
          "error=\"{}\"",
          m.id, domain::to_string(m.channel), m.recipient, m.attempts, wait.count(), a.error);
    }
    done.push_back(std::move(m));
    if (done.size() >= kRecordEvery) {
      flush(done);
    }
  }
  flush(done);
  return counts;
}

}  // namespace dondoc::notify
