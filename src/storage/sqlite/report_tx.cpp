// The reads reports make (issue 5): every task in one pass, and the overdue appendix's
// candidates.
#include "sqlite_tx.hpp"

#include "sql_helpers.hpp"

#include <sqlite3.h>

#include <memory>

namespace dondoc::storage::sqlite {

namespace {

// What the counts read of a task, and nothing else: a report passes over every task.
constexpr const char* kCountColumns =
    "t.id, t.assigner, t.assigned_on, t.lead_unit_id, t.due_on, t.state, t.completed_on, "
    "t.original_due_on, t.extension_count, t.created_at, t.updated_at, t.version, t.leader_id, "
    "t.key_task, t.effective_through";

// The counted columns through SQLite's C interface: this runs once for every task of the
// database, and SQLiteCpp's Column objects cost two atomic reference counts each.
std::string_view text_at(sqlite3_stmt* s, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(s, column)))
              : std::string_view();
}

std::optional<Date> date_at(sqlite3_stmt* s, int column) {
  if (sqlite3_column_type(s, column) == SQLITE_NULL) {
    return std::nullopt;
  }
  return Date::parse(text_at(s, column));
}

void fill_counted_fields(sqlite3_stmt* s, Task& t) {
  t.id = sqlite3_column_int64(s, 0);
  t.assigner.assign(text_at(s, 1));
  t.assigned_on = *date_at(s, 2);
  t.lead_unit_id = sqlite3_column_int64(s, 3);
  t.due_on = date_at(s, 4);
  t.state = *domain::parse_lifecycle_state(text_at(s, 5));
  t.completed_on = date_at(s, 6);
  t.original_due_on = date_at(s, 7);
  t.extension_count = sqlite3_column_int(s, 8);
  t.created_at = domain::from_unix_millis(sqlite3_column_int64(s, 9));
  t.updated_at = domain::from_unix_millis(sqlite3_column_int64(s, 10));
  t.version = sqlite3_column_int64(s, 11);
  if (sqlite3_column_type(s, 12) == SQLITE_NULL) {
    t.leader_id.reset();
  } else {
    t.leader_id = sqlite3_column_int64(s, 12);
  }
  t.key_task = sqlite3_column_int(s, 13) != 0;
  t.effective_through = date_at(s, 14);
}

}  // namespace

void SqliteTx::for_each_task_of_period(const PeriodScan& scan,
                                       const std::function<void(const Task&)>& visit) {
  Task t;
  sqlite3_stmt* raw = nullptr;
  const std::string sql =
      std::string("SELECT ") + kCountColumns +
      (scan.basis == domain::AsOfBasis::recorded
           ? " FROM tasks t WHERE t.id BETWEEN ?5 AND ?6 AND t.created_at < ?1 AND (t.updated_at "
             ">= ?2 OR (t.assigned_on <= ?3 AND (t.assigned_on >= ?4 OR t.state NOT IN ('done', "
             "'cancelled') OR t.due_on BETWEEN ?4 AND ?3))) ORDER BY t.id"
           // ?1 and ?2 are bound and not read (binding a number a statement has not is fine)
           : " FROM tasks t WHERE t.id BETWEEN ?5 AND ?6 AND t.assigned_on <= ?7 AND "
             "(t.effective_through >= ?4 OR t.assigned_on >= ?4 OR t.state NOT IN ('done', "
             "'cancelled') OR t.due_on BETWEEN ?4 AND ?3) ORDER BY t.id");
  if (sqlite3_prepare_v2(conn_.db().getHandle(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    throw SQLite::Exception(conn_.db().getHandle(), sqlite3_errcode(conn_.db().getHandle()));
  }
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  const std::string to_text = scan.to.to_string();
  const std::string from_text = scan.from.to_string();
  sqlite3_bind_int64(raw, 1, domain::to_unix_millis(scan.before));
  sqlite3_bind_int64(raw, 2, domain::to_unix_millis(scan.changed_since));
  sqlite3_bind_text(raw, 3, to_text.c_str(), static_cast<int>(to_text.size()), SQLITE_STATIC);
  sqlite3_bind_text(raw, 4, from_text.c_str(), static_cast<int>(from_text.size()), SQLITE_STATIC);
  sqlite3_bind_int64(raw, 5, scan.first_id);
  sqlite3_bind_int64(raw, 6, scan.last_id);
  const std::string assigned_by_text = scan.assigned_by.to_string();
  sqlite3_bind_text(raw, 7, assigned_by_text.c_str(), static_cast<int>(assigned_by_text.size()),
                    SQLITE_STATIC);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    fill_counted_fields(raw, t);
    visit(t);
  }
  if (rc != SQLITE_DONE) {
    throw SQLite::Exception(conn_.db().getHandle(), rc);
  }
}

void SqliteTx::for_each_overdue_candidate(Date day, Instant since, Instant before,
                                          const std::function<void(const Task&)>& visit) {
  auto& s = conn_.statement(
      std::string("SELECT ") + kTaskColumns +
      " FROM tasks t WHERE t.created_at < ? AND ((t.state IN ('open', 'reported') AND t.due_on < "
      "?) OR t.updated_at >= ?) ORDER BY t.id");
  s.bind(1, domain::to_unix_millis(before));
  s.bind(2, day.to_string());
  s.bind(3, domain::to_unix_millis(since));
  while (s.executeStep()) {
    visit(task_from_row(s));
  }
}

void SqliteTx::for_each_overdue_candidate_effective(Date day,
                                                    const std::function<void(const Task&)>& visit) {
  auto& s = conn_.statement(std::string("SELECT ") + kTaskColumns +
                            " FROM tasks t WHERE t.assigned_on <= ?1 AND ((t.state IN ('open', "
                            "'reported') AND t.due_on < ?1) OR t.effective_through > ?1) ORDER "
                            "BY t.id");
  s.bind(1, day.to_string());
  while (s.executeStep()) {
    visit(task_from_row(s));
  }
}

TaskId SqliteTx::last_task_id() {
  auto& s = conn_.statement("SELECT coalesce(max(id), 0) FROM tasks");
  s.executeStep();
  const TaskId last = s.getColumn(0).getInt64();
  s.reset();
  return last;
}

std::vector<Unit> SqliteTx::all_units() {
  UnitQuery q;
  q.limit = 1000000;
  return list_units(q).items;
}

}  // namespace dondoc::storage::sqlite
