// The store contract (docs/design.md, "How to add a storage backend"): what the service layer may
// ask of persistence, split by concern into task_store.hpp (tasks and units), account_store.hpp
// (accounts and credentials), outbox_store.hpp (the outbox) and report_store.hpp (reports and
// digests). The SQLite implementation lives in storage/sqlite and is the only place with SQL;
// storage::open_store picks the engine the configuration names. Every backend passes
// tests/contract.
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/storage/account_store.hpp"
#include "dondoc/storage/outbox_store.hpp"
#include "dondoc/storage/paging.hpp"
#include "dondoc/storage/report_store.hpp"
#include "dondoc/storage/task_store.hpp"

namespace dondoc::storage {

using domain::ApiToken;
using domain::AuditEntry;
using domain::Date;
using domain::ExtensionId;
using domain::ExtensionRequest;
using domain::Instant;
using domain::OutboxMessage;
using domain::Task;
using domain::TaskEvent;
using domain::TaskId;
using domain::TokenId;
using domain::Unit;
using domain::UnitId;
using domain::User;
using domain::UserId;

// Reads, by concern (each interface documents what its methods return, in which order, how they
// page and what they throw); inside a write they see the transaction's own changes.
class ReadTx : public TaskReads, public AccountReads, public OutboxReads, public ReportReads {};

class WriteTx : public ReadTx,
                public TaskWrites,
                public AccountWrites,
                public OutboxWrites,
                public ReportWrites {};

// Whether the store can take a write now; if not, why, in words an operator can act on.
struct WriteReadiness {
  bool ready = true;
  std::string reason;
  // The database cannot be written at all (a read-only file or file system), as opposed to a
  // state that may pass (a nearly full disk, a write that failed).
  bool read_only = false;
};

struct StoreStats {
  std::uint64_t commits = 0;        // write transactions committed
  std::uint64_t writes = 0;         // write requests that succeeded
  std::uint64_t failed_writes = 0;  // write requests rolled back to their savepoint
};

// A backend starts from `read` and `write` (and the few facts below); the speed hooks, which the
// SQLite store fills in (group commit handed off without a thread per write, snapshots shared
// by an event loop, parts of a report read side by side), have plain defaults built on them.
class Store {
 public:
  virtual ~Store() = default;

  // Runs `work` in a write transaction and returns only once it is durable, so a caller that
  // gets no exception has a durable write. An exception from `work` undoes that work alone and
  // is rethrown here (domain errors as they are, a database failure as domain::StorageError).
  // Called from a step (see submit), it joins the step's batch.
  virtual void write(const std::function<void(WriteTx&)>& work) = 0;
  // Runs `work` in one consistent snapshot. A read started inside `work` on the same thread
  // joins that snapshot.
  virtual void read(const std::function<void(ReadTx&)>& work) = 0;

  // Called after each commit that queued outbox messages, so that the delivery can wake without
  // polling; and after each commit that scheduled a task's next reminder, with the earliest one,
  // so that the reminder timer can wake earlier than it planned. Set once, before writes begin;
  // they must not block.
  virtual void set_message_listener(std::function<void()> listener) = 0;
  virtual void set_reminder_listener(std::function<void(Instant earliest)> listener) = 0;
  virtual int schema_version() const = 0;
  virtual std::string durability() const = 0;
  // Not ready when the database cannot be written (a read-only file or file system), its file
  // system is nearly full, or the last write failed for want of storage (until one succeeds).
  virtual WriteReadiness write_readiness() const { return {}; }
  virtual StoreStats stats() const { return {}; }

  // ---- speed hooks ----

  // Runs `step` (which makes its writes with write() and never throws) and calls
  // `after_commit(committed)` once they are durable. SQLite queues the step for its writer's
  // next batch transaction, so that many requests share one commit and no thread is parked per
  // write; `alone` says the caller has nothing else to do meanwhile, so the step may be committed
  // right on the caller's thread. By default: run here, each write() committing its own.
  virtual void submit(std::function<void()> step, std::function<void(bool committed)> after_commit,
                      bool alone = false) {
    (void)alone;
    step();
    after_commit(true);
  }
  // For an event loop: runs `work` in a snapshot shared by the reads of this thread until it
  // calls end_shared_read(). The first one begins it and then calls `on_begin`, which must see
  // to end_shared_read() being called once the requests the loop has in hand are answered:
  // each of those arrived before the snapshot began, so it sees every write they can know of,
  // and they share one BEGIN and COMMIT. A failing `work` ends the snapshot. By default: a
  // read of its own, never shared.
  virtual void read_shared(const std::function<void(ReadTx&)>& work,
                           const std::function<void()>& on_begin) {
    (void)on_begin;
    read(work);
  }
  virtual void end_shared_read() {}
  // Runs work(0), ..., work(parts - 1) in one snapshot; returns when all have finished,
  // rethrowing the first error. SQLite runs them side by side, each on its own thread and read
  // connection (a report over a million tasks). By default: one after the other, in one read.
  virtual void read_together(int parts, const std::function<void(int part, ReadTx&)>& work) {
    read([&](ReadTx& tx) {
      for (int part = 0; part < parts; ++part) {
        work(part, tx);
      }
    });
  }
};

}  // namespace dondoc::storage
