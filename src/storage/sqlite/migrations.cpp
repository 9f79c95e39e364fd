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
      // 2: accounts and tokens, extension requests, the audit trail.
      R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('admin','office','leader','unit')),
  unit_id INTEGER REFERENCES units(id),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((role = 'unit') = (unit_id IS NOT NULL))
);
CREATE INDEX users_unit ON users(unit_id);
-- Only the SHA-256 of a token's secret is kept; the secret is shown once, when issued.
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  label TEXT NOT NULL DEFAULT '',
  secret_sha256 TEXT NOT NULL CHECK (length(secret_sha256) = 64),
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE TABLE extension_requests (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  requested_by_user_id INTEGER NOT NULL,
  requested_by TEXT NOT NULL,
  current_due_on TEXT NOT NULL,
  proposed_due_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  document_ref TEXT NOT NULL DEFAULT '',
  late INTEGER NOT NULL CHECK (late IN (0,1)),
  state TEXT NOT NULL CHECK (state IN ('pending','approved','rejected','withdrawn')),
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at INTEGER,
  decided_due_on TEXT,
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- At most one pending request per task, whatever the application does.
CREATE UNIQUE INDEX extension_requests_one_pending ON extension_requests(task_id)
  WHERE state = 'pending';
CREATE INDEX extension_requests_task ON extension_requests(task_id, id);
CREATE INDEX extension_requests_unit ON extension_requests(unit_id, id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_user_id INTEGER,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL CHECK (outcome IN ('ok','unauthorized','forbidden')),
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_actor ON audit_log(actor, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
      // 3: the reminder schedule of each task, and the outbox.
      R"sql(
-- When the task's next reminder is due (NULL: none), and the instant of the last one handled,
-- from which the next is computed. The partial index holds only tasks with a reminder ahead,
-- so that a scheduler pass with nothing due reads a few index pages and nothing else.
ALTER TABLE tasks ADD COLUMN next_reminder_at INTEGER;
ALTER TABLE tasks ADD COLUMN reminded_through INTEGER;
CREATE INDEX tasks_next_reminder ON tasks(next_reminder_at) WHERE next_reminder_at IS NOT NULL;
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  dedupe_key TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('email','webhook')),
  recipient TEXT NOT NULL,
  event TEXT NOT NULL,
  task_id INTEGER REFERENCES tasks(id),
  subject TEXT NOT NULL DEFAULT '',
  body_text TEXT NOT NULL DEFAULT '',
  message_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued','sent','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  queued_at INTEGER NOT NULL,  -- when it was queued, or queued again by hand: retries give up
                               -- smtp.give_up_after_hours after this
  sent_at INTEGER
);
CREATE INDEX outbox_queued ON outbox(next_attempt_at) WHERE state = 'queued';
-- The last local day each digest was handled (sent, or found to have nothing to say).
CREATE TABLE digest_state (
  kind TEXT PRIMARY KEY,
  last_day TEXT NOT NULL
);
)sql",
      // 4: webhook endpoints that answered 410 Gone stay disabled across restarts, for as long
      // as the config gives them the same URL; history by time, for reports as of a past date.
      R"sql(
CREATE INDEX task_events_at ON task_events(at);
CREATE TABLE webhook_endpoints_gone (
  name TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  gone_at INTEGER NOT NULL
);
)sql",
      // 5: units' history (renames, mergers), so that a report as of a past date names a unit
      // as it was then. Units that exist already start theirs with the fields they have now.
      R"sql(
CREATE TABLE unit_events (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX unit_events_unit ON unit_events(unit_id, id);
CREATE INDEX unit_events_at ON unit_events(at);
CREATE TRIGGER unit_events_no_update BEFORE UPDATE ON unit_events
BEGIN SELECT RAISE(ABORT, 'unit history is append-only'); END;
CREATE TRIGGER unit_events_no_delete BEFORE DELETE ON unit_events
BEGIN SELECT RAISE(ABORT, 'unit history is append-only'); END;
INSERT INTO unit_events (unit_id, at, actor, kind, note, changes)
  SELECT id, created_at, 'system', 'created', 'history recorded from schema version 5 on', '[]'
  FROM units ORDER BY id;
)sql",
      // 6: the checks of a task's state and an audit entry's outcome as comparisons. SQLite
      // checks an IN list of three values or more by building a temporary b-tree, on every
      // insert and update of the row: about 6 % of the writer's time. SQLite 3.40 cannot change
      // a CHECK in place, so both tables are rebuilt as its ALTER TABLE page (section 7) says:
      // the same columns in the same order, the same rows and ids, then the same indexes and
      // triggers. Runs with foreign keys off, checked before the commit (see migrate).
      R"sql(
CREATE TABLE tasks_rebuilt (
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
  state TEXT NOT NULL CHECK (state = 'open' OR state = 'reported' OR state = 'done'
                             OR state = 'suspended' OR state = 'cancelled'),
  completed_on TEXT,
  completion_ref TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  original_due_on TEXT,
  extension_count INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  search_text TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  next_reminder_at INTEGER,
  reminded_through INTEGER,
  CHECK (state NOT IN ('reported','done') OR completed_on IS NOT NULL)
);
INSERT INTO tasks_rebuilt (id, title, description, source_ref, source_date, source_title,
    assigner, assigned_on, lead_unit_id, due_on, priority, state, completed_on, completion_ref,
    cancel_reason, original_due_on, extension_count, version, search_text, created_at,
    updated_at, next_reminder_at, reminded_through)
  SELECT id, title, description, source_ref, source_date, source_title, assigner, assigned_on,
    lead_unit_id, due_on, priority, state, completed_on, completion_ref, cancel_reason,
    original_due_on, extension_count, version, search_text, created_at, updated_at,
    next_reminder_at, reminded_through
  FROM tasks ORDER BY id;
DROP TABLE tasks;
ALTER TABLE tasks_rebuilt RENAME TO tasks;
CREATE INDEX tasks_state_due ON tasks(state, due_on);
CREATE INDEX tasks_lead_state_due ON tasks(lead_unit_id, state, due_on);
CREATE INDEX tasks_assigned ON tasks(assigned_on);
CREATE INDEX tasks_source_ref ON tasks(source_ref);
CREATE INDEX tasks_next_reminder ON tasks(next_reminder_at) WHERE next_reminder_at IS NOT NULL;
CREATE TABLE audit_log_rebuilt (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_user_id INTEGER,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL CHECK (outcome = 'ok' OR outcome = 'unauthorized'
                               OR outcome = 'forbidden'),
  detail TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_log_rebuilt (id, at, actor_user_id, actor, action, target, outcome, detail)
  SELECT id, at, actor_user_id, actor, action, target, outcome, detail FROM audit_log ORDER BY id;
DROP TABLE audit_log;
ALTER TABLE audit_log_rebuilt RENAME TO audit_log;
CREATE INDEX audit_log_actor ON audit_log(actor, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
      // 7: a number that every change to an account or a token moves on, whoever makes it (the
      // daemon, the command line, a sqlite3 shell): the daemon keeps the actors of tokens it
      // has checked, and trusts one again only while this number has not moved.
      R"sql(
CREATE TABLE credentials_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO credentials_generation (id, generation) VALUES (1, 0);
CREATE TRIGGER users_inserted_credentials AFTER INSERT ON users
BEGIN UPDATE credentials_generation SET generation = generation + 1; END;
CREATE TRIGGER users_updated_credentials AFTER UPDATE ON users
BEGIN UPDATE credentials_generation SET generation = generation + 1; END;
CREATE TRIGGER users_deleted_credentials AFTER DELETE ON users
BEGIN UPDATE credentials_generation SET generation = generation + 1; END;
CREATE TRIGGER api_tokens_inserted_credentials AFTER INSERT ON api_tokens
BEGIN UPDATE credentials_generation SET generation = generation + 1; END;
CREATE TRIGGER api_tokens_updated_credentials AFTER UPDATE ON api_tokens
BEGIN UPDATE credentials_generation SET generation = generation + 1; END;
CREATE TRIGGER api_tokens_deleted_credentials AFTER DELETE ON api_tokens
BEGIN UPDATE credentials_generation SET generation = generation + 1; END;
)sql",
      // 8: a task's coordinating units also in its own row ("3,7,12"), so that reading a task is
      // one lookup, not two (a sixth of a GET's time); task_units stays the table that finds the
      // tasks of a unit, and both are written together (SqliteTx::insert_task, update_task).
      R"sql(
ALTER TABLE tasks ADD COLUMN coordinating_units TEXT NOT NULL DEFAULT '';
UPDATE tasks SET coordinating_units = (
    SELECT group_concat(unit_id, ',') FROM (
      SELECT unit_id FROM task_units u
      WHERE u.task_id = tasks.id AND u.role = 'coordinating' ORDER BY unit_id))
  WHERE id IN (SELECT task_id FROM task_units WHERE role = 'coordinating');
)sql",
      // 9: an audit entry may stand for many repeats of one refused attempt (a client trying
      // token after token): how many, and when the last was. A flood once wrote 5,000 fsynced
      // rows a second, each forever.
      R"sql(
ALTER TABLE audit_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN last_at INTEGER;
)sql",
      // 10: no query reads history by time alone any more (a report reads each changed task's
      // events through task_events_task), yet every write of a task kept this index too: one
      // page of the 13 a new task's commit writes to the WAL.
      R"sql(
DROP INDEX task_events_at;
)sql",
      // 11: people sign in with a password (an Argon2id string; '' for none) and get a session
      // (issue 14). Ending one moves the credentials generation, like revoking a token; a new
      // one, or a request seen (which only moves last_seen_at), does not.
      R"sql(
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
  CHECK (must_change_password IN (0,1));
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  secret_sha256 TEXT NOT NULL DEFAULT '',
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX sessions_user ON sessions(user_id) WHERE ended_at IS NULL;
CREATE TRIGGER sessions_ended_credentials AFTER UPDATE OF ended_at ON sessions
BEGIN UPDATE credentials_generation SET generation = generation + 1; END;
)sql",
      // 12: a pending extension request closes itself when its task moves on without a decision
      // (issue 15): a state 'closed' with the reason, and the requests that went stale before
      // this version closed the same way, at the time their task last changed, with a history
      // entry each. A deadline the Office sets directly is recorded as a request of origin
      // 'office', approved. And original_due_on is the first deadline the history shows (it was
      // the deadline at the first extension, even when the Office had moved it before).
      R"sql(
CREATE TABLE extension_requests_rebuilt (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  requested_by_user_id INTEGER NOT NULL,
  requested_by TEXT NOT NULL,
  current_due_on TEXT NOT NULL,
  proposed_due_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  document_ref TEXT NOT NULL DEFAULT '',
  late INTEGER NOT NULL CHECK (late IN (0,1)),
  state TEXT NOT NULL CHECK (state IN ('pending','approved','rejected','withdrawn','closed')),
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at INTEGER,
  decided_due_on TEXT,
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  origin TEXT NOT NULL DEFAULT 'unit' CHECK (origin IN ('unit','office')),
  closure TEXT NOT NULL DEFAULT '' CHECK (closure IN ('','task_reported','task_done',
      'task_cancelled','task_suspended','lead_unit_changed','deadline_changed')),
  CHECK ((state = 'closed') = (closure <> ''))
);
INSERT INTO extension_requests_rebuilt (id, task_id, unit_id, requested_by_user_id, requested_by,
    current_due_on, proposed_due_on, reason, document_ref, late, state, decided_by, decided_at,
    decided_due_on, note, created_at, updated_at)
  SELECT id, task_id, unit_id, requested_by_user_id, requested_by, current_due_on,
    proposed_due_on, reason, document_ref, late, state, decided_by, decided_at, decided_due_on,
    note, created_at, updated_at
  FROM extension_requests ORDER BY id;
DROP TABLE extension_requests;
ALTER TABLE extension_requests_rebuilt RENAME TO extension_requests;
CREATE UNIQUE INDEX extension_requests_one_pending ON extension_requests(task_id)
  WHERE state = 'pending';
CREATE INDEX extension_requests_task ON extension_requests(task_id, id);
CREATE INDEX extension_requests_unit ON extension_requests(unit_id, id);
CREATE TEMP TABLE lapsed AS
  SELECT r.id, r.task_id, t.updated_at AS at,
    CASE
      WHEN t.state = 'reported' THEN 'task_reported'
      WHEN t.state = 'done' THEN 'task_done'
      WHEN t.state = 'cancelled' THEN 'task_cancelled'
      WHEN t.state = 'suspended' THEN 'task_suspended'
      WHEN t.lead_unit_id <> r.unit_id THEN 'lead_unit_changed'
      ELSE 'deadline_changed'
    END AS closure
  FROM extension_requests r JOIN tasks t ON t.id = r.task_id
  WHERE r.state = 'pending' AND (t.state <> 'open' OR t.lead_unit_id <> r.unit_id
    OR t.due_on IS NULL OR t.due_on <> r.current_due_on);
ALTER TABLE lapsed ADD COLUMN words TEXT;
UPDATE lapsed SET words = CASE closure
    WHEN 'task_reported' THEN 'nhiệm vụ đã được báo cáo hoàn thành'
    WHEN 'task_done' THEN 'nhiệm vụ đã hoàn thành'
    WHEN 'task_cancelled' THEN 'nhiệm vụ đã được thu hồi'
    WHEN 'task_suspended' THEN 'nhiệm vụ đã tạm dừng'
    WHEN 'lead_unit_changed' THEN 'nhiệm vụ đã giao cho đơn vị khác chủ trì'
    ELSE 'thời hạn đã được điều chỉnh trực tiếp'
  END;
UPDATE extension_requests SET state = 'closed',
    closure = (SELECT closure FROM lapsed WHERE lapsed.id = extension_requests.id),
    note = 'Tự đóng: ' || (SELECT words FROM lapsed WHERE lapsed.id = extension_requests.id),
    decided_at = (SELECT at FROM lapsed WHERE lapsed.id = extension_requests.id),
    updated_at = (SELECT at FROM lapsed WHERE lapsed.id = extension_requests.id)
  WHERE id IN (SELECT id FROM lapsed);
INSERT INTO task_events (task_id, at, actor, kind, note, changes)
  SELECT task_id, at, 'system', 'extension_closed',
    'extension request ' || id || ': Tự đóng: ' || words, '[]'
  FROM lapsed ORDER BY at, id;
DROP TABLE lapsed;
UPDATE tasks SET original_due_on = (
    SELECT COALESCE(json_extract(c.value, '$.from'), json_extract(c.value, '$.to'))
    FROM task_events e, json_each(e.changes) c
    WHERE e.task_id = tasks.id AND json_extract(c.value, '$.field') = 'due_on'
      AND COALESCE(json_extract(c.value, '$.from'), json_extract(c.value, '$.to')) IS NOT NULL
    ORDER BY e.id, c.key LIMIT 1)
  WHERE original_due_on IS NOT NULL AND EXISTS (
    SELECT 1 FROM task_events e, json_each(e.changes) c
    WHERE e.task_id = tasks.id AND json_extract(c.value, '$.field') = 'due_on'
      AND COALESCE(json_extract(c.value, '$.from'), json_extract(c.value, '$.to')) IS NOT NULL);
)sql",
      // 13: the leader in charge (issue 15): of a task (who follows it, who gets its digests and
      // escalations) and of a unit (whom its new tasks follow by default); and the key tasks
      // (nhiệm vụ trọng tâm). Few tasks are key, so their index holds only them. Users are
      // locked, never deleted, and the services check that a leader in charge is a leader.
      R"sql(
ALTER TABLE units ADD COLUMN leader_id INTEGER;
ALTER TABLE tasks ADD COLUMN leader_id INTEGER;
ALTER TABLE tasks ADD COLUMN key_task INTEGER NOT NULL DEFAULT 0 CHECK (key_task IN (0,1));
CREATE INDEX tasks_leader_state_due ON tasks(leader_id, state, due_on)
  WHERE leader_id IS NOT NULL;
CREATE INDEX tasks_key ON tasks(state, due_on) WHERE key_task = 1;
)sql",
      // 14: periodic tasks (issue 15). A series keeps its rule, the pattern its tasks copy and
      // how far it has gone; the scheduler reads only the series whose next task is due to be
      // made (the partial index), so a pass with nothing to make reads one index page. A series
      // is never deleted (it is stopped), so its tasks always find it. The
      // unique (series, index) refuses a deadline made twice.
      R"sql(
CREATE TABLE task_series (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  source_ref TEXT NOT NULL DEFAULT '',
  source_date TEXT,
  source_title TEXT NOT NULL DEFAULT '',
  assigner TEXT NOT NULL DEFAULT '',
  lead_unit_id INTEGER NOT NULL REFERENCES units(id),
  coordinating_units TEXT NOT NULL DEFAULT '',
  priority TEXT NOT NULL,
  leader_id INTEGER,
  key_task INTEGER NOT NULL DEFAULT 0 CHECK (key_task IN (0,1)),
  frequency TEXT NOT NULL CHECK (frequency IN ('monthly','quarterly','half_yearly','yearly')),
  month_of_period INTEGER NOT NULL,
  day_rule TEXT NOT NULL CHECK (day_rule IN ('day_of_month','working_day')),
  day INTEGER NOT NULL,
  on_day_off TEXT NOT NULL CHECK (on_day_off IN ('keep','previous','next')),
  starts_on TEXT NOT NULL,
  ends_on TEXT,
  max_count INTEGER,
  state TEXT NOT NULL CHECK (state IN ('active','stopped','finished')),
  generated INTEGER NOT NULL DEFAULT 0,
  last_index INTEGER NOT NULL DEFAULT 0,
  last_due_on TEXT,
  next_generate_on TEXT,
  stop_note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX task_series_next ON task_series(next_generate_on, id)
  WHERE next_generate_on IS NOT NULL;
CREATE INDEX task_series_lead ON task_series(lead_unit_id);
ALTER TABLE tasks ADD COLUMN series_id INTEGER;
ALTER TABLE tasks ADD COLUMN series_index INTEGER;
CREATE UNIQUE INDEX tasks_series ON tasks(series_id, series_index) WHERE series_id IS NOT NULL;
)sql",
      // 15: the coordinating units' own deadlines and the input they sent (issue 15). A row
      // exists only for a unit given a deadline or that sent its input.
      R"sql(
CREATE TABLE contributions (
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  due_on TEXT,
  sent_on TEXT,
  sent_ref TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  sent_by TEXT NOT NULL DEFAULT '',
  next_reminder_at INTEGER,
  reminded_through INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (task_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX contributions_next_reminder ON contributions(next_reminder_at)
  WHERE next_reminder_at IS NOT NULL;
CREATE INDEX contributions_due ON contributions(due_on, task_id, unit_id)
  WHERE due_on IS NOT NULL;
CREATE INDEX contributions_owed ON contributions(unit_id, due_on, task_id)
  WHERE due_on IS NOT NULL AND sent_on IS NULL;
)sql",
      // 16: attached documents (issue 15). The content lives in files named by its SHA-256
      // (storage::FileStore); a row is written only once its file is durable.
      R"sql(
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  attached_to TEXT NOT NULL CHECK (attached_to IN ('task','note','report','extension')),
  ref_id INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL CHECK (length(name) > 0),
  kind TEXT NOT NULL CHECK (kind IN ('pdf','docx','xlsx','png','jpeg','tiff')),
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  uploaded_by TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL
);
CREATE INDEX attachments_task ON attachments(task_id, id);
CREATE INDEX attachments_content ON attachments(sha256);
)sql",
      // 17: two kinds of "as of" (issue 16). Each change records the date it took effect in
      // reality beside the instant it was entered; rows from before stay NULL, read as the local
      // date they were entered. A task keeps the latest effective date of its changes, so that a
      // report as of a date passes over the tasks with nothing to rewind without reading their
      // history. For rows from before, the day after the last change in UTC is a bound no zone's
      // local date passes (a day too late only costs a history read).
      R"sql(
ALTER TABLE task_events ADD COLUMN effective_on TEXT;
ALTER TABLE tasks ADD COLUMN effective_through TEXT;
UPDATE tasks SET effective_through = date(updated_at / 1000, 'unixepoch', '+1 day')
  WHERE version > 1;
CREATE TRIGGER task_events_effective_through AFTER INSERT ON task_events
  WHEN NEW.kind <> 'created' AND NEW.changes <> '[]' AND NEW.effective_on IS NOT NULL
BEGIN
  UPDATE tasks SET effective_through = NEW.effective_on
    WHERE id = NEW.task_id AND (effective_through IS NULL OR effective_through < NEW.effective_on);
END;
)sql",
      // 18: the dates an extension request was filed and decided in reality (issue 16), so that
      // a report by effective dates lists an extension entered late (an imported register's) in
      // the period it was decided. Rows from before stay NULL, read as the local dates of
      // created_at and decided_at.
      R"sql(
ALTER TABLE extension_requests ADD COLUMN filed_on TEXT;
ALTER TABLE extension_requests ADD COLUMN decided_on TEXT;
CREATE INDEX extension_requests_filed_on ON extension_requests(filed_on) WHERE filed_on IS NOT NULL;
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
  if (found == latest) {
    return found;
  }
  // A migration may rebuild a table that others refer to, which SQLite allows only with foreign
  // keys off (they cannot be switched inside a transaction). Each migration proves before its
  // commit that every reference still holds.
  db.exec("PRAGMA foreign_keys = OFF");
  // Rebuilding an index of a million rows sorts them; in a temporary file, not in memory.
  db.exec("PRAGMA temp_store = FILE");
  try {
    for (int v = found; v < latest; ++v) {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      db.exec(migrations()[static_cast<std::size_t>(v)]);
      SQLite::Statement broken(db, "PRAGMA foreign_key_check");
      if (broken.executeStep()) {
        throw domain::StorageError("migration to schema version " + std::to_string(v + 1) +
                                   " would break a reference from table " +
                                   broken.getColumn(0).getString() + "; it was not applied");
      }
      db.exec("PRAGMA user_version = " + std::to_string(v + 1));
      tx.commit();
    }
  } catch (...) {
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA temp_store = MEMORY");
    throw;
  }
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA temp_store = MEMORY");
  return found;
}

}  // namespace dondoc::storage::sqlite
