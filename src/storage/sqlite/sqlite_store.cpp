#include "dondoc/storage/sqlite_store.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>

#include "connection.hpp"
#include "dondoc/domain/errors.hpp"
#include "sql_helpers.hpp"
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
  std::error_code size_error;
  if (std::filesystem::exists(o.path, size_error) &&
      std::filesystem::file_size(o.path, size_error) == 0 && !size_error) {
    // SQLite would make it a fresh database: the register it once held would vanish silently.
    throw domain::StorageError("database " + o.path +
                               " is an empty file (0 bytes), not a dondoc database; refusing to "
                               "use it. Restore it from a backup, or remove it to start a new, "
                               "empty database.");
  }
  try {
    auto conn = std::make_unique<Connection>(o.path, Connection::Mode::read_write_gathered,
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

// The writer thread and what it runs. A request that writes is a Step: a function run inside a
// batch transaction (on the writer thread, or inline on the submitting thread when it is alone),
// plus a continuation called once the batch's COMMIT has returned. Every Store::write made by a
// step joins the batch in a savepoint of its own. `committing_` makes sure only one batch at a
// time uses the writer connection.
// The read transaction the calling thread is inside, if any (see SqliteStore::read).
struct CurrentRead {
  const void* store = nullptr;
  ReadTx* tx = nullptr;
};
thread_local CurrentRead current_read_;

// The snapshot an event loop's thread shares between the requests it has in hand (see
// Store::read_shared), owned by the store, which ends any left open when it closes.
struct SharedRead {
  std::unique_ptr<Connection> conn;  // leased from the readers while the snapshot is open
  std::optional<sqlite::SqliteTx> tx;
};
struct ThreadSharedRead {
  const void* store = nullptr;
  SharedRead* read = nullptr;
};
thread_local ThreadSharedRead shared_read_;

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const SqliteOptions& options)
      : options_(options), writer_conn_(open_writer(options, nullptr)) {
    version_ = sqlite::schema_version_of(writer_conn_->db());
    read_only_ = sqlite3_db_readonly(writer_conn_->db().getHandle(), "main") == 1;
    // Checkpoints (copying the WAL back into the database file, with its own fsync) run on a
    // thread of their own so that the writer only appends to the WAL; SQLite would otherwise do
    // them inside a commit every 1,000 pages.
    writer_conn_->db().exec("PRAGMA wal_autocheckpoint = 0");
    // When the WAL starts over, a file grown past this under a burst is cut back (bytes).
    writer_conn_->db().exec("PRAGMA journal_size_limit = 67108864");
    sqlite3_wal_hook(writer_conn_->db().getHandle(), &SqliteStore::on_wal_commit, this);
    checkpoint_conn_ =
        std::make_unique<Connection>(options.path, Connection::Mode::read_write,
                                     options.synchronous_full, options.busy_timeout_ms);
    writer_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "dondoc-writer");  // shows in top -H and gdb
      writer_loop();
    });
    checkpointer_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "dondoc-ckpt");
      checkpoint_loop();
    });
  }

  ~SqliteStore() override {
    // Snapshots left open by event loops stopped before they ended them (their threads have
    // been joined): ended first, or the final checkpoint could not empty the WAL.
    for (auto& shared : shared_reads_) {
      end_shared(*shared);
    }
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_writer_.notify_one();
    writer_.join();  // the loop drains the queue first: every accepted step runs and is answered
    {
      std::lock_guard lock(checkpoint_mutex_);
      checkpoint_stop_ = true;
    }
    checkpoint_wanted_.notify_one();
    checkpointer_.join();
    // Leave a short WAL behind: the next start opens faster and the file copies whole.
    try {
      writer_conn_->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const SQLite::Exception& e) {
      spdlog::get("storage")->warn("event=final_checkpoint_failed error=\"{}\"", e.what());
    }
    spdlog::get("storage")->info("event=closed path={} commits={} writes={}", options_.path,
                                 commits_.load(), writes_.load());
  }

  void submit(std::function<void()> step, std::function<void(bool)> after_commit,
              bool alone) override {
    std::unique_lock lock(mutex_);
    if (stopping_) {
      throw domain::StorageError("the database is closing; the write was not applied");
    }
    if (alone && !committing_ && queue_.empty()) {
      // Nothing else is being written and the caller has nothing else to serve: commit on the
      // caller's thread rather than wake the writer and wait to be woken back, two thread
      // hand-offs that cost more than the work on a virtual machine. A caller with other requests
      // waiting must not do this, or their writes would each get a commit of their own.
      committing_ = true;
      lock.unlock();
      std::vector<Step> just_this;
      just_this.push_back({std::move(step), std::move(after_commit)});
      run_batch(just_this);
      lock.lock();
      committing_ = false;
      if (!queue_.empty() || stopping_) {
        wake_writer_.notify_one();
      }
      return;
    }
    queue_.push_back({std::move(step), std::move(after_commit)});
    if (!committing_) {
      wake_writer_.notify_one();
    }
  }

  void write(const std::function<void(WriteTx&)>& work) override {
    if (in_batch_ == this) {
      run_in_savepoint(work);  // a step on the writer thread: join its batch
      return;
    }
    // Any other thread: become a step of the next batch and wait for its commit (or, if nothing
    // else is being written, commit right here: the caller is waiting anyway).
    std::mutex m;
    std::condition_variable cv;
    bool finished = false;
    bool committed = false;
    std::exception_ptr error;
    submit(
        [&] {
          try {
            run_in_savepoint(work);
          } catch (...) {
            error = std::current_exception();
          }
        },
        [&](bool ok) {
          std::lock_guard lock(m);
          committed = ok;
          finished = true;
          cv.notify_one();
        },
        true);
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return finished; });
    if (error) {
      std::rethrow_exception(error);
    }
    if (!committed) {
      throw domain::StorageError("the write could not be committed; it was not applied");
    }
  }

  void read(const std::function<void(ReadTx&)>& work) override {
    // A read inside a read on the same thread joins it: one snapshot, one BEGIN, no second
    // connection (a GET answers its authentication and its data from one transaction).
    if (current_read_.store == this) {
      work(*current_read_.tx);
      return;
    }
    auto conn = lease_reader();
    const CurrentRead outer = current_read_;
    try {
      // One snapshot for the whole read: a list's count and its page agree.
      conn->statement("BEGIN").exec();
      sqlite::SqliteTx tx(*conn, sqlite::SqliteTx::Kind::read);
      current_read_ = {this, &tx};
      work(tx);
      current_read_ = outer;
      conn->reset_statements();
      conn->statement("COMMIT").exec();
    } catch (...) {
      current_read_ = outer;
      try {
        conn->reset_statements();
        conn->db().exec("ROLLBACK");
      } catch (...) {
      }
      return_reader(std::move(conn));
      rethrow_as_domain();
    }
    return_reader(std::move(conn));
  }

  void read_shared(const std::function<void(ReadTx&)>& work,
                   const std::function<void()>& on_begin) override {
    if (current_read_.store == this) {
      work(*current_read_.tx);
      return;
    }
    SharedRead& shared = shared_read_of_this_thread();
    if (!shared.tx) {
      shared.conn = lease_reader();
      try {
        shared.conn->statement("BEGIN").exec();
      } catch (...) {
        return_reader(std::move(shared.conn));
        rethrow_as_domain();
      }
      shared.tx.emplace(*shared.conn, sqlite::SqliteTx::Kind::read);
      on_begin();
    }
    const CurrentRead outer = current_read_;
    current_read_ = {this, &*shared.tx};
    try {
      work(*shared.tx);
    } catch (...) {
      current_read_ = outer;
      end_shared(shared);  // a failed read may have left the connection in any state
      rethrow_as_domain();
    }
    current_read_ = outer;
    shared.conn->reset_statements();
  }

  void end_shared_read() override {
    if (shared_read_.store == this) {
      end_shared(*shared_read_.read);
    }
  }

  void read_together(int parts, const std::function<void(int, ReadTx&)>& work) override {
    parts = std::max(parts, 1);
    std::vector<std::unique_ptr<Connection>> conns;
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(parts));
    auto give_back = [&] {
      for (auto& conn : conns) {
        try {
          conn->reset_statements();
          conn->db().exec("ROLLBACK");  // a read: nothing to keep
        } catch (...) {
        }
        return_reader(std::move(conn), idle_scanners_);
      }
    };
    try {
      for (int i = 0; i < parts; ++i) {
        conns.push_back(lease_reader(idle_scanners_, options_.scan_map_bytes));
      }
      // One snapshot for all: each connection's read transaction starts (with its first read)
      // inside a write step, while the writer holds the database's write lock, so that no
      // commit, from this process or another, can come between them.
      write([&](WriteTx&) {
        for (auto& conn : conns) {
          conn->statement("BEGIN").exec();
          conn->db().execAndGet("SELECT count(*) FROM sqlite_schema");
        }
      });
    } catch (...) {
      give_back();
      rethrow_as_domain();
    }
    auto run_part = [&](int i) {
      const CurrentRead outer = current_read_;
      try {
        sqlite::SqliteTx tx(*conns[static_cast<std::size_t>(i)], sqlite::SqliteTx::Kind::read);
        current_read_ = {this, &tx};
        work(i, tx);
      } catch (...) {
        errors[static_cast<std::size_t>(i)] = std::current_exception();
      }
      current_read_ = outer;
    };
    std::vector<std::thread> threads;
    for (int i = 1; i < parts; ++i) {
      threads.emplace_back(run_part, i);
    }
    run_part(0);
    for (auto& t : threads) {
      t.join();
    }
    give_back();
    for (const auto& error : errors) {
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (...) {
          rethrow_as_domain();
        }
      }
    }
  }

  void set_message_listener(std::function<void()> listener) override {
    message_listener_ = std::move(listener);
  }
  void set_reminder_listener(std::function<void(Instant)> listener) override {
    reminder_listener_ = std::move(listener);
  }

  WriteReadiness write_readiness() const override {
    if (read_only_) {
      return {false, "the database file " + options_.path + " was opened read-only", true};
    }
    if (::access(options_.path.c_str(), W_OK) != 0) {
      return {false,
              "the database file " + options_.path + " cannot be written: " + std::strerror(errno),
              true};
    }
    auto directory = std::filesystem::path(options_.path).parent_path();
    struct statvfs fs {};
    if (::statvfs(directory.empty() ? "." : directory.c_str(), &fs) == 0) {
      const auto free_bytes =
          static_cast<std::int64_t>(fs.f_bavail) * static_cast<std::int64_t>(fs.f_frsize);
      if (free_bytes < options_.min_free_bytes) {
        return {false, "only " + std::to_string(free_bytes) +
                           " bytes are free on the database's file system (database."
                           "min_free_bytes: " +
                           std::to_string(options_.min_free_bytes) + ")"};
      }
    }
    std::lock_guard lock(failure_mutex_);
    if (!last_failure_.empty()) {
      return {false, "the last write failed: " + last_failure_};
    }
    return {};
  }

  int schema_version() const override { return version_; }
  std::string durability() const override { return options_.synchronous_full ? "full" : "normal"; }
  StoreStats stats() const override { return {commits_.load(), writes_.load(), failed_.load()}; }

 private:
  struct Step {
    std::function<void()> run;
    std::function<void(bool)> after_commit;
  };

  // Lets domain errors through and turns SQLite's into domain errors, so that no SQLite type
  // escapes the storage module: a row that the schema's uniqueness refuses is a Conflict (the
  // service checks first, but two writers may both have checked), anything else StorageError.
  [[noreturn]] static void rethrow_as_domain() {
    try {
      throw;
    } catch (const SQLite::Exception& e) {
      const int code = e.getExtendedErrorCode();
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        throw domain::Conflict(sqlite::uniqueness_refused(e.what()));
      }
      throw domain::StorageError(std::string("database error: ") + e.what());
    }
  }

  SharedRead& shared_read_of_this_thread() {
    if (shared_read_.store != this) {
      std::lock_guard lock(readers_mutex_);
      shared_reads_.push_back(std::make_unique<SharedRead>());
      shared_read_ = {this, shared_reads_.back().get()};
    }
    return *shared_read_.read;
  }

  // Ends a shared snapshot, if open, and gives its connection back.
  void end_shared(SharedRead& shared) {
    if (!shared.tx) {
      return;
    }
    shared.tx.reset();
    try {
      shared.conn->reset_statements();
      shared.conn->statement("COMMIT").exec();
    } catch (...) {
      try {
        shared.conn->db().exec("ROLLBACK");
      } catch (...) {
      }
    }
    return_reader(std::move(shared.conn));
  }

  // A read connection from `pool`, or a new one mapping `map_bytes` of the file.
  std::unique_ptr<Connection> lease_reader(std::vector<std::unique_ptr<Connection>>& pool,
                                           std::int64_t map_bytes) {
    {
      std::lock_guard lock(readers_mutex_);
      if (!pool.empty()) {
        auto conn = std::move(pool.back());
        pool.pop_back();
        return conn;
      }
    }
    try {
      return std::make_unique<Connection>(options_.path, Connection::Mode::read_only,
                                          options_.synchronous_full, options_.busy_timeout_ms,
                                          map_bytes);
    } catch (const SQLite::Exception& e) {
      throw domain::StorageError(std::string("cannot open a read connection: ") + e.what());
    }
  }
  std::unique_ptr<Connection> lease_reader() { return lease_reader(idle_readers_, 0); }

  void return_reader(std::unique_ptr<Connection> conn,
                     std::vector<std::unique_ptr<Connection>>& pool) {
    std::lock_guard lock(readers_mutex_);
    pool.push_back(std::move(conn));
  }
  void return_reader(std::unique_ptr<Connection> conn) {
    return_reader(std::move(conn), idle_readers_);
  }

  // A failing write is rolled back alone; the rest of the batch goes on.
  void run_in_savepoint(const std::function<void(WriteTx&)>& work) {
    writer_conn_->statement("SAVEPOINT request").exec();
    try {
      sqlite::SqliteTx tx(*writer_conn_, batch_effects_);
      work(tx);
      writer_conn_->statement("RELEASE request").exec();
      ++batch_writes_;
    } catch (...) {
      ++batch_failures_;
      note_storage_failure(std::current_exception());
      try {
        writer_conn_->statement("ROLLBACK TO request").exec();
        writer_conn_->statement("RELEASE request").exec();
      } catch (...) {
        batch_broken_ = true;  // the transaction cannot be trusted any more
      }
      rethrow_as_domain();
    }
  }

  // A write that failed for want of storage (a full disk, a read-only or failing file) makes
  // the store not ready until a write goes through; one refused for its content does not.
  void note_storage_failure(std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const SQLite::Exception& e) {
      const int code = e.getErrorCode() & 0xff;  // the primary code of an extended one
      if (code == SQLITE_FULL || code == SQLITE_READONLY || code == SQLITE_IOERR ||
          code == SQLITE_CANTOPEN || code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
        note_failure(e.what());
      }
    } catch (...) {
    }
  }
  void note_failure(const std::string& what) {
    std::lock_guard lock(failure_mutex_);
    last_failure_ = what;
  }

  // Called by SQLite after each commit on the writer connection with the WAL's size in pages.
  // Asks for a checkpoint each time the WAL has grown by kCheckpointPages since the last request
  // (the WAL starts again from its beginning once a checkpoint has caught up).
  static int on_wal_commit(void* self, sqlite3*, const char*, int wal_pages) {
    auto* store = static_cast<SqliteStore*>(self);
    if (wal_pages < store->wal_pages_at_request_) {
      store->wal_pages_at_request_ = 0;  // the WAL was restarted
    }
    if (wal_pages - store->wal_pages_at_request_ >= kCheckpointPages) {
      store->wal_pages_at_request_ = wal_pages;
      std::lock_guard lock(store->checkpoint_mutex_);
      store->checkpoint_due_ = true;
      store->checkpoint_wanted_.notify_one();
    }
    return SQLITE_OK;
  }

  // PASSIVE: copies what it can without waiting for, or blocking, the writer and the readers.
  void checkpoint_loop() {
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mutex_);
        checkpoint_wanted_.wait(lock, [&] { return checkpoint_due_ || checkpoint_stop_; });
        if (checkpoint_stop_) {
          return;
        }
        checkpoint_due_ = false;
      }
      int wal_pages = 0;
      int copied = 0;
      int rc = sqlite3_wal_checkpoint_v2(checkpoint_conn_->db().getHandle(), nullptr,
                                         SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
      if (rc == SQLITE_OK && wal_pages >= kRestartPages) {
        // Under steady load the WAL never finds a quiet moment to start again from its
        // beginning; past this size, briefly hold writers off so that it does.
        rc = sqlite3_wal_checkpoint_v2(checkpoint_conn_->db().getHandle(), nullptr,
                                       SQLITE_CHECKPOINT_RESTART, &wal_pages, &copied);
      }
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        spdlog::get("storage")->warn("event=checkpoint_failed rc={} error=\"{}\"", rc,
                                     sqlite3_errstr(rc));
      }
      checkpoint_to_finish_ = rc == SQLITE_OK;
    }
  }

  // The WAL starts again from its beginning only when a write begins with every frame copied
  // back, which under steady load the background checkpoint never achieves: commits go on while
  // it copies. Without that the WAL grows to kRestartPages, and every commit into a growing file
  // costs its fdatasync the file's size change too. So the writer itself copies the few frames
  // committed since, between two batches, where no commit of this process can come between.
  void finish_checkpoint() {
    if (!checkpoint_to_finish_.exchange(false)) {
      return;
    }
    const int rc = sqlite3_wal_checkpoint_v2(writer_conn_->db().getHandle(), nullptr,
                                             SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::get("storage")->warn("event=checkpoint_failed rc={} error=\"{}\"", rc,
                                   sqlite3_errstr(rc));
    }
  }

  void writer_loop() {
    std::vector<Step> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_writer_.wait(lock, [&] { return (!queue_.empty() || stopping_) && !committing_; });
        if (queue_.empty()) {
          return;  // stopping and drained
        }
        committing_ = true;
        const auto n =
            std::min<std::size_t>(queue_.size(), static_cast<std::size_t>(options_.max_batch));
        batch.clear();
        std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n),
                  std::back_inserter(batch));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      }
      run_batch(batch);
      std::lock_guard lock(mutex_);
      committing_ = false;
    }
  }

  // Group commit: one transaction for every step queued while the previous batch was committing.
  // Nobody hears back before the COMMIT that carries their write has returned; with
  // synchronous=FULL that write is on disk.
  void run_batch(std::vector<Step>& batch) {
    bool committed = false;
    batch_writes_ = 0;
    batch_failures_ = 0;
    batch_broken_ = false;
    batch_effects_ = {};
    try {
      writer_conn_->statement("BEGIN IMMEDIATE").exec();
      in_batch_ = this;
      for (auto& step : batch) {
        try {
          step.run();  // errors of a step are its own (it turns them into its answer)
        } catch (...) {
        }
      }
      in_batch_ = nullptr;
      if (batch_broken_) {
        throw domain::StorageError("a savepoint could not be rolled back");
      }
      writer_conn_->reset_statements();
      writer_conn_->statement("COMMIT").exec();
      committed = true;
    } catch (const std::exception& e) {
      in_batch_ = nullptr;
      try {
        writer_conn_->reset_statements();
        writer_conn_->db().exec("ROLLBACK");
      } catch (...) {
      }
      spdlog::get("storage")->error("event=commit_failed batch={} error=\"{}\"", batch.size(),
                                    e.what());
      note_failure(e.what());
    }
    if (committed && batch_writes_ > 0) {
      note_failure("");  // writes go through again
    }
    try {
      if (committed && batch_effects_.message_queued && message_listener_) {
        message_listener_();
      }
      if (committed && batch_effects_.earliest_reminder && reminder_listener_) {
        reminder_listener_(*batch_effects_.earliest_reminder);
      }
    } catch (...) {
      // The schedule and the outbox are in the database; a missed wake only delays them.
      spdlog::get("storage")->error("event=listener_failed");
    }
    if (committed) {
      commits_.fetch_add(1);
      writes_.fetch_add(batch_writes_);
      failed_.fetch_add(batch_failures_);
    } else {
      failed_.fetch_add(batch_writes_ + batch_failures_);
    }
    for (auto& step : batch) {
      try {
        step.after_commit(committed);
      } catch (const std::exception& e) {
        spdlog::get("storage")->error("event=after_commit_failed error=\"{}\"", e.what());
      } catch (...) {
        spdlog::get("storage")->error("event=after_commit_failed error=\"not a std::exception\"");
      }
    }
    if (committed) {
      // After the continuations: on the writer thread the answers are already on their way.
      // A lone write committed on its event loop is answered once this returns, a few hundred
      // microseconds later, once per thousand WAL pages or so.
      finish_checkpoint();
    }
  }

  SqliteOptions options_;
  bool read_only_ = false;
  mutable std::mutex failure_mutex_;
  std::string last_failure_;  // of the last write that failed for want of storage, until one passes
  std::function<void()> message_listener_;
  std::function<void(Instant)> reminder_listener_;
  std::unique_ptr<Connection> writer_conn_;
  int version_ = 0;

  std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::deque<Step> queue_;
  bool stopping_ = false;
  bool committing_ = false;  // a batch is using the writer connection (writer or inline caller)
  std::thread writer_;
  // The store whose batch the current thread is running, if any.
  static thread_local SqliteStore* in_batch_;
  std::uint64_t batch_writes_ = 0;      // used only by the thread running the batch
  std::uint64_t batch_failures_ = 0;    // used only by the thread running the batch
  sqlite::BatchEffects batch_effects_;  // likewise: what the batch must announce once committed
  bool batch_broken_ = false;           // used only by the thread running the batch

  // The WAL size, in pages, that asks for a checkpoint (SQLite's own default threshold).
  static constexpr int kCheckpointPages = 1000;
  // The WAL size, in pages, past which a checkpoint also restarts the WAL (about 40 MiB).
  static constexpr int kRestartPages = 10000;
  // Set by the background checkpoint when it has copied what it could; see finish_checkpoint.
  std::atomic<bool> checkpoint_to_finish_{false};
  int wal_pages_at_request_ = 0;  // used only by the thread running a batch
  std::unique_ptr<Connection> checkpoint_conn_;
  std::thread checkpointer_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wanted_;
  bool checkpoint_due_ = false;
  bool checkpoint_stop_ = false;

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  // The connections of read_together (a report's parts), kept apart from the request readers
  // because they map the file (SqliteOptions::scan_map_bytes): a mapping is remapped whenever a
  // commit has grown the file, and every remap flushes the TLBs of all the daemon's threads;
  // done by a connection per serving thread under a stream of requests, that slowed the writer by
  // half (HostileLoad), done by a report's few connections once per report it costs nothing.
  std::vector<std::unique_ptr<Connection>> idle_scanners_;
  std::vector<std::unique_ptr<SharedRead>> shared_reads_;  // one per thread that used one

  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> failed_{0};
};

thread_local SqliteStore* SqliteStore::in_batch_ = nullptr;

std::shared_ptr<spdlog::logger> storage_logger() {
  auto logger = spdlog::get("storage");
  if (!logger) {
    logger = spdlog::default_logger()->clone("storage");
    spdlog::register_logger(logger);
  }
  return logger;
}

}  // namespace

int latest_schema_version() {
  return sqlite::latest_version();
}

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
