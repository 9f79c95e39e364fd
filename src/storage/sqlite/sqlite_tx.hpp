// Repositories over one connection: the ReadTx/WriteTx interfaces in SQL.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connection.hpp"
#include "dondoc/storage/store.hpp"
#include "sql_helpers.hpp"

namespace dondoc::storage::sqlite {

// A task's columns ("t." prefixed) and the task they make, for the repositories that read tasks.
extern const char* const kTaskColumns;
// How many columns kTaskColumns names: a query that selects more puts them from this index on.
constexpr int kTaskColumnCount = 26;
Task task_from_row(SQLite::Statement& s);
// A task's coordinating units as tasks.coordinating_units keeps them ("3,7,12", ascending), a copy
// of its task_units rows read with the task itself.
std::string unit_ids_text(std::vector<UnitId> ids);
std::vector<UnitId> unit_ids_from_text(std::string_view text);

class SqliteTx final : public WriteTx {
 public:
  // A read transaction is one snapshot: what it has read once, such as the credentials
  // generation, it need not read again. A write transaction may change it.
  enum class Kind { read, write };
  SqliteTx(Connection& conn, Kind kind) : conn_(conn), kind_(kind) {}
  // A write transaction of a batch, noting in `effects` what the batch must announce.
  SqliteTx(Connection& conn, BatchEffects& effects)
      : conn_(conn), kind_(Kind::write), effects_(&effects) {}

  std::optional<Unit> find_unit(UnitId id) override;
  std::optional<Unit> find_unit_by_code(const std::string& code) override;
  PageResult<Unit> list_units(const UnitQuery& query) override;
  std::optional<Task> find_task(TaskId id) override;
  PageResult<Task> list_tasks(const TaskQuery& query) override;
  std::vector<TaskEvent> task_history(TaskId id) override;
  std::vector<Task> tasks_from_document(const std::string& source_ref) override;
  std::vector<TaskId> unfinished_tasks_of_unit(UnitId unit) override;
  void for_each_task_of_period(const PeriodScan& scan,
                               const std::function<void(const Task&)>& visit) override;
  TaskId last_task_id() override;
  void for_each_overdue_candidate_effective(Date day,
                                            const std::function<void(const Task&)>& visit) override;
  void for_each_overdue_candidate(Date day, Instant since, Instant before,
                                  const std::function<void(const Task&)>& visit) override;
  std::map<TaskId, std::vector<TaskEvent>> changes_since(const std::vector<TaskId>& tasks,
                                                         Instant since) override;
  std::vector<ExtensionRequest> extensions_filed(Instant from, Instant before) override;
  std::vector<ExtensionRequest> extensions_filed_on(Date from, Date to, Instant start,
                                                    Instant before) override;
  std::vector<Unit> all_units() override;
  std::vector<domain::UnitEvent> unit_history(UnitId id) override;
  std::vector<domain::UnitEvent> unit_changes_since(Instant since) override;

  UnitId insert_unit(const Unit& unit, const std::string& search_text) override;
  void update_unit(const Unit& unit, const std::string& search_text) override;
  TaskId insert_task(const Task& task, const std::string& search_text,
                     std::optional<Instant> next_reminder) override;
  void update_task(const Task& task, const std::string& search_text) override;
  std::int64_t append_event(const TaskEvent& event) override;
  std::int64_t append_unit_event(const domain::UnitEvent& event) override;

  std::int64_t count_users() override;
  std::int64_t credentials_generation() override;
  std::optional<User> find_user(UserId id) override;
  std::optional<User> find_user_by_login(const std::string& login) override;
  PageResult<User> list_users(const UserQuery& query) override;
  std::vector<std::string> user_emails(domain::Role role, std::optional<UnitId> unit) override;
  std::optional<ApiToken> find_token(TokenId id) override;
  std::vector<ApiToken> user_tokens(UserId user) override;
  UserId insert_user(const User& user) override;
  void update_user(const User& user) override;
  TokenId insert_token(const ApiToken& token) override;
  void set_token_hash(TokenId id, const std::string& secret_sha256) override;
  void revoke_token(TokenId id, Instant at) override;
  std::string password_hash(UserId user) override;
  std::optional<domain::Session> find_session(domain::SessionId id) override;
  void set_password(UserId user, const std::string& hash, bool must_change_password,
                    Instant at) override;
  domain::SessionId insert_session(const domain::Session& session) override;
  void set_session_hash(domain::SessionId id, const std::string& secret_sha256) override;
  void touch_session(domain::SessionId id, Instant at) override;
  int end_session(domain::SessionId id, Instant at) override;
  int end_user_sessions(UserId user, Instant at, std::optional<domain::SessionId> except) override;
  int delete_old_sessions(Instant before) override;

  std::optional<ExtensionRequest> find_extension(ExtensionId id) override;
  PageResult<ExtensionRequest> list_extensions(const ExtensionQuery& query) override;
  std::vector<ExtensionRequest> task_extensions(TaskId task) override;
  std::optional<domain::TaskSeries> find_series(domain::SeriesId id) override;
  PageResult<domain::TaskSeries> list_series(const SeriesQuery& query) override;
  std::vector<Task> series_tasks(domain::SeriesId id) override;
  std::vector<domain::SeriesId> series_due(Date day, int limit) override;
  std::optional<Date> next_series_day() override;
  domain::SeriesId insert_series(const domain::TaskSeries& series) override;
  void update_series(const domain::TaskSeries& series) override;
  std::vector<domain::Contribution> contributions_of(TaskId task) override;
  std::vector<domain::Contribution> late_contributions(Date as_of, int limit) override;
  std::vector<domain::Contribution> contributions_due_for_reminder(Instant now, int limit) override;
  std::optional<Instant> earliest_contribution_reminder() override;
  std::vector<domain::Contribution> contributions_owed_by(UnitId unit, int limit) override;
  void put_contribution(const domain::Contribution& contribution) override;
  std::optional<domain::Attachment> find_attachment(domain::AttachmentId id) override;
  std::vector<domain::Attachment> attachments_of(TaskId task) override;
  bool content_referenced(const std::string& sha256) override;
  domain::AttachmentId insert_attachment(const domain::Attachment& attachment) override;
  ExtensionId insert_extension(const ExtensionRequest& request) override;
  void update_extension(const ExtensionRequest& request) override;

  PageResult<AuditEntry> list_audit(const AuditQuery& query) override;

  std::vector<TaskId> tasks_due_for_reminder(Instant now, int limit) override;
  std::optional<Instant> earliest_reminder() override;
  ReminderSchedule reminder_schedule(TaskId task) override;
  std::vector<OutboxMessage> due_messages(Instant now, int limit) override;
  std::optional<Instant> earliest_message() override;
  std::optional<OutboxMessage> find_message(std::int64_t id) override;
  PageResult<OutboxMessage> list_outbox(const OutboxQuery& query) override;
  OutboxCounts outbox_counts() override;
  void set_reminder_schedule(TaskId task, const ReminderSchedule& schedule) override;
  bool enqueue(const OutboxMessage& message) override;
  void update_message(const OutboxMessage& message) override;
  std::optional<Date> digest_day(const std::string& kind) override;
  void set_digest_day(const std::string& kind, Date day) override;
  std::vector<GoneEndpoint> gone_endpoints() override;
  void mark_endpoint_gone(const GoneEndpoint& endpoint) override;
  std::int64_t append_audit(const AuditEntry& entry) override;

 private:
  void write_task_units(const Task& task);
  // Where a write notes what it did; a write outside a batch (tests of the repositories) notes
  // it nowhere.
  BatchEffects& effects() { return effects_ ? *effects_ : unheard_; }

  Connection& conn_;
  const Kind kind_;
  BatchEffects* effects_ = nullptr;
  BatchEffects unheard_;
  std::optional<std::int64_t> generation_;  // read transactions: read once
};

}  // namespace dondoc::storage::sqlite
