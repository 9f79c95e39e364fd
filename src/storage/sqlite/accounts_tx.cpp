// Users, API tokens, extension requests and the audit log, in SQL.
#include "sql_helpers.hpp"
#include "sqlite_tx.hpp"

namespace dondoc::storage::sqlite {

namespace {

constexpr const char* kUserColumns =
    "id, login, display_name, email, role, unit_id, active, created_at, updated_at, "
    "password_hash <> '', must_change_password";
constexpr const char* kSessionColumns =
    "id, user_id, secret_sha256, csrf_token, created_at, last_seen_at, expires_at, ended_at";
constexpr const char* kTokenColumns =
    "id, user_id, label, secret_sha256, created_at, expires_at, revoked_at";
constexpr const char* kExtensionColumns =
    "id, task_id, unit_id, requested_by_user_id, requested_by, current_due_on, proposed_due_on, "
    "reason, document_ref, late, state, decided_by, decided_at, decided_due_on, note, created_at, "
    "updated_at, origin, closure, filed_on, decided_on";
constexpr const char* kAuditColumns =
    "id, at, actor_user_id, actor, action, target, outcome, detail, count, last_at";

User user_from_row(SQLite::Statement& s) {
  User u;
  u.id = s.getColumn(0).getInt64();
  u.login = s.getColumn(1).getString();
  u.display_name = s.getColumn(2).getString();
  u.email = s.getColumn(3).getString();
  u.role = domain::parse_role(s.getColumn(4).getString()).value_or(domain::Role::unit);
  if (!s.getColumn(5).isNull()) {
    u.unit_id = s.getColumn(5).getInt64();
  }
  u.active = s.getColumn(6).getInt() != 0;
  u.created_at = instant_column(s.getColumn(7));
  u.updated_at = instant_column(s.getColumn(8));
  u.has_password = s.getColumn(9).getInt() != 0;
  u.must_change_password = s.getColumn(10).getInt() != 0;
  return u;
}

domain::Session session_from_row(SQLite::Statement& s) {
  domain::Session x;
  x.id = s.getColumn(0).getInt64();
  x.user_id = s.getColumn(1).getInt64();
  x.secret_sha256 = s.getColumn(2).getString();
  x.csrf_token = s.getColumn(3).getString();
  x.created_at = instant_column(s.getColumn(4));
  x.last_seen_at = instant_column(s.getColumn(5));
  x.expires_at = instant_column(s.getColumn(6));
  x.ended_at = optional_instant_column(s.getColumn(7));
  return x;
}

ApiToken token_from_row(SQLite::Statement& s) {
  ApiToken t;
  t.id = s.getColumn(0).getInt64();
  t.user_id = s.getColumn(1).getInt64();
  t.label = s.getColumn(2).getString();
  t.secret_sha256 = s.getColumn(3).getString();
  t.created_at = instant_column(s.getColumn(4));
  t.expires_at = optional_instant_column(s.getColumn(5));
  t.revoked_at = optional_instant_column(s.getColumn(6));
  return t;
}

ExtensionRequest extension_from_row(SQLite::Statement& s) {
  ExtensionRequest r;
  r.id = s.getColumn(0).getInt64();
  r.task_id = s.getColumn(1).getInt64();
  r.unit_id = s.getColumn(2).getInt64();
  r.requested_by_user_id = s.getColumn(3).getInt64();
  r.requested_by = s.getColumn(4).getString();
  r.current_due_on = *Date::parse(s.getColumn(5).getString());
  r.proposed_due_on = *Date::parse(s.getColumn(6).getString());
  r.reason = s.getColumn(7).getString();
  r.document_ref = s.getColumn(8).getString();
  r.late = s.getColumn(9).getInt() != 0;
  r.state = *domain::parse_extension_state(s.getColumn(10).getString());
  r.decided_by = s.getColumn(11).getString();
  r.decided_at = optional_instant_column(s.getColumn(12));
  r.decided_due_on = date_column(s.getColumn(13));
  r.note = s.getColumn(14).getString();
  r.created_at = instant_column(s.getColumn(15));
  r.updated_at = instant_column(s.getColumn(16));
  r.origin = *domain::parse_extension_origin(s.getColumn(17).getString());
  r.closure = *domain::parse_extension_closure(s.getColumn(18).getString());
  r.filed_on = date_column(s.getColumn(19));
  r.decided_on = date_column(s.getColumn(20));
  return r;
}

AuditEntry audit_from_row(SQLite::Statement& s) {
  AuditEntry a;
  a.id = s.getColumn(0).getInt64();
  a.at = instant_column(s.getColumn(1));
  if (!s.getColumn(2).isNull()) {
    a.actor_user_id = s.getColumn(2).getInt64();
  }
  a.actor = s.getColumn(3).getString();
  a.action = s.getColumn(4).getString();
  a.target = s.getColumn(5).getString();
  a.outcome = s.getColumn(6).getString();
  a.detail = s.getColumn(7).getString();
  a.count = s.getColumn(8).getInt64();
  a.last_at = optional_instant_column(s.getColumn(9));
  return a;
}

// A page of `table` rows in descending id order (newest first) with a keyset cursor.
template <typename T, typename FromRow>
PageResult<T> newest_first(SQLite::Database& db, const std::string& table, const char* columns,
                           Where w, const std::optional<std::string>& cursor, int limit,
                           FromRow from_row, std::int64_t T::*id) {
  const std::int64_t total = count_matching(db, table, w);
  if (cursor) {
    w.add("id < ?", cursor_id(*cursor));
  }
  return read_page<T>(
      db, std::string("SELECT ") + columns + " FROM " + table + w.sql + " ORDER BY id DESC", w,
      limit, total, from_row,
      [id](const T& last, std::size_t) { return std::to_string(last.*id); });
}

}  // namespace

// ---- users and tokens ----

std::int64_t SqliteTx::count_users() {
  auto& s = conn_.statement("SELECT count(*) FROM users");
  s.executeStep();
  return s.getColumn(0).getInt64();
}

std::int64_t SqliteTx::credentials_generation() {
  if (generation_) {
    return *generation_;
  }
  auto& s = conn_.statement("SELECT generation FROM credentials_generation WHERE id = 1");
  if (!s.executeStep()) {
    throw domain::StorageError("the credentials generation row is missing");
  }
  const std::int64_t generation = s.getColumn(0).getInt64();
  if (kind_ == Kind::read) {
    generation_ = generation;
  }
  return generation;
}

std::optional<User> SqliteTx::find_user(UserId id) {
  auto& s = conn_.statement(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  s.bind(1, id);
  if (!s.executeStep()) {
    return std::nullopt;
  }
  return user_from_row(s);
}

std::optional<User> SqliteTx::find_user_by_login(const std::string& login) {
  auto& s = conn_.statement(std::string("SELECT ") + kUserColumns + " FROM users WHERE login = ?");
  s.bind(1, login);
  if (!s.executeStep()) {
    return std::nullopt;
  }
  return user_from_row(s);
}

std::vector<std::string> SqliteTx::user_emails(domain::Role role, std::optional<UnitId> unit) {
  auto& s = conn_.statement(
      "SELECT email FROM users WHERE active = 1 AND email <> '' AND role = ?1 AND (?2 IS NULL OR "
      "unit_id = ?2) ORDER BY id");
  s.bind(1, std::string(domain::to_string(role)));
  if (unit) {
    s.bind(2, *unit);
  } else {
    s.bind(2);
  }
  std::vector<std::string> out;
  while (s.executeStep()) {
    out.push_back(s.getColumn(0).getString());
  }
  return out;
}

PageResult<User> SqliteTx::list_users(const UserQuery& q) {
  Where w;
  if (q.role) {
    w.add("role = ?", std::string(domain::to_string(*q.role)));
  }
  if (q.unit_id) {
    w.add("unit_id = ?", std::int64_t{*q.unit_id});
  }
  if (q.active) {
    w.add("active = ?", std::int64_t{*q.active ? 1 : 0});
  }
  const std::int64_t total = count_matching(conn_.db(), "users", w);
  if (q.cursor) {
    w.add("id > ?", cursor_id(*q.cursor));
  }
  return read_page<User>(
      conn_.db(), std::string("SELECT ") + kUserColumns + " FROM users" + w.sql + " ORDER BY id", w,
      q.limit, total, user_from_row, id_cursor<User>);
}

namespace {
// Parameters 1-7 of both user statements, in the same order.
void bind_user_fields(SQLite::Statement& s, const User& u) {
  s.bind(1, u.login);
  s.bind(2, u.display_name);
  s.bind(3, u.email);
  s.bind(4, std::string(domain::to_string(u.role)));
  if (u.unit_id) {
    s.bind(5, *u.unit_id);
  } else {
    s.bind(5);
  }
  s.bind(6, u.active ? 1 : 0);
  s.bind(7, domain::to_unix_millis(u.updated_at));
}
}  // namespace

UserId SqliteTx::insert_user(const User& u) {
  auto& s = conn_.statement(
      "INSERT INTO users (login, display_name, email, role, unit_id, active, updated_at, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  bind_user_fields(s, u);
  s.bind(8, domain::to_unix_millis(u.created_at));
  s.exec();
  return conn_.db().getLastInsertRowid();
}

void SqliteTx::update_user(const User& u) {
  auto& s = conn_.statement(
      "UPDATE users SET login = ?, display_name = ?, email = ?, role = ?, unit_id = ?, active = ?, "
      "updated_at = ? WHERE id = ?");
  bind_user_fields(s, u);
  s.bind(8, u.id);
  if (s.exec() != 1) {
    throw domain::NotFound("user " + std::to_string(u.id) + " does not exist");
  }
}

std::optional<ApiToken> SqliteTx::find_token(TokenId id) {
  auto& s =
      conn_.statement(std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE id = ?");
  s.bind(1, id);
  if (!s.executeStep()) {
    return std::nullopt;
  }
  return token_from_row(s);
}

std::vector<ApiToken> SqliteTx::user_tokens(UserId user) {
  auto& s = conn_.statement(std::string("SELECT ") + kTokenColumns +
                            " FROM api_tokens WHERE user_id = ? ORDER BY id");
  s.bind(1, user);
  std::vector<ApiToken> out;
  while (s.executeStep()) {
    out.push_back(token_from_row(s));
  }
  return out;
}

TokenId SqliteTx::insert_token(const ApiToken& t) {
  auto& s = conn_.statement(
      "INSERT INTO api_tokens (user_id, label, secret_sha256, created_at, expires_at, "
      "revoked_at) VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, t.user_id);
  s.bind(2, t.label);
  s.bind(3, t.secret_sha256);
  s.bind(4, domain::to_unix_millis(t.created_at));
  bind_optional_instant(s, 5, t.expires_at);
  bind_optional_instant(s, 6, t.revoked_at);
  s.exec();
  return conn_.db().getLastInsertRowid();
}

void SqliteTx::set_token_hash(TokenId id, const std::string& secret_sha256) {
  auto& s = conn_.statement("UPDATE api_tokens SET secret_sha256 = ? WHERE id = ?");
  s.bind(1, secret_sha256);
  s.bind(2, id);
  if (s.exec() != 1) {
    throw domain::NotFound("token " + std::to_string(id) + " does not exist");
  }
}

void SqliteTx::revoke_token(TokenId id, Instant at) {
  auto& s =
      conn_.statement("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?");
  s.bind(1, domain::to_unix_millis(at));
  s.bind(2, id);
  if (s.exec() != 1) {
    throw domain::NotFound("token " + std::to_string(id) + " does not exist");
  }
}

// ---- passwords and sessions ----

std::string SqliteTx::password_hash(UserId user) {
  auto& s = conn_.statement("SELECT password_hash FROM users WHERE id = ?");
  s.bind(1, user);
  return s.executeStep() ? s.getColumn(0).getString() : std::string();
}

std::optional<domain::Session> SqliteTx::find_session(domain::SessionId id) {
  auto& s =
      conn_.statement(std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id = ?");
  s.bind(1, id);
  if (!s.executeStep()) {
    return std::nullopt;
  }
  return session_from_row(s);
}

void SqliteTx::set_password(UserId user, const std::string& hash, bool must_change_password,
                            Instant at) {
  auto& s = conn_.statement(
      "UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?");
  s.bind(1, hash);
  s.bind(2, must_change_password ? 1 : 0);
  s.bind(3, domain::to_unix_millis(at));
  s.bind(4, user);
  if (s.exec() != 1) {
    throw domain::NotFound("user " + std::to_string(user) + " does not exist");
  }
}

domain::SessionId SqliteTx::insert_session(const domain::Session& x) {
  auto& s = conn_.statement(
      "INSERT INTO sessions (user_id, secret_sha256, csrf_token, created_at, last_seen_at, "
      "expires_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, x.user_id);
  s.bind(2, x.secret_sha256);
  s.bind(3, x.csrf_token);
  s.bind(4, domain::to_unix_millis(x.created_at));
  s.bind(5, domain::to_unix_millis(x.last_seen_at));
  s.bind(6, domain::to_unix_millis(x.expires_at));
  bind_optional_instant(s, 7, x.ended_at);
  s.exec();
  return conn_.db().getLastInsertRowid();
}

void SqliteTx::set_session_hash(domain::SessionId id, const std::string& secret_sha256) {
  auto& s = conn_.statement("UPDATE sessions SET secret_sha256 = ? WHERE id = ?");
  s.bind(1, secret_sha256);
  s.bind(2, id);
  if (s.exec() != 1) {
    throw domain::NotFound("session " + std::to_string(id) + " does not exist");
  }
}

void SqliteTx::touch_session(domain::SessionId id, Instant at) {
  auto& s = conn_.statement("UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE id = ?");
  s.bind(1, domain::to_unix_millis(at));
  s.bind(2, id);
  s.exec();
}

int SqliteTx::end_session(domain::SessionId id, Instant at) {
  auto& s = conn_.statement("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL");
  s.bind(1, domain::to_unix_millis(at));
  s.bind(2, id);
  return s.exec();
}

int SqliteTx::end_user_sessions(UserId user, Instant at, std::optional<domain::SessionId> except) {
  auto& s = conn_.statement(
      "UPDATE sessions SET ended_at = ?1 WHERE user_id = ?2 AND ended_at IS NULL AND "
      "(?3 IS NULL OR id <> ?3)");
  s.bind(1, domain::to_unix_millis(at));
  s.bind(2, user);
  if (except) {
    s.bind(3, *except);
  } else {
    s.bind(3);
  }
  return s.exec();
}

int SqliteTx::delete_old_sessions(Instant before) {
  auto& s = conn_.statement("DELETE FROM sessions WHERE coalesce(ended_at, expires_at) < ?");
  s.bind(1, domain::to_unix_millis(before));
  return s.exec();
}

// ---- extension requests ----

std::optional<ExtensionRequest> SqliteTx::find_extension(ExtensionId id) {
  auto& s = conn_.statement(std::string("SELECT ") + kExtensionColumns +
                            " FROM extension_requests WHERE id = ?");
  s.bind(1, id);
  if (!s.executeStep()) {
    return std::nullopt;
  }
  return extension_from_row(s);
}

PageResult<ExtensionRequest> SqliteTx::list_extensions(const ExtensionQuery& q) {
  Where w;
  if (q.task_id) {
    w.add("task_id = ?", std::int64_t{*q.task_id});
  }
  if (q.unit_id) {
    w.add("unit_id = ?", std::int64_t{*q.unit_id});
  }
  if (q.state) {
    w.add("state = ?", std::string(domain::to_string(*q.state)));
  }
  if (q.created_from) {
    w.add("created_at >= ?", domain::to_unix_millis(*q.created_from));
  }
  if (q.created_before) {
    w.add("created_at < ?", domain::to_unix_millis(*q.created_before));
  }
  if (q.visible_to_unit) {
    w.add("task_id IN (SELECT task_id FROM task_units WHERE unit_id = ?)",
          std::int64_t{*q.visible_to_unit});
  }
  if (q.leader_id) {
    w.add(q.or_no_leader
              ? "task_id IN (SELECT id FROM tasks WHERE leader_id = ? OR leader_id IS NULL)"
              : "task_id IN (SELECT id FROM tasks WHERE leader_id = ?)",
          std::int64_t{*q.leader_id});
  }
  PageResult<ExtensionRequest> page;
  const std::int64_t total = count_matching(conn_.db(), "extension_requests", w);
  // Pending first, newest first within each group: the cursor is "<group>:<id>".
  const std::string group = "(CASE WHEN state = 'pending' THEN 0 ELSE 1 END)";
  if (q.cursor) {
    const auto colon = q.cursor->find(':');
    if (colon != 1 || ((*q.cursor)[0] != '0' && (*q.cursor)[0] != '1')) {
      bad_cursor();
    }
    const std::int64_t g = (*q.cursor)[0] - '0';
    w.add("(" + group + " > ? OR (" + group + " = ? AND id < ?))", g, g,
          cursor_id(q.cursor->substr(2)));
  }
  return read_page<ExtensionRequest>(
      conn_.db(),
      std::string("SELECT ") + kExtensionColumns + " FROM extension_requests" + w.sql +
          " ORDER BY " + group + ", id DESC",
      w, q.limit, total, extension_from_row, [](const ExtensionRequest& last, std::size_t) {
        return std::string(last.state == domain::ExtensionState::pending ? "0:" : "1:") +
               std::to_string(last.id);
      });
}

std::vector<ExtensionRequest> SqliteTx::task_extensions(TaskId task) {
  auto& s = conn_.statement(std::string("SELECT ") + kExtensionColumns +
                            " FROM extension_requests WHERE task_id = ? ORDER BY id");
  s.bind(1, task);
  std::vector<ExtensionRequest> out;
  while (s.executeStep()) {
    out.push_back(extension_from_row(s));
  }
  return out;
}

std::vector<ExtensionRequest> SqliteTx::extensions_filed_on(Date from, Date to, Instant start,
                                                            Instant before) {
  auto& s = conn_.statement(std::string("SELECT ") + kExtensionColumns +
                            " FROM extension_requests WHERE filed_on BETWEEN ?1 AND ?2 OR "
                            "(filed_on IS NULL AND created_at >= ?3 AND created_at < ?4) "
                            "ORDER BY id");
  s.bind(1, from.to_string());
  s.bind(2, to.to_string());
  s.bind(3, domain::to_unix_millis(start));
  s.bind(4, domain::to_unix_millis(before));
  std::vector<ExtensionRequest> out;
  while (s.executeStep()) {
    out.push_back(extension_from_row(s));
  }
  return out;
}

std::vector<ExtensionRequest> SqliteTx::extensions_filed(Instant from, Instant before) {
  auto& s = conn_.statement(std::string("SELECT ") + kExtensionColumns +
                            " FROM extension_requests WHERE created_at >= ? AND created_at < ? "
                            "ORDER BY id");
  s.bind(1, domain::to_unix_millis(from));
  s.bind(2, domain::to_unix_millis(before));
  std::vector<ExtensionRequest> out;
  while (s.executeStep()) {
    out.push_back(extension_from_row(s));
  }
  return out;
}

namespace {
// Parameters 1-19 of both extension statements, in the same order.
void bind_extension_fields(SQLite::Statement& s, const ExtensionRequest& r) {
  s.bind(1, r.task_id);
  s.bind(2, r.unit_id);
  s.bind(3, r.requested_by_user_id);
  s.bind(4, r.requested_by);
  s.bind(5, r.current_due_on.to_string());
  s.bind(6, r.proposed_due_on.to_string());
  s.bind(7, r.reason);
  s.bind(8, r.document_ref);
  s.bind(9, r.late ? 1 : 0);
  s.bind(10, std::string(domain::to_string(r.state)));
  s.bind(11, r.decided_by);
  bind_optional_instant(s, 12, r.decided_at);
  bind_date(s, 13, r.decided_due_on);
  s.bind(14, r.note);
  s.bind(15, domain::to_unix_millis(r.updated_at));
  s.bind(16, std::string(domain::to_string(r.origin)));
  s.bind(17, std::string(domain::to_string(r.closure)));
  bind_date(s, 18, r.filed_on);
  bind_date(s, 19, r.decided_on);
}
}  // namespace

ExtensionId SqliteTx::insert_extension(const ExtensionRequest& r) {
  auto& s = conn_.statement(
      "INSERT INTO extension_requests (task_id, unit_id, requested_by_user_id, requested_by, "
      "current_due_on, proposed_due_on, reason, document_ref, late, state, decided_by, "
      "decided_at, decided_due_on, note, updated_at, origin, closure, filed_on, decided_on, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_extension_fields(s, r);
  s.bind(20, domain::to_unix_millis(r.created_at));
  s.exec();
  return conn_.db().getLastInsertRowid();
}

void SqliteTx::update_extension(const ExtensionRequest& r) {
  auto& s = conn_.statement(
      "UPDATE extension_requests SET task_id = ?, unit_id = ?, requested_by_user_id = ?, "
      "requested_by = ?, current_due_on = ?, proposed_due_on = ?, reason = ?, document_ref = ?, "
      "late = ?, state = ?, decided_by = ?, decided_at = ?, decided_due_on = ?, note = ?, "
      "updated_at = ?, origin = ?, closure = ?, filed_on = ?, decided_on = ? WHERE id = ?");
  bind_extension_fields(s, r);
  s.bind(20, r.id);
  if (s.exec() != 1) {
    throw domain::NotFound("extension request " + std::to_string(r.id) + " does not exist");
  }
}

// ---- audit ----

PageResult<AuditEntry> SqliteTx::list_audit(const AuditQuery& q) {
  Where w;
  if (q.actor) {
    w.add("actor = ?", *q.actor);
  }
  if (q.action) {
    w.add("action = ?", *q.action);
  }
  if (q.target) {
    w.add("target = ?", *q.target);
  }
  if (q.outcome) {
    w.add("outcome = ?", *q.outcome);
  }
  if (q.from) {
    w.add("at >= ?", domain::to_unix_millis(*q.from));
  }
  if (q.before) {
    w.add("at < ?", domain::to_unix_millis(*q.before));
  }
  return newest_first<AuditEntry>(conn_.db(), "audit_log", kAuditColumns, std::move(w), q.cursor,
                                  q.limit, audit_from_row, &AuditEntry::id);
}

std::int64_t SqliteTx::append_audit(const AuditEntry& a) {
  auto& s = conn_.statement(
      "INSERT INTO audit_log (at, actor_user_id, actor, action, target, outcome, detail, count, "
      "last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, domain::to_unix_millis(a.at));
  if (a.actor_user_id) {
    s.bind(2, *a.actor_user_id);
  } else {
    s.bind(2);
  }
  s.bind(3, a.actor);
  s.bind(4, a.action);
  s.bind(5, a.target);
  s.bind(6, a.outcome);
  s.bind(7, a.detail);
  s.bind(8, a.count);
  if (a.last_at) {
    s.bind(9, domain::to_unix_millis(*a.last_at));
  } else {
    s.bind(9);
  }
  s.exec();
  return conn_.db().getLastInsertRowid();
}

}  // namespace dondoc::storage::sqlite
