// The coordinating units' parts in tasks (contributions): their deadlines, the input sent, and
// their reminder schedule.
#include "sql_helpers.hpp"
#include "sqlite_tx.hpp"

namespace dondoc::storage::sqlite {

namespace {

using domain::Contribution;

constexpr const char* kContributionColumns =
    "task_id, unit_id, due_on, sent_on, sent_ref, note, sent_by, next_reminder_at, "
    "reminded_through, updated_at";

Contribution contribution_from_row(SQLite::Statement& s) {
  Contribution c;
  c.task_id = s.getColumn(0).getInt64();
  c.unit_id = s.getColumn(1).getInt64();
  c.due_on = date_column(s.getColumn(2));
  c.sent_on = date_column(s.getColumn(3));
  c.sent_ref = s.getColumn(4).getString();
  c.note = s.getColumn(5).getString();
  c.sent_by = s.getColumn(6).getString();
  c.next_reminder_at = optional_instant_column(s.getColumn(7));
  c.reminded_through = optional_instant_column(s.getColumn(8));
  c.updated_at = domain::from_unix_millis(s.getColumn(9).getInt64());
  return c;
}

std::vector<Contribution> all_rows(SQLite::Statement& s) {
  std::vector<Contribution> out;
  while (s.executeStep()) {
    out.push_back(contribution_from_row(s));
  }
  return out;
}

}  // namespace

std::vector<Contribution> SqliteTx::contributions_of(TaskId task) {
  auto& s = conn_.statement(std::string("SELECT ") + kContributionColumns +
                            " FROM contributions WHERE task_id = ? ORDER BY unit_id");
  s.bind(1, task);
  return all_rows(s);
}

std::vector<Contribution> SqliteTx::late_contributions(Date as_of, int limit) {
  auto& s = conn_.statement(std::string("SELECT ") + kContributionColumns +
                            " FROM contributions WHERE due_on IS NOT NULL AND due_on < ?1 "
                            "AND (sent_on IS NULL OR sent_on > ?1) "
                            "ORDER BY due_on, task_id, unit_id LIMIT ?2");
  s.bind(1, as_of.to_string());
  s.bind(2, limit);
  return all_rows(s);
}

std::vector<Contribution> SqliteTx::contributions_due_for_reminder(Instant now, int limit) {
  auto& s = conn_.statement(std::string("SELECT ") + kContributionColumns +
                            " FROM contributions WHERE next_reminder_at IS NOT NULL AND "
                            "next_reminder_at <= ? ORDER BY next_reminder_at LIMIT ?");
  s.bind(1, domain::to_unix_millis(now));
  s.bind(2, limit);
  return all_rows(s);
}

std::optional<Instant> SqliteTx::earliest_contribution_reminder() {
  auto& s = conn_.statement(
      "SELECT min(next_reminder_at) FROM contributions WHERE next_reminder_at IS NOT NULL");
  if (!s.executeStep() || s.getColumn(0).isNull()) {
    return std::nullopt;
  }
  return domain::from_unix_millis(s.getColumn(0).getInt64());
}

std::vector<Contribution> SqliteTx::contributions_owed_by(UnitId unit, int limit) {
  auto& s = conn_.statement(std::string("SELECT ") + kContributionColumns +
                            " FROM contributions WHERE unit_id = ? AND due_on IS NOT NULL AND "
                            "sent_on IS NULL ORDER BY due_on, task_id LIMIT ?");
  s.bind(1, unit);
  s.bind(2, limit);
  return all_rows(s);
}

void SqliteTx::put_contribution(const Contribution& c) {
  auto& s = conn_.statement(std::string("INSERT OR REPLACE INTO contributions (") +
                            kContributionColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, c.task_id);
  s.bind(2, c.unit_id);
  bind_date(s, 3, c.due_on);
  bind_date(s, 4, c.sent_on);
  s.bind(5, c.sent_ref);
  s.bind(6, c.note);
  s.bind(7, c.sent_by);
  bind_optional_instant(s, 8, c.next_reminder_at);
  bind_optional_instant(s, 9, c.reminded_through);
  s.bind(10, domain::to_unix_millis(c.updated_at));
  s.exec();
  effects().reminder_scheduled(c.next_reminder_at);
}

}  // namespace dondoc::storage::sqlite
