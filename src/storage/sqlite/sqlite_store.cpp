#include "dondoc/storage/sqlite_store.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>

#include "connection.hpp"
#include "dondoc/domain/errors.hpp"
#include "sqlite_tx.hpp"

namespace dondoc::storage {

namespace {

using sqlite::Connection;

void ensure_parent_directory(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      throw domain::StorageError("cannot create directory " + parent.string() + " for database " +
                                 path + ": " + ec.message());
    }
  }
}

// Opens the writer connection and brings the file to the latest schema, refusing what must not
// be touched. Never deletes or recreates a file.
std::unique_ptr<Connection> open_writer(const SqliteOptions& o, int* found_version) {
  ensure_parent_directory(o.path);
  try {
    auto conn = std::make_unique<Connection>(o.path, Connection::Mode::read_write,
                                             o.synchronous_full, o.busy_timeout_ms);
    auto& db = conn->db();
    const std::string check = db.execAndGet("PRAGMA quick_check").getString();
    if (check != "ok") {
      throw domain::StorageError("database " + o.path + " failed quick_check (" + check +
                                 "); refusing to open it. Restore it from a backup.");
    }
    // WAL lets readers run beside the writer; the setting is stored in the file.
    db.exec("PRAGMA journal_mode = WAL");
    const int found = sqlite::migrate(db, o.path);
    if (found_version) {
      *found_version = found;
    }
    return conn;
  } catch (const SQLite::Exception& e) {
    throw domain::StorageError("cannot open database " + o.path + ": " + e.what());
  }
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const SqliteOptions& options)
      : options_(options), writer_conn_(open_writer(options, nullptr)) {
    version_ = sqlite::schema_version_of(writer_conn_->db());
  }

  ~SqliteStore() override {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    // Writes already queued finish; their callers are waiting for them.
    idle_.wait(lock, [&] { return queue_.empty() && !committing_; });
    spdlog::get("storage")->info("event=closed path={} commits={} writes={}", options_.path,
                                 commits_.load(), writes_.load());
  }

  // Group commit, leader/follower style: the caller that finds no commit in progress becomes the
  // leader, takes every queued request (its own included) into one transaction on the single
  // writer connection, commits, and wakes the others. Callers arriving meanwhile queue up and form
  // the next batch. Nobody returns before the COMMIT that carries their write has returned. A lone
  // writer commits on its own thread with no hand-off.
  void write(const std::function<void(WriteTx&)>& work) override {
    Job job;
    job.work = &work;
    std::unique_lock lock(mutex_);
    if (stopping_) {
      throw domain::StorageError("the database is closing; the write was not applied");
    }
    queue_.push_back(&job);
    while (!job.finished) {
      if (committing_) {
        job.wake.wait(lock);  // woken when our batch committed, or to lead the next one
        continue;
      }
      committing_ = true;
      const auto n = std::min<std::size_t>(queue_.size(), static_cast<std::size_t>(options_.max_batch));
      std::vector<Job*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      lock.unlock();
      run_batch(batch);
      lock.lock();
      committing_ = false;
      // Wake exactly who needs it: the members of this batch, and the first waiter of the next
      // (it becomes the leader). A broadcast would wake every queued thread only to sleep again.
      for (auto* j : batch) {
        j->finished = true;
        j->wake.notify_one();
      }
      if (!queue_.empty()) {
        queue_.front()->wake.notify_one();
      }
      idle_.notify_all();
    }
    if (job.error) {
      std::rethrow_exception(job.error);
    }
  }

  void read(const std::function<void(ReadTx&)>& work) override {
    auto conn = lease_reader();
    try {
      // One snapshot for the whole read: a list's count and its page agree.
      conn->statement("BEGIN").exec();
      sqlite::SqliteTx tx(*conn);
      work(tx);
      conn->statement("COMMIT").exec();
    } catch (...) {
      try {
        conn->db().exec("ROLLBACK");
      } catch (...) {
      }
      return_reader(std::move(conn));
      rethrow_as_domain();
    }
    return_reader(std::move(conn));
  }

  int schema_version() const override { return version_; }
  std::string durability() const override { return options_.synchronous_full ? "full" : "normal"; }
  StoreStats stats() const override { return {commits_.load(), writes_.load(), failed_.load()}; }

 private:
  struct Job {
    const std::function<void(WriteTx&)>* work = nullptr;
    std::exception_ptr error;
    bool finished = false;  // guarded by mutex_
    std::condition_variable wake;
  };

  // Lets domain errors through and turns SQLite's into StorageError, so that no SQLite type
  // escapes the storage module.
  [[noreturn]] static void rethrow_as_domain() {
    try {
      throw;
    } catch (const SQLite::Exception& e) {
      throw domain::StorageError(std::string("database error: ") + e.what());
    }
  }

  std::unique_ptr<Connection> lease_reader() {
    {
      std::lock_guard lock(readers_mutex_);
      if (!idle_readers_.empty()) {
        auto conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return conn;
      }
    }
    try {
      return std::make_unique<Connection>(options_.path, Connection::Mode::read_only,
                                          options_.synchronous_full, options_.busy_timeout_ms);
    } catch (const SQLite::Exception& e) {
      throw domain::StorageError(std::string("cannot open a read connection: ") + e.what());
    }
  }

  void return_reader(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(readers_mutex_);
    idle_readers_.push_back(std::move(conn));
  }

  // One transaction for the batch, a savepoint per request: a failing request is rolled back
  // alone; the others commit together, and everyone hears back only after COMMIT returned.
  void run_batch(const std::vector<Job*>& batch) {
    auto& db = writer_conn_->db();
    std::vector<std::exception_ptr> errors(batch.size());
    try {
      writer_conn_->statement("BEGIN IMMEDIATE").exec();
    } catch (const SQLite::Exception& e) {
      fail_all(batch, std::string("cannot begin a write transaction: ") + e.what());
      return;
    }
    sqlite::SqliteTx tx(*writer_conn_);
    std::size_t succeeded = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      try {
        writer_conn_->statement("SAVEPOINT request").exec();
        try {
          (*batch[i]->work)(tx);
          writer_conn_->statement("RELEASE request").exec();
          ++succeeded;
        } catch (...) {
          db.exec("ROLLBACK TO request");
          db.exec("RELEASE request");
          rethrow_as_domain();
        }
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
    try {
      writer_conn_->statement("COMMIT").exec();
    } catch (const SQLite::Exception& e) {
      try {
        db.exec("ROLLBACK");
      } catch (...) {
      }
      spdlog::get("storage")->error("event=commit_failed batch={} error=\"{}\"", batch.size(), e.what());
      fail_all(batch, std::string("the write could not be committed: ") + e.what());
      return;
    }
    commits_.fetch_add(1);
    writes_.fetch_add(succeeded);
    failed_.fetch_add(batch.size() - succeeded);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      batch[i]->error = errors[i];
    }
  }

  void fail_all(const std::vector<Job*>& batch, const std::string& why) {
    failed_.fetch_add(batch.size());
    for (auto* job : batch) {
      job->error = std::make_exception_ptr(domain::StorageError(why));
    }
  }

  SqliteOptions options_;
  std::unique_ptr<Connection> writer_conn_;
  int version_ = 0;

  std::mutex mutex_;
  std::condition_variable idle_;  // signalled after each batch, for the destructor
  std::deque<Job*> queue_;
  bool stopping_ = false;
  bool committing_ = false;  // a leader is running a batch on the writer connection

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;

  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> failed_{0};
};

std::shared_ptr<spdlog::logger> storage_logger() {
  auto logger = spdlog::get("storage");
  if (!logger) {
    logger = spdlog::default_logger()->clone("storage");
    spdlog::register_logger(logger);
  }
  return logger;
}

}  // namespace

int latest_schema_version() { return sqlite::latest_version(); }

std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options) {
  // SQLite's allocation statistics take a process-wide mutex on every malloc; dondocd never reads
  // them, and the lock serializes the serving threads. Must precede the first connection.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  storage_logger();
  auto store = std::make_unique<SqliteStore>(options);
  spdlog::get("storage")->info("event=opened path={} schema_version={} durability={}", options.path,
                               store->schema_version(), store->durability());
  return store;
}

int migrate_sqlite_database(const SqliteOptions& options) {
  int found = 0;
  open_writer(options, &found);
  return found;
}

}  // namespace dondoc::storage
