// The reminder schedule and the outbox, in SQL.
#include "sql_helpers.hpp"
#include "sqlite_tx.hpp"

namespace dondoc::storage::sqlite {

namespace {

constexpr const char* kOutboxColumns =
    "id, dedupe_key, channel, recipient, event, task_id, subject, body_text, message_id, state, "
    "attempts, next_attempt_at, last_error, created_at, sent_at, queued_at";

OutboxMessage message_from_row(SQLite::Statement& s) {
  OutboxMessage m;
  m.id = s.getColumn(0).getInt64();
  m.dedupe_key = s.getColumn(1).getString();
  m.channel = domain::parse_channel(s.getColumn(2).getString()).value_or(domain::Channel::email);
  m.recipient = s.getColumn(3).getString();
  m.event = s.getColumn(4).getString();
  if (!s.getColumn(5).isNull()) {
    m.task_id = s.getColumn(5).getInt64();
  }
  m.subject = s.getColumn(6).getString();
  m.body_text = s.getColumn(7).getString();
  m.message_id = s.getColumn(8).getString();
  m.state =
      domain::parse_outbox_state(s.getColumn(9).getString()).value_or(domain::OutboxState::queued);
  m.attempts = s.getColumn(10).getInt();
  m.next_attempt_at = instant_column(s.getColumn(11));
  m.last_error = s.getColumn(12).getString();
  m.created_at = instant_column(s.getColumn(13));
  m.sent_at = optional_instant_column(s.getColumn(14));
  m.queued_at = instant_column(s.getColumn(15));
  return m;
}

std::optional<Instant> single_instant(SQLite::Statement& s) {
  if (!s.executeStep() || s.getColumn(0).isNull()) {
    return std::nullopt;
  }
  return instant_column(s.getColumn(0));
}

}  // namespace

std::vector<TaskId> SqliteTx::tasks_due_for_reminder(Instant now, int limit) {
  auto& s = conn_.statement(
      "SELECT id FROM tasks WHERE next_reminder_at IS NOT NULL AND next_reminder_at <= ? "
      "ORDER BY next_reminder_at LIMIT ?");
  s.bind(1, domain::to_unix_millis(now));
  s.bind(2, limit);
  std::vector<TaskId> out;
  while (s.executeStep()) {
    out.push_back(s.getColumn(0).getInt64());
  }
  return out;
}

std::optional<Instant> SqliteTx::earliest_reminder() {
  auto& s =
      conn_.statement("SELECT min(next_reminder_at) FROM tasks WHERE next_reminder_at IS NOT NULL");
  return single_instant(s);
}

ReminderSchedule SqliteTx::reminder_schedule(TaskId task) {
  auto& s = conn_.statement("SELECT next_reminder_at, reminded_through FROM tasks WHERE id = ?");
  s.bind(1, task);
  ReminderSchedule out;
  if (s.executeStep()) {
    out.next_at = optional_instant_column(s.getColumn(0));
    out.reminded_through = optional_instant_column(s.getColumn(1));
  }
  return out;
}

void SqliteTx::set_reminder_schedule(TaskId task, const ReminderSchedule& schedule) {
  auto& s =
      conn_.statement("UPDATE tasks SET next_reminder_at = ?, reminded_through = ? WHERE id = ?");
  bind_optional_instant(s, 1, schedule.next_at);
  bind_optional_instant(s, 2, schedule.reminded_through);
  s.bind(3, task);
  if (s.exec() != 1) {
    throw domain::NotFound("task " + std::to_string(task) + " does not exist");
  }
  effects().reminder_scheduled(schedule.next_at);
}

std::vector<OutboxMessage> SqliteTx::due_messages(Instant now, int limit) {
  auto& s = conn_.statement(std::string("SELECT ") + kOutboxColumns +
                            " FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? "
                            "ORDER BY next_attempt_at, id LIMIT ?");
  s.bind(1, domain::to_unix_millis(now));
  s.bind(2, limit);
  std::vector<OutboxMessage> out;
  while (s.executeStep()) {
    out.push_back(message_from_row(s));
  }
  return out;
}

std::optional<Instant> SqliteTx::earliest_message() {
  auto& s = conn_.statement("SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued'");
  return single_instant(s);
}

OutboxCounts SqliteTx::outbox_counts() {
  auto& s = conn_.statement(
      "SELECT coalesce(sum(state = 'queued'), 0), coalesce(sum(state = 'sent'), 0), "
      "coalesce(sum(state = 'dead'), 0), coalesce(sum(attempts - (state = 'sent')), 0) "
      "FROM outbox");
  OutboxCounts c;
  if (s.executeStep()) {
    c.queued = s.getColumn(0).getInt64();
    c.sent = s.getColumn(1).getInt64();
    c.dead = s.getColumn(2).getInt64();
    c.failed_attempts = s.getColumn(3).getInt64();
  }
  return c;
}

std::optional<OutboxMessage> SqliteTx::find_message(std::int64_t id) {
  auto& s = conn_.statement(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = ?");
  s.bind(1, id);
  if (!s.executeStep()) {
    return std::nullopt;
  }
  return message_from_row(s);
}

PageResult<OutboxMessage> SqliteTx::list_outbox(const OutboxQuery& q) {
  Where w;
  if (q.state) {
    w.add("state = ?", std::string(domain::to_string(*q.state)));
  }
  if (q.task_id) {
    w.add("task_id = ?", std::int64_t{*q.task_id});
  }
  const std::int64_t total = count_matching(conn_.db(), "outbox", w);
  if (q.cursor) {
    w.add("id < ?", cursor_id(*q.cursor));
  }
  return read_page<OutboxMessage>(
      conn_.db(),
      std::string("SELECT ") + kOutboxColumns + " FROM outbox" + w.sql + " ORDER BY id DESC", w,
      q.limit, total, message_from_row, id_cursor<OutboxMessage>);
}

bool SqliteTx::enqueue(const OutboxMessage& m) {
  auto& s = conn_.statement(
      "INSERT INTO outbox (dedupe_key, channel, recipient, event, task_id, subject, body_text, "
      "message_id, state, attempts, next_attempt_at, last_error, created_at, queued_at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, '', ?, ?) ON CONFLICT (dedupe_key) DO NOTHING");
  s.bind(1, m.dedupe_key);
  s.bind(2, std::string(domain::to_string(m.channel)));
  s.bind(3, m.recipient);
  s.bind(4, m.event);
  if (m.task_id) {
    s.bind(5, *m.task_id);
  } else {
    s.bind(5);
  }
  s.bind(6, m.subject);
  s.bind(7, m.body_text);
  s.bind(8, m.message_id);
  s.bind(9, domain::to_unix_millis(m.next_attempt_at));
  s.bind(10, domain::to_unix_millis(m.created_at));
  s.bind(11, domain::to_unix_millis(m.created_at));
  const bool queued = s.exec() == 1;
  effects().message_queued = effects().message_queued || queued;
  return queued;
}

void SqliteTx::update_message(const OutboxMessage& m) {
  auto& s = conn_.statement(
      "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
      "sent_at = ?, queued_at = ? WHERE id = ?");
  s.bind(1, std::string(domain::to_string(m.state)));
  s.bind(2, m.attempts);
  s.bind(3, domain::to_unix_millis(m.next_attempt_at));
  s.bind(4, m.last_error);
  bind_optional_instant(s, 5, m.sent_at);
  s.bind(6, domain::to_unix_millis(m.queued_at));
  s.bind(7, m.id);
  if (s.exec() != 1) {
    throw domain::NotFound("outbox message " + std::to_string(m.id) + " does not exist");
  }
}

std::optional<Date> SqliteTx::digest_day(const std::string& kind) {
  auto& s = conn_.statement("SELECT last_day FROM digest_state WHERE kind = ?");
  s.bind(1, kind);
  if (!s.executeStep()) {
    return std::nullopt;
  }
  return Date::parse(s.getColumn(0).getString());
}

void SqliteTx::set_digest_day(const std::string& kind, Date day) {
  auto& s = conn_.statement(
      "INSERT INTO digest_state (kind, last_day) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET "
      "last_day = excluded.last_day");
  s.bind(1, kind);
  s.bind(2, day.to_string());
  s.exec();
}

std::vector<GoneEndpoint> SqliteTx::gone_endpoints() {
  auto& s = conn_.statement("SELECT name, url, gone_at FROM webhook_endpoints_gone ORDER BY name");
  std::vector<GoneEndpoint> out;
  while (s.executeStep()) {
    out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(),
                   domain::from_unix_millis(s.getColumn(2).getInt64())});
  }
  return out;
}

void SqliteTx::mark_endpoint_gone(const GoneEndpoint& endpoint) {
  auto& s = conn_.statement(
      "INSERT INTO webhook_endpoints_gone (name, url, gone_at) VALUES (?, ?, ?) ON CONFLICT (name) "
      "DO UPDATE SET url = excluded.url, gone_at = excluded.gone_at");
  s.bind(1, endpoint.name);
  s.bind(2, endpoint.url);
  s.bind(3, domain::to_unix_millis(endpoint.gone_at));
  s.exec();
}

}  // namespace dondoc::storage::sqlite
