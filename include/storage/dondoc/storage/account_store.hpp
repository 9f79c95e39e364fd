// The store contract, accounts and credentials: users, API tokens, the credentials generation
// that tells when any of them changed, and the audit log. Errors as in task_store.hpp (a taken
// login is a domain::Conflict).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/account.hpp"
#include "dondoc/domain/audit.hpp"
#include "dondoc/storage/paging.hpp"

namespace dondoc::storage {

struct UserQuery {
  std::optional<domain::Role> role;
  std::optional<domain::UnitId> unit_id;
  std::optional<bool> active;
  int limit = 50;
  std::optional<std::string> cursor;
};

struct AuditQuery {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> target;
  std::optional<std::string> outcome;
  std::optional<domain::Instant> from;  // inclusive
  std::optional<domain::Instant> before;
  int limit = 50;
  std::optional<std::string> cursor;
};

class AccountReads {
 public:
  virtual ~AccountReads() = default;
  virtual std::int64_t count_users() = 0;
  // A number that moves on with every change to a user or a token, by any process (a trigger
  // moves it): while it stands still, an actor checked against the accounts is still right.
  virtual std::int64_t credentials_generation() = 0;
  // nullopt when there is no such user.
  virtual std::optional<domain::User> find_user(domain::UserId id) = 0;
  virtual std::optional<domain::User> find_user_by_login(const std::string& login) = 0;
  // By id.
  virtual PageResult<domain::User> list_users(const UserQuery& query) = 0;
  // The email addresses of the active users of `role` (of `unit`, if given) that have one: whom
  // a notice goes to. Asked in every write that queues a notice, so it must be cheap.
  virtual std::vector<std::string> user_emails(domain::Role role,
                                               std::optional<domain::UnitId> unit) = 0;
  // nullopt when there is no such token.
  virtual std::optional<domain::ApiToken> find_token(domain::TokenId id) = 0;
  // A user's tokens, by id.
  virtual std::vector<domain::ApiToken> user_tokens(domain::UserId user) = 0;
  // The user's password hash (an Argon2id string), empty when none was set or no such user.
  virtual std::string password_hash(domain::UserId user) = 0;
  // nullopt when there is no such session.
  virtual std::optional<domain::Session> find_session(domain::SessionId id) = 0;

  // Newest first.
  virtual PageResult<domain::AuditEntry> list_audit(const AuditQuery& query) = 0;
};

class AccountWrites {
 public:
  virtual ~AccountWrites() = default;
  // A taken login throws domain::Conflict. Returns the new id.
  virtual domain::UserId insert_user(const domain::User& user) = 0;
  virtual void update_user(const domain::User& user) = 0;
  virtual domain::TokenId insert_token(const domain::ApiToken& token) = 0;
  // A token's id is part of its text, so its hash is stored once the row exists.
  virtual void set_token_hash(domain::TokenId id, const std::string& secret_sha256) = 0;
  virtual void revoke_token(domain::TokenId id, domain::Instant at) = 0;
  // Sets (or, with an empty hash, removes) a user's password; moves the credentials generation.
  virtual void set_password(domain::UserId user, const std::string& hash, bool must_change_password,
                            domain::Instant at) = 0;
  // Returns the new id; the hash is set once the row exists (its id is part of the secret).
  virtual domain::SessionId insert_session(const domain::Session& session) = 0;
  virtual void set_session_hash(domain::SessionId id, const std::string& secret_sha256) = 0;
  // Moves last_seen_at forward (never back); does not move the credentials generation.
  virtual void touch_session(domain::SessionId id, domain::Instant at) = 0;
  // Ends one session, or every open session of a user but `except`; both move the credentials
  // generation. Returns how many ended.
  virtual int end_session(domain::SessionId id, domain::Instant at) = 0;
  virtual int end_user_sessions(domain::UserId user, domain::Instant at,
                                std::optional<domain::SessionId> except) = 0;
  // Deletes sessions that ended, or expired, before `before`. Returns how many.
  virtual int delete_old_sessions(domain::Instant before) = 0;
  // Append-only. Returns the entry's id.
  virtual std::int64_t append_audit(const domain::AuditEntry& entry) = 0;
};

// The active leaders, by id, every page of them: who may be in charge of a task, who gets a
// digest. Built on list_users, so every backend has it.
inline std::vector<domain::User> active_leaders(AccountReads& tx) {
  UserQuery q;
  q.role = domain::Role::leader;
  q.active = true;
  q.limit = 1000;
  std::vector<domain::User> out;
  for (;;) {
    auto page = tx.list_users(q);
    out.insert(out.end(), page.items.begin(), page.items.end());
    if (!page.next) {
      return out;
    }
    q.cursor = page.next;
  }
}

}  // namespace dondoc::storage
