#include "dondoc/delivery/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <thread>

namespace dondoc::delivery {

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
// batch would resend the whole batch after a crash. A crash resends at most this many per
// connection, with the same Message-IDs.
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
                       const domain::TimeZone& zone, DeliveryOptions options)
    : store_(store), clock_(clock), zone_(zone), options_(std::move(options)) {
  if (options_.smtp) {
    mail_lanes_.resize(static_cast<std::size_t>(std::max(1, options_.smtp_connections)));
    for (auto& lane : mail_lanes_) {
      lane.smtp = std::make_unique<SmtpSender>(*options_.smtp, &stopping_);
    }
  } else {
    mail_lanes_.resize(1);  // nothing is sent; the lane only puts messages back to wait
  }
  // Endpoints that answered 410 before a restart stay disabled while their URL is the same.
  store_.read([&](storage::ReadTx& tx) {
    for (const auto& g : tx.gone_endpoints()) {
      for (const auto& e : options_.endpoints) {
        if (e.name == g.name && e.url == g.url) {
          gone_.insert(e.name);
        }
      }
    }
  });
  webhook_lanes_.resize(static_cast<std::size_t>(std::max(1, options_.webhook_connections)));
  for (auto& lane : webhook_lanes_) {
    lane.webhook = std::make_unique<WebhookSender>(options_.webhook_timeout_s, &stopping_);
  }
}

Dispatcher::~Dispatcher() = default;

Dispatcher::Attempt Dispatcher::send_email(Lane& lane, const domain::OutboxMessage& m) {
  if (!lane.smtp) {
    return {false, false, true, {}, "smtp.host is not configured; the message waits"};
  }
  notify::Mail mail;
  mail.from = lane.smtp->options().from;
  mail.to = {"", m.recipient};
  mail.subject = m.subject;
  mail.text = m.body_text;
  mail.message_id = m.message_id;
  mail.date = m.created_at;
  mail.utc_offset = zone_.utc_offset(m.created_at);
  const SendOutcome o = lane.smtp->send(m.recipient, notify::build_mime(mail));
  return {o.ok, o.permanent, false, {}, o.error};
}

Dispatcher::Attempt Dispatcher::send_webhook(Lane& lane, const domain::OutboxMessage& m) {
  const auto& endpoints = options_.endpoints;
  const auto e = std::find_if(endpoints.begin(), endpoints.end(),
                              [&](const WebhookEndpoint& x) { return x.name == m.recipient; });
  if (e == endpoints.end()) {
    return {
        false, true, false, {}, "no webhook endpoint named '" + m.recipient + "' is configured"};
  }
  {
    std::lock_guard lock(gone_mutex_);
    if (gone_.count(e->name)) {
      return {false, true, false, {}, "the endpoint answered 410 Gone and is disabled"};
    }
  }
  const WebhookOutcome o = lane.webhook->post(*e, m.message_id, clock_.now(), m.body_text);
  if (o.gone) {
    bool first = false;
    {
      std::lock_guard lock(gone_mutex_);
      first = gone_.insert(e->name).second;
    }
    if (first) {
      logger()->error("event=webhook_disabled endpoint={} url={} reason=\"410 Gone\"", e->name,
                      e->url);
      store_.write([&](storage::WriteTx& tx) {
        tx.mark_endpoint_gone({e->name, e->url, clock_.now()});
      });
    }
  }
  return {o.ok, o.gone, false, o.retry_after, o.error};
}

std::optional<domain::Instant> Dispatcher::next_due() {
  std::optional<domain::Instant> at;
  store_.read([&](storage::ReadTx& tx) { at = tx.earliest_message(); });
  return at;
}

void Dispatcher::record(std::vector<domain::OutboxMessage>& done) {
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

DeliveryCounts Dispatcher::deliver(Lane& lane, std::vector<domain::OutboxMessage> messages) {
  DeliveryCounts counts;
  std::vector<domain::OutboxMessage> done;
  for (auto& m : messages) {
    if (stopping_) {
      break;  // the rest stay queued as they are
    }
    const bool webhook = m.channel == domain::Channel::webhook;
    const RetryPolicy& retry = webhook ? options_.webhook_retry : options_.mail_retry;
    const domain::Instant now = clock_.now();
    const Attempt a = webhook ? send_webhook(lane, m) : send_email(lane, m);
    if (a.not_attempted) {
      // Nothing was tried: wait as long as the longest backoff, then look again.
      m.next_attempt_at = now + retry.max;
      m.last_error = a.error;
    } else if (a.ok) {
      m.attempts += 1;
      m.state = domain::OutboxState::sent;
      m.sent_at = now;
      m.last_error.clear();
      ++counts.sent;
    } else if (m.attempts += 1; a.permanent || now - m.queued_at >= retry.give_up_after) {
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
                                  backoff(retry, m.attempts) * spread(lane.jitter));
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
      record(done);
    }
  }
  record(done);
  return counts;
}

DeliveryCounts Dispatcher::run_once() {
  std::vector<domain::OutboxMessage> due;
  store_.read(
      [&](storage::ReadTx& tx) { due = tx.due_messages(clock_.now(), options_.batch_size); });
  // Dealt round-robin to the lanes of each channel, each lane on a thread of its own.
  std::vector<std::pair<Lane*, std::vector<domain::OutboxMessage>>> work;
  std::size_t next_mail = 0;
  std::size_t next_webhook = 0;
  std::vector<std::vector<domain::OutboxMessage>> mail(mail_lanes_.size());
  std::vector<std::vector<domain::OutboxMessage>> hooks(webhook_lanes_.size());
  for (auto& m : due) {
    if (m.channel == domain::Channel::webhook) {
      hooks[next_webhook++ % hooks.size()].push_back(std::move(m));
    } else {
      mail[next_mail++ % mail.size()].push_back(std::move(m));
    }
  }
  for (std::size_t i = 0; i < mail.size(); ++i) {
    if (!mail[i].empty()) {
      work.emplace_back(&mail_lanes_[i], std::move(mail[i]));
    }
  }
  for (std::size_t i = 0; i < hooks.size(); ++i) {
    if (!hooks[i].empty()) {
      work.emplace_back(&webhook_lanes_[i], std::move(hooks[i]));
    }
  }
  std::vector<DeliveryCounts> results(work.size());
  std::vector<std::exception_ptr> errors(work.size());
  auto run_lane = [&](std::size_t i) {
    try {
      results[i] = deliver(*work[i].first, std::move(work[i].second));
    } catch (...) {
      errors[i] = std::current_exception();  // e.g. the outcome could not be recorded
    }
  };
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 1; i < work.size(); ++i) {
      threads.emplace_back(run_lane, i);
    }
    if (!work.empty()) {
      run_lane(0);
    }
  }
  for (const auto& e : errors) {
    if (e) {
      std::rethrow_exception(e);
    }
  }
  DeliveryCounts counts;
  for (const auto& r : results) {
    counts.sent += r.sent;
    counts.failed += r.failed;
    counts.dead += r.dead;
  }
  return counts;
}

}  // namespace dondoc::delivery
