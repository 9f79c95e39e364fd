// Store interfaces (design §3): what the service layer may ask of persistence. The SQLite
// implementation lives in storage/sqlite and is the only place with SQL; only app/ picks it.
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/account.hpp"
#include "dondoc/domain/audit.hpp"
#include "dondoc/domain/classify.hpp"
#include "dondoc/domain/extension.hpp"
#include "dondoc/domain/outbox.hpp"
#include "dondoc/domain/task.hpp"
#include "dondoc/domain/unit.hpp"

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

template <typename T>
struct PageResult {
  std::vector<T> items;
  std::int64_t total = 0;           // matching rows over all pages
  std::optional<std::string> next;  // opaque cursor of the next page, if any
};

struct UnitQuery {
  std::optional<bool> active;
  std::optional<domain::UnitKind> kind;
  std::vector<std::string> search_terms;  // folded words (see service/text.hpp), all must match
  int limit = 50;
  std::optional<std::string> cursor;
};

enum class TaskSort { id, due_on, assigned_on };

struct TaskQuery {
  std::vector<domain::LifecycleState> states;  // any of these; empty means all
  // Timeliness is derived, so filtering on it needs the date and the policy it is judged by.
  std::optional<domain::Timeliness> timeliness;
  Date today;
  Date due_soon_until;
  bool extension_counts_as_on_time = true;
  std::optional<UnitId> lead_unit_id;
  std::optional<UnitId> unit_id;  // lead or coordinating
  // Authorization scope: only tasks this unit leads or coordinates (a `unit` user's view).
  std::optional<UnitId> visible_to_unit;
  std::optional<Date> assigned_from;
  std::optional<Date> assigned_to;
  std::optional<Date> due_from;
  std::optional<Date> due_to;
  std::optional<std::string> source_ref;
  std::optional<domain::Priority> priority;
  std::vector<std::string> search_terms;  // folded words, all must match title or source
  TaskSort sort = TaskSort::id;
  bool descending = false;
  int limit = 50;
  std::optional<std::string> cursor;
};

struct UserQuery {
  std::optional<domain::Role> role;
  std::optional<UnitId> unit_id;
  std::optional<bool> active;
  int limit = 50;
  std::optional<std::string> cursor;
};

struct ExtensionQuery {
  std::optional<TaskId> task_id;
  std::optional<UnitId> unit_id;
  std::optional<domain::ExtensionState> state;
  std::optional<Instant> created_from;  // inclusive
  std::optional<Instant> created_before;
  std::optional<UnitId> visible_to_unit;  // tasks this unit leads or coordinates
  int limit = 50;
  std::optional<std::string> cursor;
};

struct AuditQuery {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> target;
  std::optional<std::string> outcome;
  std::optional<Instant> from;  // inclusive
  std::optional<Instant> before;
  int limit = 50;
  std::optional<std::string> cursor;
};

// A task's place in its reminder series.
struct ReminderSchedule {
  std::optional<Instant> next_at;           // none: no reminder ahead
  std::optional<Instant> reminded_through;  // the instant of the last reminder handled
};

struct OutboxQuery {
  std::optional<domain::OutboxState> state;
  std::optional<TaskId> task_id;
  int limit = 50;
  std::optional<std::string> cursor;
};

// A webhook endpoint that answered 410 Gone: not called again while it has this URL.
struct GoneEndpoint {
  std::string name;
  std::string url;
  Instant gone_at{};
};

struct OutboxCounts {
  std::int64_t queued = 0;
  std::int64_t sent = 0;
  std::int64_t dead = 0;
  std::int64_t failed_attempts = 0;  // attempts that did not deliver, over all messages
};

// Reads; inside a write they see the transaction's own changes.
class ReadTx {
 public:
  virtual ~ReadTx() = default;
  virtual std::optional<Unit> find_unit(UnitId id) = 0;
  virtual std::optional<Unit> find_unit_by_code(const std::string& code) = 0;
  virtual PageResult<Unit> list_units(const UnitQuery& query) = 0;
  virtual std::optional<Task> find_task(TaskId id) = 0;
  virtual PageResult<Task> list_tasks(const TaskQuery& query) = 0;
  virtual std::vector<TaskEvent> task_history(TaskId id) = 0;
  // Tasks not yet done or cancelled that `unit` leads or coordinates, by id.
  virtual std::vector<TaskId> unfinished_tasks_of_unit(UnitId unit) = 0;

  // For reports (issue 5). The tasks a report on the period [from, to] may count, one at a time
  // (a million are never held at once), oldest first, with only what the counts read: assigner,
  // dates, lead unit, state, extension count, created_at and updated_at. That is every task
  // registered before `before` and changed since `changed_since`, and of the others those
  // assigned by `to` that were assigned from `from` on or are unfinished: an unchanged task
  // finished before the period, or assigned after it, counts nowhere. Only ids in
  // [first_id, last_id], so that parts of the scan can run side by side (see read_together).
  struct PeriodScan {
    Instant before{};
    Date from;
    Date to;
    Instant changed_since{};
    TaskId first_id = 1;
    TaskId last_id = INT64_MAX;
  };
  virtual void for_each_task_of_period(const PeriodScan& scan,
                                       const std::function<void(const Task&)>& visit) = 0;
  // The highest task id so far (0 when there are none).
  virtual TaskId last_task_id() = 0;
  // The overdue appendix's candidates, with their texts: tasks registered before `before` that
  // are open (or reported) with a deadline before `day` as stored now, or that changed since
  // `since`.
  virtual void for_each_overdue_candidate(Date day, Instant since, Instant before,
                                          const std::function<void(const Task&)>& visit) = 0;
  // The events from `since` on that changed some field of each task, oldest first. (A task's
  // updated_at is the instant of its latest change: one updated before `since` has none.)
  virtual std::map<TaskId, std::vector<TaskEvent>> changes_since(const std::vector<TaskId>& tasks,
                                                                 Instant since) = 0;
  // Extension requests filed in [from, before), as they are now.
  virtual std::vector<ExtensionRequest> extensions_filed(Instant from, Instant before) = 0;
  virtual std::vector<Unit> all_units() = 0;
  // A unit's history, oldest first; and every unit's changes from `since` on (renames and
  // mergers after a report's date), oldest first.
  virtual std::vector<domain::UnitEvent> unit_history(UnitId id) = 0;
  virtual std::vector<domain::UnitEvent> unit_changes_since(Instant since) = 0;

  virtual std::int64_t count_users() = 0;
  // A number that moves on with every change to a user or a token, by any process (a trigger
  // moves it): while it stands still, an actor checked against the accounts is still right.
  virtual std::int64_t credentials_generation() = 0;
  virtual std::optional<User> find_user(UserId id) = 0;
  virtual std::optional<User> find_user_by_login(const std::string& login) = 0;
  virtual PageResult<User> list_users(const UserQuery& query) = 0;
  // The email addresses of the active users of `role` (of `unit`, if given) that have one: whom
  // a notice goes to. Asked in every write that queues a notice, so it is one cached statement.
  virtual std::vector<std::string> user_emails(domain::Role role, std::optional<UnitId> unit) = 0;
  virtual std::optional<ApiToken> find_token(TokenId id) = 0;
  virtual std::vector<ApiToken> user_tokens(UserId user) = 0;

  virtual std::optional<ExtensionRequest> find_extension(ExtensionId id) = 0;
  // Pending requests first, then the others, newest first within each.
  virtual PageResult<ExtensionRequest> list_extensions(const ExtensionQuery& query) = 0;
  virtual std::vector<ExtensionRequest> task_extensions(TaskId task) = 0;

  // Newest first.
  virtual PageResult<AuditEntry> list_audit(const AuditQuery& query) = 0;

  // Tasks whose next reminder is due at or before `now`, earliest first.
  virtual std::vector<TaskId> tasks_due_for_reminder(Instant now, int limit) = 0;
  // The earliest next reminder of any task: when the scheduler must wake next.
  virtual std::optional<Instant> earliest_reminder() = 0;
  virtual ReminderSchedule reminder_schedule(TaskId task) = 0;
  // Queued messages whose next attempt is due, oldest first.
  virtual std::vector<OutboxMessage> due_messages(Instant now, int limit) = 0;
  virtual std::optional<Instant> earliest_message() = 0;
  virtual std::optional<OutboxMessage> find_message(std::int64_t id) = 0;
  // Newest first.
  virtual PageResult<OutboxMessage> list_outbox(const OutboxQuery& query) = 0;
  virtual OutboxCounts outbox_counts() = 0;
  // The last day the digest `kind` was handled, if ever.
  virtual std::optional<Date> digest_day(const std::string& kind) = 0;
  virtual std::vector<GoneEndpoint> gone_endpoints() = 0;
};

class WriteTx : public ReadTx {
 public:
  virtual UnitId insert_unit(const Unit& unit, const std::string& search_text) = 0;
  virtual void update_unit(const Unit& unit, const std::string& search_text) = 0;
  // `search_text` is the folded text the list search matches against.
  // `next_reminder`: when the new task's first reminder is due (none if it has none).
  virtual TaskId insert_task(const Task& task, const std::string& search_text,
                             std::optional<Instant> next_reminder) = 0;
  virtual void update_task(const Task& task, const std::string& search_text) = 0;
  virtual std::int64_t append_event(const TaskEvent& event) = 0;
  virtual std::int64_t append_unit_event(const domain::UnitEvent& event) = 0;

  virtual UserId insert_user(const User& user) = 0;
  virtual void update_user(const User& user) = 0;
  virtual TokenId insert_token(const ApiToken& token) = 0;
  // A token's id is part of its text, so its hash is stored once the row exists.
  virtual void set_token_hash(TokenId id, const std::string& secret_sha256) = 0;
  virtual void revoke_token(TokenId id, Instant at) = 0;

  virtual ExtensionId insert_extension(const ExtensionRequest& request) = 0;
  virtual void update_extension(const ExtensionRequest& request) = 0;

  virtual std::int64_t append_audit(const AuditEntry& entry) = 0;

  virtual void set_reminder_schedule(TaskId task, const ReminderSchedule& schedule) = 0;
  // Queues a message unless one with its dedupe_key exists; returns whether it was queued.
  virtual bool enqueue(const OutboxMessage& message) = 0;
  // Records an attempt's outcome: sent, or failed with the next attempt (or dead).
  virtual void update_message(const OutboxMessage& message) = 0;
  virtual void set_digest_day(const std::string& kind, Date day) = 0;
  virtual void mark_endpoint_gone(const GoneEndpoint& endpoint) = 0;
};

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

class Store {
 public:
  virtual ~Store() = default;
  // Runs `work` in a write transaction shared with concurrent writers (group commit) and returns
  // only after COMMIT has returned, so a caller that gets no exception has a durable write. An
  // exception from `work` undoes that work alone and is rethrown here. Called from a step (see
  // submit), it joins the step's batch and returns as soon as its savepoint is released.
  virtual void write(const std::function<void(WriteTx&)>& work) = 0;
  // Queues `step` to run on the writer thread inside the next batch transaction, and calls
  // `after_commit(committed)` there once that batch's COMMIT returned (or failed). Lets a server
  // answer many writes per commit without a thread blocked per write. Neither may block.
  // `alone` says the caller has nothing else to do meanwhile: if no batch is running either, the
  // step is committed right here on the caller's thread, saving two thread hand-offs.
  virtual void submit(std::function<void()> step, std::function<void(bool committed)> after_commit,
                      bool alone = false) = 0;
  // Runs `work` on a read connection, in one consistent snapshot. A read started inside `work`
  // on the same thread joins that snapshot.
  virtual void read(const std::function<void(ReadTx&)>& work) = 0;
  // For an event loop: runs `work` in a snapshot shared by the reads of this thread until it
  // calls end_shared_read(). The first one begins it and then calls `on_begin`, which must see
  // to end_shared_read() being called once the requests the loop has in hand are answered:
  // each of those arrived before the snapshot began, so it sees every write they can know of,
  // and they share one BEGIN and COMMIT. A failing `work` ends the snapshot.
  virtual void read_shared(const std::function<void(ReadTx&)>& work,
                           const std::function<void()>& on_begin) = 0;
  virtual void end_shared_read() = 0;
  // Runs work(0), ..., work(parts - 1) side by side, each on its own thread (the first on the
  // caller's) and its own read connection, all in one snapshot of their own, taken while no
  // write can commit; returns when all have finished, rethrowing the first error. For reads
  // large enough to split (a report over a million tasks).
  virtual void read_together(int parts, const std::function<void(int part, ReadTx&)>& work) = 0;
  // Called on the committing thread after each commit that queued outbox messages, so that the
  // delivery can wake without polling. Set once, before writes begin; must not block.
  virtual void set_message_listener(std::function<void()> listener) = 0;
  // Called on the committing thread after each commit that scheduled a task's next reminder, with
  // the earliest one it scheduled, so that the reminder timer can wake earlier than it planned.
  // Set once, before writes begin; must not block.
  virtual void set_reminder_listener(std::function<void(Instant earliest)> listener) = 0;
  virtual int schema_version() const = 0;
  virtual std::string durability() const = 0;
  // Not ready when the database cannot be written (a read-only file or file system), its file
  // system is nearly full, or the last write failed for want of storage (until one succeeds).
  virtual WriteReadiness write_readiness() const = 0;
  virtual StoreStats stats() const = 0;
};

}  // namespace dondoc::storage
