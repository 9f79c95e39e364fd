#include <string>
#include <vector>

#include "connection.hpp"
#include "dondoc/domain/errors.hpp"

namespace dondoc::storage::sqlite {

namespace {

// Migration i (0-based) brings PRAGMA user_version from i to i+1. Append only: a released
// migration is never edited, because databases in the field have already run it.
const std::vector<std::string>& migrations() {
  static const std::vector<std::string> kMigrations = {
      // 1: units, tasks with their units, append-only history.
      R"sql(
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('department','agency','commune','ward','other')),
  emails TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  successor_id INTEGER REFERENCES units(id),
  search_text TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  source_ref TEXT NOT NULL DEFAULT '',
  source_date TEXT,
  source_title TEXT NOT NULL DEFAULT '',
  assigner TEXT NOT NULL DEFAULT '',
  assigned_on TEXT NOT NULL,
  lead_unit_id INTEGER NOT NULL REFERENCES units(id),
  due_on TEXT,
  priority TEXT NOT NULL CHECK (priority IN ('normal','urgent')),
  state TEXT NOT NULL CHECK (state IN ('open','reported','done','suspended','cancelled')),
  completed_on TEXT,
  completion_ref TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  original_due_on TEXT,
  extension_count INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  search_text TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (state NOT IN ('reported','done') OR completed_on IS NOT NULL)
);
CREATE INDEX tasks_state_due ON tasks(state, due_on);
CREATE INDEX tasks_lead_state_due ON tasks(lead_unit_id, state, due_on);
CREATE INDEX tasks_assigned ON tasks(assigned_on);
CREATE INDEX tasks_source_ref ON tasks(source_ref);
CREATE TABLE task_units (
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  role TEXT NOT NULL CHECK (role IN ('lead','coordinating')),
  PRIMARY KEY (task_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX task_units_unit ON task_units(unit_id, task_id);
CREATE TABLE task_events (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX task_events_task ON task_events(task_id, id);
-- History is append-only: the application has no statement that changes it, and these refuse
-- anyone who tries by hand.
CREATE TRIGGER task_events_no_update BEFORE UPDATE ON task_events
BEGIN SELECT RAISE(ABORT, 'task history is append-only'); END;
CREATE TRIGGER task_events_no_delete BEFORE DELETE ON task_events
BEGIN SELECT RAISE(ABORT, 'task history is append-only'); END;
)sql",
  };
  return kMigrations;
}

}  // namespace

int latest_version() {
  return static_cast<int>(migrations().size());
}

int schema_version_of(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

int migrate(SQLite::Database& db, const std::string& path) {
  const int found = schema_version_of(db);
  const int latest = latest_version();
  if (found > latest) {
    throw domain::StorageError("database " + path + " has schema version " + std::to_string(found) +
                               ", newer than this dondocd supports (" + std::to_string(latest) +
                               "); run a newer dondocd or restore a backup");
  }
  for (int v = found; v < latest; ++v) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(migrations()[static_cast<std::size_t>(v)]);
    db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    tx.commit();
  }
  return found;
}

}  // namespace dondoc::storage::sqlite
