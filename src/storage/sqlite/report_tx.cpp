// The reads reports make (issue 5): every task in one pass, and the overdue appendix's
// candidates.
#include "sqlite_tx.hpp"

#include "scoped_mmap.hpp"
#include "sql_helpers.hpp"

namespace dondoc::storage::sqlite {

namespace {

// What the counts read of a task, and nothing else: a report passes over every task.
constexpr const char* kCountColumns =
    "t.id, t.assigner, t.assigned_on, t.lead_unit_id, t.due_on, t.state, t.completed_on, "
    "t.original_due_on, t.extension_count, t.created_at, t.updated_at";

// Texts are read in place (sqlite3_column_text), not copied into strings: this runs once for
// every task of the database.
std::optional<Date> date_in_place(SQLite::Statement& s, int column) {
  const SQLite::Column c = s.getColumn(column);
  if (c.isNull()) {
    return std::nullopt;
  }
  return Date::parse(std::string_view(c.getText(), static_cast<std::size_t>(c.getBytes())));
}

void fill_counted_fields(SQLite::Statement& s, Task& t) {
  t.id = s.getColumn(0).getInt64();
  const SQLite::Column assigner = s.getColumn(1);
  t.assigner.assign(assigner.getText(), static_cast<std::size_t>(assigner.getBytes()));
  t.assigned_on = *date_in_place(s, 2);
  t.lead_unit_id = s.getColumn(3).getInt64();
  t.due_on = date_in_place(s, 4);
  const SQLite::Column state = s.getColumn(5);
  t.state = *domain::parse_lifecycle_state(
      std::string_view(state.getText(), static_cast<std::size_t>(state.getBytes())));
  t.completed_on = date_in_place(s, 6);
  t.original_due_on = date_in_place(s, 7);
  t.extension_count = s.getColumn(8).getInt();
  t.created_at = domain::from_unix_millis(s.getColumn(9).getInt64());
  t.updated_at = domain::from_unix_millis(s.getColumn(10).getInt64());
}

}  // namespace

void SqliteTx::for_each_task(Instant before, bool details,
                             const std::function<void(const Task&)>& visit) {
  ScopedMmap mapped(conn_);
  auto& s = conn_.statement(std::string("SELECT ") + (details ? kTaskColumns : kCountColumns) +
                            " FROM tasks t WHERE t.created_at < ? ORDER BY t.id");
  s.bind(1, domain::to_unix_millis(before));
  Task t;
  while (s.executeStep()) {
    if (details) {
      t = task_from_row(s);
    } else {
      fill_counted_fields(s, t);
    }
    visit(t);
  }
}

void SqliteTx::for_each_overdue_candidate(Date day, Instant since, Instant before,
                                          const std::function<void(const Task&)>& visit) {
  ScopedMmap mapped(conn_);
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

std::vector<Unit> SqliteTx::all_units() {
  UnitQuery q;
  q.limit = 1000000;
  return list_units(q).items;
}

}  // namespace dondoc::storage::sqlite
