// The writer's WAL writes gathered into one per commit (wal_write_buffer.hpp): fewer system
// calls, and nothing else changes: what a commit wrote is there for every other connection and
// after a crash, what was not committed never is.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "connection.hpp"
#include "temp_dir.hpp"
#include "wal_write_buffer.hpp"

using dondoc::storage::sqlite::Connection;
using dondoc::storage::sqlite::wal_write_counts;
using dondoc::testing::TempDir;

namespace {

constexpr int kBusyMs = 2000;

void make_table(Connection& c) {
  c.db().exec("PRAGMA journal_mode = WAL");
  c.db().exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  c.db().exec("CREATE INDEX IF NOT EXISTS t_body ON t(body)");
}

// Inserts `rows` rows of `size` bytes in one transaction.
void insert_rows(Connection& c, int rows, int size, char fill) {
  c.db().exec("BEGIN IMMEDIATE");
  auto& insert = c.statement("INSERT INTO t (body) VALUES (?)");
  for (int i = 0; i < rows; ++i) {
    insert.reset();
    insert.bind(1, std::to_string(i) + std::string(static_cast<std::size_t>(size), fill));
    insert.exec();
  }
  c.reset_statements();
  c.db().exec("COMMIT");
}

std::int64_t count_rows(const std::string& path) {
  Connection reader(path, Connection::Mode::read_only, true, kBusyMs);
  return reader.db().execAndGet("SELECT count(*) FROM t").getInt64();
}

}  // namespace

TEST(WalWriteBuffer, ACommitOfManyPagesReachesTheFileAsOneWrite) {
  TempDir dir;
  const auto path = dir.file("gathered.db");
  Connection writer(path, Connection::Mode::read_write_gathered, true, kBusyMs);
  make_table(writer);
  const auto before = wal_write_counts();
  insert_rows(writer, 40, 400, 'a');  // a few dozen pages: table and index
  const auto after = wal_write_counts();
  EXPECT_GE(after.received - before.received, 10u) << "SQLite wrote the frames one by one";
  EXPECT_EQ(after.issued - before.issued, 1u) << "and they reached the file as one write";
  EXPECT_EQ(count_rows(path), 40) << "another connection sees the commit";

  // Beyond what the default VFS takes in one call (128 KiB): a few writes, all of them there.
  insert_rows(writer, 300, 1500, 'b');
  const auto large = wal_write_counts();
  EXPECT_GE(large.issued - after.issued, 4u);
  EXPECT_LE((large.issued - after.issued) * 10, large.received - after.received);
  EXPECT_EQ(count_rows(path), 340);
}

TEST(WalWriteBuffer, WithoutFullSyncNothingIsHeld) {
  // A commit under synchronous=NORMAL is published without a sync: holding its writes would
  // show readers frames that are not in the file yet, so the connection uses the plain VFS.
  TempDir dir;
  const auto path = dir.file("normal.db");
  Connection writer(path, Connection::Mode::read_write_gathered, false, kBusyMs);
  make_table(writer);
  const auto before = wal_write_counts();
  insert_rows(writer, 40, 400, 'a');
  EXPECT_EQ(wal_write_counts().received, before.received);
  EXPECT_EQ(count_rows(path), 40);
}

TEST(WalWriteBuffer, ATransactionLargerThanTheCacheAndTheHoldKeepsEveryRow) {
  // A page cache of 20 pages makes SQLite spill frames to the WAL before the commit, read some
  // back and rewrite some in place; 12 MB of rows also passes the most the VFS holds at once.
  TempDir dir;
  const auto path = dir.file("large.db");
  {
    Connection writer(path, Connection::Mode::read_write_gathered, true, kBusyMs);
    make_table(writer);
    writer.db().exec("PRAGMA cache_size = 20");
    writer.db().exec("BEGIN IMMEDIATE");
    auto& insert = writer.statement("INSERT INTO t (body) VALUES (?)");
    for (int i = 0; i < 6000; ++i) {
      insert.reset();
      insert.bind(1, std::to_string(i) + std::string(2000, 'b'));
      insert.exec();
    }
    writer.reset_statements();
    writer.db().exec("UPDATE t SET body = 'c' || body WHERE id % 3 = 0");
    writer.db().exec("COMMIT");
  }
  Connection check(path, Connection::Mode::read_only, true, kBusyMs);
  EXPECT_EQ(check.db().execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(check.db().execAndGet("SELECT count(*) FROM t").getInt64(), 6000);
  EXPECT_EQ(check.db().execAndGet("SELECT count(*) FROM t WHERE body LIKE 'c%'").getInt64(), 2000);
}

TEST(WalWriteBuffer, AProcessThatDiesKeepsWhatItCommittedAndNothingElse) {
  TempDir dir;
  const auto path = dir.file("crash.db");
  {
    Connection setup(path, Connection::Mode::read_write, true, kBusyMs);
    make_table(setup);
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // No destructor runs: the connection is never closed, its last transaction never ends.
    Connection writer(path, Connection::Mode::read_write_gathered, true, kBusyMs);
    insert_rows(writer, 25, 300, 'd');
    writer.db().exec("PRAGMA cache_size = 10");
    writer.db().exec("BEGIN IMMEDIATE");
    for (int i = 0; i < 500; ++i) {
      writer.db().exec("INSERT INTO t (body) VALUES ('uncommitted " + std::to_string(i) + "')");
    }
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  Connection check(path, Connection::Mode::read_write, true, kBusyMs);
  EXPECT_EQ(check.db().execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(check.db().execAndGet("SELECT count(*) FROM t").getInt64(), 25);
  EXPECT_EQ(
      check.db().execAndGet("SELECT count(*) FROM t WHERE body LIKE 'uncommitted%'").getInt64(), 0);
}
