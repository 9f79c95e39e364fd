// What only the SQLite store has: migrations from old files, the WAL, triggers driven with raw
// SQL. What every backend must do is in tests/contract/store_contract_test.cpp.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "dondoc/domain/classify.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace dondoc;
using domain::Date;
using domain::LifecycleState;
using domain::Task;
using domain::Timeliness;

namespace {

Date d(const char* iso) {
  return *Date::parse(iso);
}

// What migration 17 added (effective dates), taken away again.
const std::string kUndoVersion17 =
    "DROP TRIGGER task_events_effective_through; ALTER TABLE tasks DROP COLUMN effective_through; "
    "ALTER TABLE task_events DROP COLUMN effective_on;";

// What migration 16 added (attached documents), taken away again (and 17).
const std::string kUndoVersion16 = kUndoVersion17 + "DROP TABLE attachments;";

// What migration 15 added (the coordinating units' deadlines), taken away again (and 16).
const std::string kUndoVersion15 = kUndoVersion16 + "DROP TABLE contributions;";

// What migration 14 added (periodic series), taken away again (and 15).
const std::string kUndoVersion14 =
    kUndoVersion15 +
    "DROP INDEX tasks_series; ALTER TABLE tasks DROP COLUMN series_index; ALTER TABLE tasks DROP "
    "COLUMN series_id; DROP TABLE task_series;";

// What migration 13 added (the leader in charge, key tasks), taken away again (and 14).
const std::string kUndoVersion13 =
    kUndoVersion14 +
    "DROP INDEX tasks_key; DROP INDEX tasks_leader_state_due; ALTER TABLE tasks DROP COLUMN "
    "key_task; ALTER TABLE tasks DROP COLUMN leader_id; ALTER TABLE units DROP COLUMN leader_id;";

// What migration 12 changed (closed extension requests, their origin), put back as version 11
// left it (and 13 undone). The requests a test writes through the store are kept, less the new
// columns.
const std::string kUndoVersion12 = kUndoVersion13 + R"sql(
CREATE TABLE extension_requests_old (
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
INSERT INTO extension_requests_old SELECT id, task_id, unit_id, requested_by_user_id,
  requested_by, current_due_on, proposed_due_on, reason, document_ref, late, state, decided_by,
  decided_at, decided_due_on, note, created_at, updated_at FROM extension_requests;
DROP TABLE extension_requests;
ALTER TABLE extension_requests_old RENAME TO extension_requests;
CREATE UNIQUE INDEX extension_requests_one_pending ON extension_requests(task_id)
  WHERE state = 'pending';
CREATE INDEX extension_requests_task ON extension_requests(task_id, id);
CREATE INDEX extension_requests_unit ON extension_requests(unit_id, id);
)sql";

// What migration 11 added (passwords and sessions), taken away again (and 12 undone).
const std::string kUndoVersion11 =
    kUndoVersion12 +
    "DROP TRIGGER sessions_ended_credentials; DROP TABLE sessions; ALTER TABLE users DROP COLUMN "
    "password_hash; ALTER TABLE users DROP COLUMN must_change_password;";

// What migration 10 took away, put back (and 11 undone): every older file has it.
const std::string kUndoVersion10 =
    kUndoVersion11 + "CREATE INDEX task_events_at ON task_events(at);";

// What migrations 7 and 8 added, taken away again (and 10 undone): with this a test can set
// user_version back to before 7 and have the file look as that version left it.
const std::string kUndoVersions7And8 =
    kUndoVersion10 +
    "ALTER TABLE tasks DROP COLUMN coordinating_units; DROP TRIGGER users_inserted_credentials; "
    "DROP TRIGGER users_updated_credentials; "
    "DROP TRIGGER users_deleted_credentials; DROP TRIGGER api_tokens_inserted_credentials; "
    "DROP TRIGGER api_tokens_updated_credentials; DROP TRIGGER api_tokens_deleted_credentials; "
    "DROP TABLE credentials_generation;";

void exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

class SqliteStore : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.path = dir_.file("dondoc.db");
    store_ = storage::open_sqlite_store(options_);
    store_->write([&](storage::WriteTx& tx) {
      domain::Unit u;
      u.code = "SXD";
      u.name = "Sở Xây dựng";
      unit_ = tx.insert_unit(u, "sxd so xay dung");
      u.code = "STC";
      u.name = "Sở Tài chính";
      other_unit_ = tx.insert_unit(u, "stc so tai chinh");
    });
  }

  Task sample(const std::string& title) const {
    Task t;
    t.title = title;
    t.source_ref = "45/TB-UBND";
    t.assigned_on = d("2025-02-20");
    t.lead_unit_id = unit_;
    t.due_on = d("2025-03-31");
    return t;
  }

  domain::TaskId insert(const Task& t) {
    domain::TaskId id = 0;
    store_->write([&](storage::WriteTx& tx) { id = tx.insert_task(t, t.title, std::nullopt); });
    return id;
  }

  dondoc::testing::TempDir dir_;
  storage::SqliteOptions options_;
  std::unique_ptr<storage::Store> store_;
  domain::UnitId unit_ = 0;
  domain::UnitId other_unit_ = 0;
};

}  // namespace

namespace {

// Runs a query and returns its rows, one string each (columns joined by '|'), for comparing a
// table before and after a migration.
std::vector<std::string> rows_of(const std::string& path, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int n, char** values, char**) {
        std::string row;
        for (int i = 0; i < n; ++i) {
          row += (values[i] ? values[i] : "NULL") + std::string("|");
        }
        static_cast<std::vector<std::string>*>(out)->push_back(row);
        return 0;
      },
      &rows, nullptr);
  sqlite3_close(db);
  return rows;
}

// The result code of one statement run with foreign keys on, as the daemon runs them.
int exec_code(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

// Version 6's checks as its migration writes them, and version 5's.
const std::string kStateCheck6 = "state = ''open'' OR state = ''reported'' OR state = ''done''\n" +
                                 std::string(29, ' ') +
                                 "OR state = ''suspended'' OR state = ''cancelled''";
const std::string kStateCheck5 =
    "state IN (''open'',''reported'',''done'',''suspended'',''cancelled'')";
const std::string kOutcomeCheck6 = "outcome = ''ok'' OR outcome = ''unauthorized''\n" +
                                   std::string(31, ' ') + "OR outcome = ''forbidden''";
const std::string kOutcomeCheck5 = "outcome IN (''ok'',''unauthorized'',''forbidden'')";

}  // namespace

TEST_F(SqliteStore, HistoryIsAppendOnly) {
  const auto id = insert(sample("x"));
  store_->write([&](storage::WriteTx& tx) {
    domain::TaskEvent e;
    e.task_id = id;
    e.actor = "office";
    e.kind = domain::EventKind::created;
    e.effective_on = d("2025-03-03");
    e.changes = {{"title", std::nullopt, "x"}};
    tx.append_event(e);
  });
  std::vector<domain::TaskEvent> history;
  store_->read([&](storage::ReadTx& tx) { history = tx.task_history(id); });
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].changes[0], (domain::FieldChange{"title", std::nullopt, "x"}));
  sqlite3* db = nullptr;
  sqlite3_open(options_.path.c_str(), &db);
  EXPECT_NE(
      sqlite3_exec(db, "UPDATE task_events SET actor = 'someone else'", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM task_events", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// Reads and writes must not leave a snapshot open behind them (a stepped, unreset statement does):
// one that stays open stops every checkpoint and the WAL grows without bound.
TEST_F(SqliteStore, NoSnapshotOutlivesItsTransaction) {
  const auto id = insert(sample("x"));
  store_->read([&](storage::ReadTx& tx) {
    tx.find_task(id);
    tx.find_unit(unit_);
    tx.task_history(id);
  });
  store_->write([&](storage::WriteTx& tx) { tx.find_task(id); });
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(options_.path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "SELECT count(*) FROM tasks", nullptr, nullptr, nullptr), SQLITE_OK);
  int wal_pages = -1;
  int copied = -1;
  EXPECT_EQ(sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &wal_pages, &copied),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  EXPECT_EQ(wal_pages, 0) << "the WAL could not be truncated: a snapshot is still open";
  sqlite3_close(db);
}

TEST(StoreOpen, RefusesADatabaseFromANewerVersionAndLeavesItAlone) {
  dondoc::testing::TempDir dir;
  storage::SqliteOptions o;
  o.path = dir.file("dondoc.db");
  storage::open_sqlite_store(o).reset();
  exec_sql(o.path, "PRAGMA user_version = 99");
  try {
    storage::open_sqlite_store(o);
    FAIL() << "a newer database must be refused";
  } catch (const domain::StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99, newer than this dondocd supports (" +
                                         std::to_string(storage::latest_schema_version()) + ")"),
              std::string::npos)
        << e.what();
  }
}

TEST(StoreOpen, RefusesADamagedFileAndNeverRecreatesIt) {
  dondoc::testing::TempDir dir;
  storage::SqliteOptions o;
  o.path = dir.file("dondoc.db");
  {
    std::ofstream f(o.path, std::ios::binary);
    f << "this is not a database, but somebody's file" << std::string(5000, 'x');
  }
  const auto size = std::filesystem::file_size(o.path);
  EXPECT_THROW(storage::open_sqlite_store(o), domain::StorageError);
  EXPECT_EQ(std::filesystem::file_size(o.path), size);
}

TEST(StoreOpen, MigratesAFreshFileToTheLatestVersion) {
  dondoc::testing::TempDir dir;
  storage::SqliteOptions o;
  o.path = dir.file("sub/dir/dondoc.db");
  EXPECT_EQ(storage::migrate_sqlite_database(o), 0);
  EXPECT_EQ(storage::migrate_sqlite_database(o), storage::latest_schema_version());
  auto store = storage::open_sqlite_store(o);
  EXPECT_EQ(store->schema_version(), storage::latest_schema_version());
  EXPECT_EQ(store->durability(), "full");
}

// Version 5 added units' history: units that existed before start theirs with a `created` entry.
TEST(StoreOpen, UnitsFromBeforeVersion5GetAHistory) {
  dondoc::testing::TempDir dir;
  storage::SqliteOptions o;
  o.path = dir.file("dondoc.db");
  o.synchronous_full = false;
  domain::UnitId id = 0;
  {
    auto store = storage::open_sqlite_store(o);
    domain::Unit u;
    u.code = "SGTVT";
    u.name = "Sở Giao thông vận tải";
    u.created_at = u.updated_at = domain::from_unix_millis(1700000000000);
    store->write([&](storage::WriteTx& tx) { id = tx.insert_unit(u, "sgtvt"); });
  }
  // The database as version 4 left it: the unit, without a history table.
  exec_sql(o.path, kUndoVersions7And8 + "DROP TABLE unit_events; PRAGMA user_version = 4;");
  auto store = storage::open_sqlite_store(o);
  EXPECT_EQ(store->schema_version(), storage::latest_schema_version());
  std::vector<domain::UnitEvent> history;
  store->read([&](storage::ReadTx& tx) { history = tx.unit_history(id); });
  ASSERT_EQ(history.size(), 1U);
  EXPECT_EQ(history[0].kind, domain::UnitEventKind::created);
  EXPECT_EQ(history[0].at, domain::from_unix_millis(1700000000000));
  EXPECT_TRUE(history[0].changes.empty());
  store.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(o.path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "DELETE FROM unit_events", nullptr, nullptr, nullptr),
            SQLITE_CONSTRAINT)
      << "history is append-only";
  sqlite3_close(db);
}

// Version 6 rebuilt `tasks` and `audit_log` to write their IN-list checks as comparisons. A
// database as version 5 left it (the old checks, put back here) keeps every row, id, index,
// trigger and reference, and the checks still refuse what they refused.
TEST_F(SqliteStore, Version6KeepsTasksAndTheAuditLogWhole) {
  std::vector<domain::TaskId> ids;
  for (int i = 0; i < 40; ++i) {
    Task t = sample("Nhiệm vụ số " + std::to_string(i));
    t.coordinating_unit_ids = {other_unit_};
    if (i % 3 == 0) {
      t.state = LifecycleState::done;
      t.completed_on = d("2025-03-20");
    }
    ids.push_back(insert(t));
  }
  store_->write([&](storage::WriteTx& tx) {
    storage::ReminderSchedule schedule;
    schedule.next_at = domain::from_unix_millis(1740000000000);
    schedule.reminded_through = domain::from_unix_millis(1739000000000);
    tx.set_reminder_schedule(ids[1], schedule);
    for (const char* outcome : {"ok", "unauthorized", "forbidden"}) {
      domain::AuditEntry a;
      a.actor = "vanphong";
      a.action = "task.create";
      a.outcome = outcome;
      tx.append_audit(a);
    }
  });
  store_.reset();
  const std::string path = options_.path;
  const std::string tasks = "SELECT * FROM tasks ORDER BY id";
  const std::string audit = "SELECT * FROM audit_log ORDER BY id";
  const std::string objects =
      "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') "
      "AND tbl_name IN ('tasks', 'audit_log') ORDER BY name";
  const auto tasks_before = rows_of(path, tasks);
  const auto audit_before = rows_of(path, audit);
  // What versions 1-5 made for these tables; the rebuild must leave each as it was.
  const std::vector<std::string> objects_of_version_5 = {
      "index|audit_log_actor|CREATE INDEX audit_log_actor ON audit_log(actor, id)|",
      "trigger|audit_log_no_delete|CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON "
      "audit_log\nBEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END|",
      "trigger|audit_log_no_update|CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON "
      "audit_log\nBEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END|",
      "index|tasks_assigned|CREATE INDEX tasks_assigned ON tasks(assigned_on)|",
      // (version 13's two and version 14's one, made after the rebuild by their own migrations)
      "index|tasks_key|CREATE INDEX tasks_key ON tasks(state, due_on) WHERE key_task = 1|",
      "index|tasks_lead_state_due|CREATE INDEX tasks_lead_state_due ON tasks(lead_unit_id, "
      "state, due_on)|",
      "index|tasks_leader_state_due|CREATE INDEX tasks_leader_state_due ON tasks(leader_id, "
      "state, due_on)\n  WHERE leader_id IS NOT NULL|",
      "index|tasks_next_reminder|CREATE INDEX tasks_next_reminder ON tasks(next_reminder_at) "
      "WHERE next_reminder_at IS NOT NULL|",
      "index|tasks_series|CREATE UNIQUE INDEX tasks_series ON tasks(series_id, series_index) "
      "WHERE series_id IS NOT NULL|",
      "index|tasks_source_ref|CREATE INDEX tasks_source_ref ON tasks(source_ref)|",
      "index|tasks_state_due|CREATE INDEX tasks_state_due ON tasks(state, due_on)|"};
  ASSERT_EQ(tasks_before.size(), 40u);
  // Back to version 5's checks, as a database written by the previous release has them.
  exec_sql(path, kUndoVersions7And8 +
                     "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = "
                     "replace(replace(sql, '" +
                     kStateCheck6 + "', '" + kStateCheck5 + "'), '" + kOutcomeCheck6 + "', '" +
                     kOutcomeCheck5 +
                     "') WHERE name IN ('tasks', 'audit_log');"
                     "PRAGMA writable_schema = OFF; PRAGMA user_version = 5;");
  const std::string old_checks =
      "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%state IN (''open''%' "
      "OR sql LIKE '%outcome IN (''ok''%'";
  ASSERT_EQ(rows_of(path, old_checks), std::vector<std::string>{"2|"})
      << "the test did not put version 5's checks back";

  store_ = storage::open_sqlite_store(options_);
  EXPECT_EQ(store_->schema_version(), storage::latest_schema_version());
  store_.reset();
  EXPECT_EQ(rows_of(path, old_checks), std::vector<std::string>{"0|"});
  EXPECT_EQ(rows_of(path, tasks), tasks_before);
  EXPECT_EQ(rows_of(path, audit), audit_before);
  EXPECT_EQ(rows_of(path, objects), objects_of_version_5);
  EXPECT_TRUE(rows_of(path, "PRAGMA foreign_key_check").empty());
  EXPECT_EQ(rows_of(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok|"});
  // The checks, the references and the append-only rule still hold.
  const std::string first = std::to_string(ids[0]);
  EXPECT_EQ(exec_code(path, "UPDATE tasks SET state = 'lost' WHERE id = " + first),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(exec_code(path, "UPDATE tasks SET lead_unit_id = 999 WHERE id = " + first),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(exec_code(path, "DELETE FROM tasks WHERE id = " + first), SQLITE_CONSTRAINT)
      << "its lead-unit row refers to it";
  EXPECT_EQ(exec_code(path,
                      "INSERT INTO audit_log (at, actor, action, outcome) "
                      "VALUES (0, 'x', 'y', 'maybe')"),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(exec_code(path, "DELETE FROM audit_log"), SQLITE_CONSTRAINT);
  EXPECT_EQ(
      exec_code(path, "UPDATE tasks SET state = 'suspended' WHERE id = " + std::to_string(ids[1])),
      SQLITE_OK);
}

// Under steady writes the WAL starts again from its beginning after each checkpoint rather than
// growing to the size that forces a restart (about 40 MiB): a growing file makes every commit's
// fdatasync also write the file's new size. The writes here are one commit each, one after the
// other, as a lone client makes them.
TEST_F(SqliteStore, UnderSteadyWritesTheWalStaysSmall) {
  std::uintmax_t largest = 0;
  const std::string wal = options_.path + "-wal";
  for (int i = 0; i < 3000; ++i) {
    insert(sample("Báo cáo tiến độ giải ngân, nhiệm vụ số " + std::to_string(i)));
    if (i % 50 == 0 && std::filesystem::exists(wal)) {
      largest = std::max(largest, std::filesystem::file_size(wal));
    }
  }
  // 3,000 commits of several pages each: over 40 MiB of WAL if it never starts again.
  EXPECT_LT(largest, 16u << 20) << "the WAL reached " << (largest >> 20) << " MiB";
}

// Version 7: the credentials generation moves on with every change to a user or a token, by
// whatever writes it (here a plain sqlite3 connection, as an administrator's shell would), and
// with nothing else.
TEST_F(SqliteStore, TheCredentialsGenerationMovesWithEveryAccountChangeOnly) {
  auto generation = [&] {
    std::int64_t g = 0;
    store_->read([&](storage::ReadTx& tx) { g = tx.credentials_generation(); });
    return g;
  };
  const auto start = generation();
  domain::UserId user = 0;
  store_->write([&](storage::WriteTx& tx) {
    domain::User u;
    u.login = "vanphong";
    u.display_name = "Văn phòng UBND tỉnh";
    u.role = domain::Role::office;
    user = tx.insert_user(u);
  });
  const auto after_user = generation();
  EXPECT_GT(after_user, start);
  insert(sample("Báo cáo tình hình thực hiện Thông báo 45/TB-UBND"));
  EXPECT_EQ(generation(), after_user) << "a task is not an account";
  domain::TokenId token = 0;
  store_->write([&](storage::WriteTx& tx) {
    domain::ApiToken t;
    t.user_id = user;
    t.secret_sha256 = std::string(64, 'a');
    token = tx.insert_token(t);
  });
  const auto after_token = generation();
  EXPECT_GT(after_token, after_user);
  const std::string path = options_.path;
  store_.reset();
  for (const std::string& sql :
       {"UPDATE api_tokens SET revoked_at = 1 WHERE id = " + std::to_string(token),
        "UPDATE users SET active = 0 WHERE id = " + std::to_string(user),
        "DELETE FROM api_tokens WHERE id = " + std::to_string(token)}) {
    const auto before = rows_of(path, "SELECT generation FROM credentials_generation");
    exec_sql(path, sql);
    EXPECT_NE(rows_of(path, "SELECT generation FROM credentials_generation"), before) << sql;
  }
}

// Version 11 adds passwords and sessions: a user of an older file has none. Ending a session
// moves the credentials generation (the daemon trusts a remembered caller only while it stands
// still); a new session, or a request seen, does not.
TEST_F(SqliteStore, Version11AddsPasswordsAndSessionsToExistingUsers) {
  domain::UserId user = 0;
  store_->write([&](storage::WriteTx& tx) {
    domain::User u;
    u.login = "lanhdao";
    u.display_name = "Chủ tịch UBND tỉnh";
    u.role = domain::Role::leader;
    user = tx.insert_user(u);
  });
  const std::string path = options_.path;
  store_.reset();
  exec_sql(path, kUndoVersion11 + "PRAGMA user_version = 10;");
  store_ = storage::open_sqlite_store(options_);
  std::optional<domain::User> found;
  std::string hash = "unset";
  store_->read([&](storage::ReadTx& tx) {
    found = tx.find_user(user);
    hash = tx.password_hash(user);
  });
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_password);
  EXPECT_FALSE(found->must_change_password);
  EXPECT_EQ(hash, "");

  auto generation = [&] {
    std::int64_t g = 0;
    store_->read([&](storage::ReadTx& tx) { g = tx.credentials_generation(); });
    return g;
  };
  const auto start = generation();
  domain::SessionId session = 0;
  store_->write([&](storage::WriteTx& tx) {
    domain::Session x;
    x.user_id = user;
    x.csrf_token = "c";
    x.created_at = x.last_seen_at = domain::from_unix_millis(1000);
    x.expires_at = domain::from_unix_millis(2000);
    session = tx.insert_session(x);
    tx.set_session_hash(session, std::string(64, 'b'));
    tx.touch_session(session, domain::from_unix_millis(1500));
  });
  EXPECT_EQ(generation(), start) << "a new session and a request seen change no credential";
  store_->write([&](storage::WriteTx& tx) {
    EXPECT_EQ(tx.end_session(session, domain::from_unix_millis(1600)), 1);
    EXPECT_EQ(tx.end_session(session, domain::from_unix_millis(1700)), 0) << "ended once";
  });
  EXPECT_GT(generation(), start) << "an ended session is a revoked credential";
}

// Version 8 keeps a task's coordinating units in its own row too: filled from task_units by the
// upgrade, and written with every task after it, in step with task_units.
TEST_F(SqliteStore, Version8ReadsCoordinatingUnitsFromTheTaskRow) {
  domain::UnitId third = 0;
  store_->write([&](storage::WriteTx& tx) {
    domain::Unit u;
    u.code = "SNV";
    u.name = "Sở Nội vụ";
    third = tx.insert_unit(u, "snv so noi vu");
  });
  Task both = sample("Rà soát quy hoạch sử dụng đất");
  both.coordinating_unit_ids = {third, other_unit_};
  const auto with_two = insert(both);
  const auto with_none = insert(sample("Báo cáo kết quả giải ngân quý I"));
  const std::string path = options_.path;
  store_.reset();
  exec_sql(path, kUndoVersion10 +
                     "ALTER TABLE tasks DROP COLUMN coordinating_units; ALTER TABLE audit_log DROP "
                     "COLUMN count; ALTER TABLE audit_log DROP COLUMN last_at; PRAGMA "
                     "user_version = 7;");
  store_ = storage::open_sqlite_store(options_);
  const std::vector<domain::UnitId> expected{std::min(third, other_unit_),
                                             std::max(third, other_unit_)};
  std::optional<Task> two, none;
  storage::PageResult<Task> page;
  store_->read([&](storage::ReadTx& tx) {
    two = tx.find_task(with_two);
    none = tx.find_task(with_none);
    storage::TaskQuery q;
    q.limit = 10;
    page = tx.list_tasks(q);
  });
  EXPECT_EQ(two->coordinating_unit_ids, expected);
  EXPECT_TRUE(none->coordinating_unit_ids.empty());
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].coordinating_unit_ids, expected);
  EXPECT_TRUE(page.items[1].coordinating_unit_ids.empty());

  // An update rewrites both copies alike.
  Task changed = *two;
  changed.coordinating_unit_ids = {third};
  store_->write([&](storage::WriteTx& tx) { tx.update_task(changed, changed.title); });
  store_.reset();
  EXPECT_EQ(
      rows_of(path, "SELECT coordinating_units FROM tasks WHERE id = " + std::to_string(with_two)),
      std::vector<std::string>{std::to_string(third) + "|"});
  EXPECT_EQ(rows_of(path,
                    "SELECT group_concat(unit_id) FROM task_units WHERE role = "
                    "'coordinating' AND task_id = " +
                        std::to_string(with_two)),
            std::vector<std::string>{std::to_string(third) + "|"});
}

// Group commit: concurrent writes share commits, and one that fails is undone alone.
TEST_F(SqliteStore, AFailingWriteFailsAloneAndTheOthersCommitTogether) {
  constexpr int kWriters = 48;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      try {
        store_->write([&](storage::WriteTx& tx) {
          Task t = sample("task " + std::to_string(i));
          tx.insert_task(t, t.title, std::nullopt);
          if (i % 8 == 0) {
            throw domain::Conflict("refused on purpose");
          }
        });
        ++ok;
      } catch (const domain::Conflict&) {
        ++failed;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok, kWriters - kWriters / 8);
  EXPECT_EQ(failed, kWriters / 8);
  storage::TaskQuery q;
  q.limit = 1000;
  std::int64_t total = 0;
  store_->read([&](storage::ReadTx& tx) { total = tx.list_tasks(q).total; });
  EXPECT_EQ(total, kWriters - kWriters / 8);  // the failed ones left nothing behind
  const auto stats = store_->stats();
  EXPECT_EQ(stats.writes, static_cast<std::uint64_t>(kWriters - kWriters / 8 + 1));
  EXPECT_LT(stats.commits, stats.writes + stats.failed_writes) << "no two writes shared a commit";
}

// An event loop's reads share one snapshot until the loop ends it; other reads never join it.
TEST_F(SqliteStore, ASharedSnapshotLastsUntilItsLoopEndsIt) {
  const auto first = insert(sample("Báo cáo tiến độ thực hiện Kết luận 45/TB-UBND"));
  int begun = 0;
  auto last_id = [&] {
    domain::TaskId id = 0;
    store_->read_shared([&](storage::ReadTx& tx) { id = tx.last_task_id(); }, [&] { ++begun; });
    return id;
  };
  EXPECT_EQ(last_id(), first);
  EXPECT_EQ(begun, 1);
  const auto second = insert(sample("Rà soát hồ sơ thủ tục hành chính"));
  // Committed after the shared snapshot began: not in it, but in any other read.
  EXPECT_EQ(last_id(), first);
  EXPECT_EQ(begun, 1) << "the second read joined the snapshot";
  domain::TaskId fresh = 0;
  store_->read([&](storage::ReadTx& tx) { fresh = tx.last_task_id(); });
  EXPECT_EQ(fresh, second);
  std::thread other([&] {
    domain::TaskId seen = 0;
    store_->read_shared([&](storage::ReadTx& tx) { seen = tx.last_task_id(); }, [] {});
    EXPECT_EQ(seen, second) << "another thread's loop has a snapshot of its own";
    store_->end_shared_read();
  });
  other.join();
  store_->end_shared_read();
  EXPECT_EQ(last_id(), second);
  EXPECT_EQ(begun, 2);
  // A failing read ends the snapshot it was in.
  EXPECT_THROW(store_->read_shared([](storage::ReadTx&) { throw domain::NotFound("x"); }, [] {}),
               domain::NotFound);
  const auto third = insert(sample("Tổng hợp kiến nghị của cử tri"));
  EXPECT_EQ(last_id(), third);
  EXPECT_EQ(begun, 3);
}

// Version 10 drops the index of history by time, which no query read: reading what changed since
// a report's date goes through each task's own events.
TEST_F(SqliteStore, Version10LeavesHistoryIndexedByTaskOnly) {
  const std::string path = options_.path;
  store_.reset();
  EXPECT_TRUE(
      rows_of(path, "SELECT name FROM sqlite_master WHERE name = 'task_events_at'").empty());
  const auto plan =
      rows_of(path,
              "EXPLAIN QUERY PLAN SELECT id FROM task_events WHERE task_id IN "
              "(SELECT value FROM json_each('[1,2]')) AND at >= 0 ORDER BY task_id, id");
  ASSERT_FALSE(plan.empty());
  EXPECT_NE(plan[0].find("task_events_task"), std::string::npos) << plan[0];
}

// Version 12 closes the requests that went stale before it (their task reported, done,
// cancelled, suspended, given to another unit or moved by the Office), at the time their task last
// changed, with a history entry each; a request that can still be decided stays pending. And a
// task extended after the Office had moved its deadline gets its first deadline back as
// original_due_on.
TEST_F(SqliteStore, Version12ClosesStaleExtensionRequestsAndFindsTheFirstDeadline) {
  struct Case {
    const char* title;
    LifecycleState state;
    bool other_lead;
    std::optional<Date> due_now;
    const char* closure;  // expected; "" for still pending
  };
  const std::vector<Case> cases = {
      {"Báo cáo giải ngân vốn đầu tư công", LifecycleState::reported, false, d("2025-03-31"),
       "task_reported"},
      {"Rà soát quy hoạch sử dụng đất", LifecycleState::done, false, d("2025-03-31"), "task_done"},
      {"Kiểm tra an toàn công trình", LifecycleState::cancelled, false, d("2025-03-31"),
       "task_cancelled"},
      {"Tổng kết phong trào thi đua", LifecycleState::suspended, false, d("2025-03-31"),
       "task_suspended"},
      {"Đề xuất danh mục dự án", LifecycleState::open, true, d("2025-03-31"), "lead_unit_changed"},
      {"Hoàn thiện hồ sơ quy hoạch", LifecycleState::open, false, d("2025-04-15"),
       "deadline_changed"},
      {"Báo cáo tình hình thực hiện", LifecycleState::open, false, d("2025-03-31"), ""},
  };
  std::vector<domain::TaskId> ids;
  for (const auto& c : cases) {
    Task t = sample(c.title);
    ids.push_back(insert(t));
  }
  store_->write([&](storage::WriteTx& tx) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      domain::ExtensionRequest r;
      r.task_id = ids[i];
      r.unit_id = unit_;
      r.requested_by = "sxd";
      r.current_due_on = d("2025-03-31");
      r.proposed_due_on = d("2025-05-30");
      r.reason = "Chờ ý kiến của Bộ Xây dựng";
      r.created_at = r.updated_at = domain::from_unix_millis(1000);
      tx.insert_extension(r);
      Task t = *tx.find_task(ids[i]);
      t.state = cases[i].state;
      if (t.state == LifecycleState::reported || t.state == LifecycleState::done) {
        t.completed_on = d("2025-03-20");
      }
      if (cases[i].other_lead) {
        t.lead_unit_id = other_unit_;
      }
      t.due_on = cases[i].due_now;
      t.updated_at = domain::from_unix_millis(5000 + static_cast<std::int64_t>(i));
      tx.update_task(t, t.title);
    }
  });
  // A task whose deadline the Office moved (2025-03-31 -> 2025-04-10) before an extension
  // (-> 2025-05-10): version 11 kept 2025-04-10 as the original.
  Task moved = sample("Xây dựng kế hoạch phát triển nhà ở");
  moved.due_on = d("2025-05-10");
  moved.original_due_on = d("2025-04-10");
  moved.extension_count = 1;
  const auto moved_id = insert(moved);
  store_->write([&](storage::WriteTx& tx) {
    domain::TaskEvent created;
    created.task_id = moved_id;
    created.at = domain::from_unix_millis(100);
    created.actor = "vanphong";
    created.kind = domain::EventKind::created;
    created.effective_on = d("2025-03-03");
    created.changes = {{"due_on", std::nullopt, "2025-03-31"}};
    tx.append_event(created);
    domain::TaskEvent edited = created;
    edited.kind = domain::EventKind::updated;
    edited.changes = {{"due_on", "2025-03-31", "2025-04-10"}};
    tx.append_event(edited);
    domain::TaskEvent extended = created;
    extended.kind = domain::EventKind::extension_approved;
    extended.changes = {{"due_on", "2025-04-10", "2025-05-10"},
                        {"original_due_on", std::nullopt, "2025-04-10"}};
    tx.append_event(extended);
  });
  const std::string path = options_.path;
  store_.reset();
  exec_sql(path, kUndoVersion12 + "PRAGMA user_version = 11;");
  store_ = storage::open_sqlite_store(options_);

  store_->read([&](storage::ReadTx& tx) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      SCOPED_TRACE(cases[i].title);
      const auto requests = tx.task_extensions(ids[i]);
      ASSERT_EQ(requests.size(), 1u);
      const auto& r = requests[0];
      EXPECT_EQ(domain::to_string(r.closure), cases[i].closure);
      EXPECT_EQ(r.origin, domain::ExtensionOrigin::unit);
      const auto history = tx.task_history(ids[i]);
      if (*cases[i].closure == '\0') {
        EXPECT_EQ(r.state, domain::ExtensionState::pending);
        EXPECT_TRUE(history.empty());
        continue;
      }
      EXPECT_EQ(r.state, domain::ExtensionState::closed);
      EXPECT_EQ(r.decided_at, domain::from_unix_millis(5000 + static_cast<std::int64_t>(i)));
      EXPECT_EQ(r.note.rfind("Tự đóng: ", 0), 0u) << r.note;
      ASSERT_EQ(history.size(), 1u);
      EXPECT_EQ(history[0].kind, domain::EventKind::extension_closed);
      EXPECT_EQ(history[0].actor, "system");
      EXPECT_NE(history[0].note.find(r.note), std::string::npos) << history[0].note;
    }
    EXPECT_EQ(tx.find_task(moved_id)->original_due_on, d("2025-03-31"));
  });
}
