// Periodic series (task_series): their rule, pattern and progress.
#include "dondoc/domain/errors.hpp"
#include "sql_helpers.hpp"
#include "sqlite_tx.hpp"

namespace dondoc::storage::sqlite {

namespace {

using domain::SeriesId;
using domain::TaskSeries;

constexpr const char* kSeriesColumns =
    "id, title, description, source_ref, source_date, source_title, assigner, lead_unit_id, "
    "coordinating_units, priority, leader_id, key_task, frequency, month_of_period, day_rule, "
    "day, on_day_off, starts_on, ends_on, max_count, state, generated, last_due_on, "
    "next_generate_on, stop_note, version, created_at, updated_at, last_index";

TaskSeries series_from_row(SQLite::Statement& s) {
  TaskSeries x;
  x.id = s.getColumn(0).getInt64();
  auto& p = x.pattern;
  p.title = s.getColumn(1).getString();
  p.description = s.getColumn(2).getString();
  p.source_ref = s.getColumn(3).getString();
  p.source_date = date_column(s.getColumn(4));
  p.source_title = s.getColumn(5).getString();
  p.assigner = s.getColumn(6).getString();
  p.lead_unit_id = s.getColumn(7).getInt64();
  p.coordinating_unit_ids = unit_ids_from_text(s.getColumn(8).getText());
  p.priority =
      domain::parse_priority(s.getColumn(9).getString()).value_or(domain::Priority::normal);
  if (!s.getColumn(10).isNull()) {
    p.leader_id = s.getColumn(10).getInt64();
  }
  p.key_task = s.getColumn(11).getInt() != 0;
  auto& r = x.rule;
  r.frequency = *domain::parse_frequency(s.getColumn(12).getString());
  r.month_of_period = s.getColumn(13).getInt();
  r.day_rule = *domain::parse_day_rule(s.getColumn(14).getString());
  r.day = s.getColumn(15).getInt();
  r.on_day_off = *domain::parse_day_off_roll(s.getColumn(16).getString());
  r.starts_on = *Date::parse(s.getColumn(17).getString());
  r.ends_on = date_column(s.getColumn(18));
  if (!s.getColumn(19).isNull()) {
    r.count = s.getColumn(19).getInt();
  }
  x.state = *domain::parse_series_state(s.getColumn(20).getString());
  x.generated = s.getColumn(21).getInt();
  x.last_due_on = date_column(s.getColumn(22));
  x.next_generate_on = date_column(s.getColumn(23));
  x.stop_note = s.getColumn(24).getString();
  x.version = s.getColumn(25).getInt64();
  x.created_at = domain::from_unix_millis(s.getColumn(26).getInt64());
  x.updated_at = domain::from_unix_millis(s.getColumn(27).getInt64());
  x.last_index = s.getColumn(28).getInt();
  return x;
}

// Binds every column but id and created_at, from 1 to 27 (last_index last), in kSeriesColumns'
// order.
void bind_series(SQLite::Statement& s, const TaskSeries& x) {
  const auto& p = x.pattern;
  s.bind(1, p.title);
  s.bind(2, p.description);
  s.bind(3, p.source_ref);
  bind_date(s, 4, p.source_date);
  s.bind(5, p.source_title);
  s.bind(6, p.assigner);
  s.bind(7, p.lead_unit_id);
  s.bind(8, unit_ids_text(p.coordinating_unit_ids));
  s.bind(9, std::string(domain::to_string(p.priority)));
  if (p.leader_id) {
    s.bind(10, *p.leader_id);
  } else {
    s.bind(10);
  }
  s.bind(11, p.key_task ? 1 : 0);
  const auto& r = x.rule;
  s.bind(12, std::string(domain::to_string(r.frequency)));
  s.bind(13, r.month_of_period);
  s.bind(14, std::string(domain::to_string(r.day_rule)));
  s.bind(15, r.day);
  s.bind(16, std::string(domain::to_string(r.on_day_off)));
  s.bind(17, r.starts_on.to_string());
  bind_date(s, 18, r.ends_on);
  if (r.count) {
    s.bind(19, *r.count);
  } else {
    s.bind(19);
  }
  s.bind(20, std::string(domain::to_string(x.state)));
  s.bind(21, x.generated);
  bind_date(s, 22, x.last_due_on);
  bind_date(s, 23, x.next_generate_on);
  s.bind(24, x.stop_note);
  s.bind(25, x.version);
  s.bind(26, domain::to_unix_millis(x.updated_at));
  s.bind(27, x.last_index);
}

}  // namespace

std::optional<TaskSeries> SqliteTx::find_series(SeriesId id) {
  auto& s =
      conn_.statement(std::string("SELECT ") + kSeriesColumns + " FROM task_series WHERE id = ?");
  s.bind(1, id);
  if (!s.executeStep()) {
    return std::nullopt;
  }
  TaskSeries x = series_from_row(s);
  s.reset();
  return x;
}

PageResult<TaskSeries> SqliteTx::list_series(const SeriesQuery& q) {
  Where w;
  if (q.state) {
    w.add("state = ?", std::string(domain::to_string(*q.state)));
  }
  // A series' units are its lead and the comma-separated coordinating list ("3,7,12").
  const char* names_unit =
      "(lead_unit_id = ? OR ',' || coordinating_units || ',' LIKE '%,' || ? || ',%')";
  if (q.unit_id) {
    w.add(names_unit, std::int64_t{*q.unit_id}, std::to_string(*q.unit_id));
  }
  if (q.visible_to_unit) {
    w.add(names_unit, std::int64_t{*q.visible_to_unit}, std::to_string(*q.visible_to_unit));
  }
  const std::int64_t total = count_matching(conn_.db(), "task_series", w);
  Where pw = w;
  if (q.cursor) {
    pw.add("id > ?", cursor_id(*q.cursor));
  }
  return read_page<TaskSeries>(
      conn_.db(),
      std::string("SELECT ") + kSeriesColumns + " FROM task_series" + pw.sql + " ORDER BY id", pw,
      q.limit, total, series_from_row, id_cursor<TaskSeries>);
}

std::vector<Task> SqliteTx::series_tasks(SeriesId id) {
  auto& s = conn_.statement(std::string("SELECT ") + kTaskColumns +
                            " FROM tasks t WHERE t.series_id = ? ORDER BY t.series_index");
  s.bind(1, id);
  std::vector<Task> out;
  while (s.executeStep()) {
    out.push_back(task_from_row(s));
  }
  s.reset();
  return out;
}

std::vector<SeriesId> SqliteTx::series_due(Date day, int limit) {
  auto& s = conn_.statement(
      "SELECT id FROM task_series WHERE next_generate_on IS NOT NULL AND next_generate_on <= ? "
      "ORDER BY next_generate_on, id LIMIT ?");
  s.bind(1, day.to_string());
  s.bind(2, limit);
  std::vector<SeriesId> out;
  while (s.executeStep()) {
    out.push_back(s.getColumn(0).getInt64());
  }
  s.reset();
  return out;
}

std::optional<Date> SqliteTx::next_series_day() {
  auto& s = conn_.statement(
      "SELECT min(next_generate_on) FROM task_series WHERE next_generate_on IS NOT NULL");
  std::optional<Date> out;
  if (s.executeStep()) {
    out = date_column(s.getColumn(0));
  }
  s.reset();
  return out;
}

SeriesId SqliteTx::insert_series(const TaskSeries& x) {
  auto& s = conn_.statement(
      "INSERT INTO task_series (title, description, source_ref, source_date, source_title, "
      "assigner, lead_unit_id, coordinating_units, priority, leader_id, key_task, frequency, "
      "month_of_period, day_rule, day, on_day_off, starts_on, ends_on, max_count, state, "
      "generated, last_due_on, next_generate_on, stop_note, version, updated_at, last_index, "
      "created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?)");
  bind_series(s, x);
  s.bind(28, domain::to_unix_millis(x.created_at));
  s.exec();
  return conn_.db().getLastInsertRowid();
}

void SqliteTx::update_series(const TaskSeries& x) {
  auto& s = conn_.statement(
      "UPDATE task_series SET title = ?, description = ?, source_ref = ?, source_date = ?, "
      "source_title = ?, assigner = ?, lead_unit_id = ?, coordinating_units = ?, priority = ?, "
      "leader_id = ?, key_task = ?, frequency = ?, month_of_period = ?, day_rule = ?, day = ?, "
      "on_day_off = ?, starts_on = ?, ends_on = ?, max_count = ?, state = ?, generated = ?, "
      "last_due_on = ?, next_generate_on = ?, stop_note = ?, version = ?, updated_at = ?, "
      "last_index = ? WHERE id = ?");
  bind_series(s, x);
  s.bind(28, x.id);
  if (s.exec() != 1) {
    throw domain::NotFound("series " + std::to_string(x.id) + " does not exist");
  }
}

}  // namespace dondoc::storage::sqlite
