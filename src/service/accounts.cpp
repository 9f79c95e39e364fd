#include "dondoc/service/accounts.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <atomic>
#include <charconv>
#include <mutex>
#include <unordered_map>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/text.hpp"
#include "secrets.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

using domain::ApiToken;
using domain::User;

constexpr std::string_view kTokenPrefix = "ddt_";
constexpr int kMaxTokenDays = 3650;

std::optional<domain::TokenId> token_id_of(std::string_view token) {
  return credential_id(kTokenPrefix, token);
}

void normalize(User& u) {
  u.login = trim(u.login);
  u.display_name = trim(normalize_nfc(u.display_name, "display_name"));
  u.email = trim(u.email);
}

// The unit of a `unit` user must exist and be active.
void check_user_unit(storage::ReadTx& tx, const User& u) {
  if (!u.unit_id) {
    return;
  }
  auto unit = tx.find_unit(*u.unit_id);
  if (!unit) {
    throw domain::ValidationError("unit_id",
                                  "unit " + std::to_string(*u.unit_id) + " does not exist");
  }
  if (!unit->active) {
    throw domain::ValidationError(
        "unit_id", "unit " + std::to_string(unit->id) + " (" + unit->name + ") is inactive");
  }
}

User load_user(storage::ReadTx& tx, domain::UserId id) {
  auto u = tx.find_user(id);
  if (!u) {
    throw domain::NotFound("user " + std::to_string(id) + " does not exist");
  }
  return *u;
}

}  // namespace

// The actors of the tokens checked lately, each with the credentials generation it was checked
// at. Every request but /healthz presents a token; checking one reads the token and its user and
// hashes the token, a third of the work of answering a GET. Kept only in memory: a restart
// starts with none.
class CredentialCache {
 public:
  struct Entry {
    std::string bearer;  // compared in constant time with the one presented
    Actor actor;
    std::optional<domain::Instant> expires_at;
    std::int64_t generation = 0;
  };

  std::optional<Entry> find(domain::TokenId id, const std::string& bearer,
                            domain::Instant now) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end() || it->second.bearer.size() != bearer.size() ||
        CRYPTO_memcmp(it->second.bearer.data(), bearer.data(), bearer.size()) != 0 ||
        (it->second.expires_at && *it->second.expires_at <= now)) {
      return std::nullopt;
    }
    return it->second;
  }

  void keep(domain::TokenId id, Entry entry) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) {
      entries_.clear();  // a province has hundreds of users, not thousands of live tokens
    }
    entries_.insert_or_assign(id, std::move(entry));
  }

  void forget(domain::TokenId id) {
    std::lock_guard lock(mutex_);
    entries_.erase(id);
  }

  // The newest generation this process has read: an entry older than it is known stale.
  void saw(std::int64_t generation) {
    std::int64_t seen = latest_.load();
    while (seen < generation && !latest_.compare_exchange_weak(seen, generation)) {
    }
  }
  std::int64_t latest() const { return latest_.load(); }

 private:
  static constexpr std::size_t kMaxEntries = 4096;
  mutable std::mutex mutex_;
  std::unordered_map<domain::TokenId, Entry> entries_;
  std::atomic<std::int64_t> latest_{0};
};

AccountService::AccountService(const ServiceContext& ctx)
    : ctx_(ctx), cache_(std::make_shared<CredentialCache>()) {}

WritePlan<User> AccountService::plan_create_user(const Actor& actor, NewUser in) {
  require(actor, Operation::user_manage);
  auto u = std::make_shared<User>();
  u->login = std::move(in.login);
  u->display_name = std::move(in.display_name);
  u->email = std::move(in.email);
  u->role = in.role;
  u->unit_id = in.unit_id;
  normalize(*u);
  domain::validate_user(*u);
  u->created_at = u->updated_at = ctx_.clock.now();
  return {[this, actor, u](storage::WriteTx& tx) {
            if (auto other = tx.find_user_by_login(u->login)) {
              throw domain::Conflict("login '" + u->login + "' is already taken by user " +
                                     std::to_string(other->id));
            }
            check_user_unit(tx, *u);
            u->id = tx.insert_user(*u);
            ctx_.audit(tx, actor, "user.create", "user/" + std::to_string(u->id),
                       u->login + " as " + std::string(domain::to_string(u->role)));
          },
          [u] { return *u; }};
}

WritePlan<User> AccountService::plan_update_user(const Actor& actor, domain::UserId id,
                                                 UserPatch patch) {
  require(actor, Operation::user_manage);
  auto result = std::make_shared<User>();
  return {[this, actor, id, patch = std::move(patch), result](storage::WriteTx& tx) {
            User u = load_user(tx, id);
            apply_if(patch.display_name, u.display_name);
            apply_if(patch.email, u.email);
            apply_if(patch.role, u.role);
            apply_if(patch.unit_id, u.unit_id);
            if (patch.role && *patch.role != domain::Role::unit && !patch.unit_id) {
              u.unit_id.reset();  // only unit users belong to a unit
            }
            const bool deactivating = u.active && patch.active && !*patch.active;
            apply_if(patch.active, u.active);
            normalize(u);
            domain::validate_user(u);
            check_user_unit(tx, u);
            u.updated_at = ctx_.clock.now();
            tx.update_user(u);
            if (deactivating) {
              // Its tokens are revoked, not merely suspended: reactivating an account must not
              // silently bring back tokens handed out long before (new ones are issued).
              for (const auto& token : tx.user_tokens(id)) {
                if (!token.revoked_at) {
                  tx.revoke_token(token.id, u.updated_at);
                }
              }
            }
            // Its remembered tokens are not trusted again without a check. Noted before the
            // commit: should the batch fail, writes merely check their tokens until the next
            // account change.
            cache_->saw(tx.credentials_generation());
            ctx_.audit(tx, actor, u.active ? "user.update" : "user.deactivate",
                       "user/" + std::to_string(id), u.login);
            *result = u;
          },
          [result] { return *result; }};
}

WritePlan<IssuedToken> AccountService::plan_issue_token(const Actor& actor, domain::UserId user,
                                                        NewToken in) {
  require(actor, Operation::user_manage);
  if (in.expires_in_days && (*in.expires_in_days < 1 || *in.expires_in_days > kMaxTokenDays)) {
    throw domain::ValidationError("expires_in_days",
                                  "must be between 1 and " + std::to_string(kMaxTokenDays));
  }
  auto issued = std::make_shared<IssuedToken>();
  issued->token.user_id = user;
  issued->token.label = trim(normalize_nfc(in.label, "label"));
  if (issued->token.label.size() > 200) {
    throw domain::ValidationError("label", "must be at most 200 bytes");
  }
  issued->token.created_at = ctx_.clock.now();
  if (in.expires_in_days) {
    issued->token.expires_at =
        issued->token.created_at + std::chrono::hours(24) * *in.expires_in_days;
  }
  auto secret = std::make_shared<std::string>(random_secret());
  return {[this, actor, issued, secret](storage::WriteTx& tx) {
            const User u = load_user(tx, issued->token.user_id);
            if (!u.active) {
              throw domain::Conflict("user " + u.login + " is deactivated; reactivate it first");
            }
            // The id is part of the token, so the hash is filled in once the row exists.
            issued->token.secret_sha256 = std::string(64, '0');
            issued->token.id = tx.insert_token(issued->token);
            issued->secret =
                std::string(kTokenPrefix) + std::to_string(issued->token.id) + "_" + *secret;
            issued->token.secret_sha256 = sha256_hex(issued->secret);
            tx.set_token_hash(issued->token.id, issued->token.secret_sha256);
            ctx_.audit(tx, actor, "token.issue", "token/" + std::to_string(issued->token.id),
                       "for " + u.login);
          },
          [issued] { return *issued; }};
}

WritePlan<ApiToken> AccountService::plan_revoke_token(const Actor& actor, domain::TokenId id) {
  require(actor, Operation::user_manage);
  auto result = std::make_shared<ApiToken>();
  return {[this, actor, id, result](storage::WriteTx& tx) {
            auto t = tx.find_token(id);
            if (!t) {
              throw domain::NotFound("token " + std::to_string(id) + " does not exist");
            }
            tx.revoke_token(id, ctx_.clock.now());
            cache_->saw(tx.credentials_generation());  // see plan_update_user
            *result = *tx.find_token(id);
            ctx_.audit(tx, actor, "token.revoke", "token/" + std::to_string(id));
          },
          [result] { return *result; }};
}

User AccountService::create_user(const Actor& actor, NewUser in) {
  return run(ctx_.store, plan_create_user(actor, std::move(in)));
}
User AccountService::update_user(const Actor& actor, domain::UserId id, UserPatch patch) {
  return run(ctx_.store, plan_update_user(actor, id, std::move(patch)));
}
IssuedToken AccountService::issue_token(const Actor& actor, domain::UserId user, NewToken in) {
  return run(ctx_.store, plan_issue_token(actor, user, std::move(in)));
}
ApiToken AccountService::revoke_token(const Actor& actor, domain::TokenId id) {
  return run(ctx_.store, plan_revoke_token(actor, id));
}

User AccountService::get_user(const Actor& actor, domain::UserId id) {
  require(actor, Operation::user_manage);
  std::optional<User> u;
  ctx_.store.read([&](storage::ReadTx& tx) { u = tx.find_user(id); });
  if (!u) {
    throw domain::NotFound("user " + std::to_string(id) + " does not exist");
  }
  return *u;
}

User AccountService::get_user_by_login(const Actor& actor, const std::string& login) {
  require(actor, Operation::user_manage);
  std::optional<User> u;
  ctx_.store.read([&](storage::ReadTx& tx) { u = tx.find_user_by_login(login); });
  if (!u) {
    throw domain::NotFound("there is no user with login '" + login + "'");
  }
  return *u;
}

std::vector<User> AccountService::leaders(const Actor& actor) {
  require(actor, Operation::unit_read);
  std::vector<User> out;
  ctx_.store.read([&](storage::ReadTx& tx) { out = storage::active_leaders(tx); });
  return out;
}

storage::PageResult<User> AccountService::list_users(const Actor& actor, const UserListRequest& r) {
  require(actor, Operation::user_manage);
  storage::UserQuery q;
  q.role = r.role;
  q.unit_id = r.unit_id;
  q.active = r.active;
  q.limit = page_limit(ctx_, r.limit);
  q.cursor = r.cursor;
  storage::PageResult<User> page;
  ctx_.store.read([&](storage::ReadTx& tx) { page = tx.list_users(q); });
  return page;
}

std::vector<ApiToken> AccountService::list_tokens(const Actor& actor, domain::UserId user) {
  require(actor, Operation::user_manage);
  std::vector<ApiToken> out;
  ctx_.store.read([&](storage::ReadTx& tx) {
    load_user(tx, user);
    out = tx.user_tokens(user);
  });
  return out;
}

namespace {

// A token checked against the accounts as `tx` sees them.
struct Checked {
  std::variant<Actor, AuthFailure> result;
  std::optional<domain::Instant> expires_at;
};

Checked check_token(storage::ReadTx& tx, const std::string& bearer,
                    std::optional<domain::TokenId> id, domain::Instant now) {
  std::optional<ApiToken> token;
  std::optional<User> user;
  if (id) {
    token = tx.find_token(*id);
    if (token) {
      user = tx.find_user(token->user_id);
    }
  }
  const bool no_users = !user && tx.count_users() == 0;
  auto fail = [&](std::string reason) {
    return Checked{AuthFailure{std::move(reason), no_users}, std::nullopt};
  };
  if (bearer.empty()) {
    return fail("no token");
  }
  if (!id) {
    return fail("malformed token");
  }
  // Compared in constant time, so that the answer's timing says nothing about the secret.
  const std::string presented = sha256_hex(bearer);
  if (!token || !user ||
      CRYPTO_memcmp(presented.data(), token->secret_sha256.data(), presented.size()) != 0) {
    return fail("unknown token " + std::to_string(*id));
  }
  // A deactivated user's tokens are revoked with it: said first, as the more telling reason.
  if (!user->active) {
    return fail("token " + std::to_string(*id) + " of deactivated user " + user->login);
  }
  if (token->revoked_at) {
    return fail("revoked token " + std::to_string(*id));
  }
  if (token->expires_at && *token->expires_at <= now) {
    return fail("expired token " + std::to_string(*id));
  }
  Actor actor = Actor::user(*user);
  actor.token_id = token->id;
  return {actor, token->expires_at};
}

}  // namespace

std::variant<Actor, AuthFailure> AccountService::authenticate(const std::string& bearer) const {
  const auto id = token_id_of(bearer);
  const auto now = ctx_.clock.now();
  const auto known = id ? cache_->find(*id, bearer, now) : std::nullopt;
  std::variant<Actor, AuthFailure> out;
  ctx_.store.read([&](storage::ReadTx& tx) {
    const std::int64_t generation = tx.credentials_generation();
    cache_->saw(generation);
    if (known && known->generation == generation) {
      out = known->actor;
      return;
    }
    Checked checked = check_token(tx, bearer, id, now);
    if (const auto* actor = std::get_if<Actor>(&checked.result)) {
      cache_->keep(*id, {bearer, *actor, checked.expires_at, generation});
    } else if (id) {
      cache_->forget(*id);
    }
    out = std::move(checked.result);
  });
  return out;
}

std::optional<Actor> AccountService::remembered(const std::string& bearer) const {
  const auto id = token_id_of(bearer);
  if (!id) {
    return std::nullopt;
  }
  auto known = cache_->find(*id, bearer, ctx_.clock.now());
  if (!known || known->generation < cache_->latest()) {
    return std::nullopt;
  }
  Actor actor = std::move(known->actor);
  actor.unconfirmed_generation = known->generation;
  return actor;
}

void AccountService::confirm(storage::ReadTx& tx, const Actor& actor,
                             const std::string& bearer) const {
  if (!actor.unconfirmed_generation ||
      tx.credentials_generation() == *actor.unconfirmed_generation) {
    return;
  }
  // Some account changed since: perhaps this one. (The generation read here may include
  // uncommitted changes of this batch, so it is not remembered.)
  const auto id = token_id_of(bearer);
  Checked checked = check_token(tx, bearer, id, ctx_.clock.now());
  if (const auto* failure = std::get_if<AuthFailure>(&checked.result)) {
    cache_->forget(*actor.token_id);
    throw CredentialsRefused(*failure);
  }
  const Actor& now = std::get<Actor>(checked.result);
  if (now.user_id != actor.user_id || now.role != actor.role || now.unit_id != actor.unit_id ||
      now.name != actor.name) {
    cache_->forget(*actor.token_id);
    throw domain::Conflict(
        "the account of this token changed (its role, unit or login) while the request was on "
        "its way; nothing was written: send the request again");
  }
}

bool AccountService::still_current(const Actor& actor) const {
  if (!actor.unconfirmed_generation) {
    return true;
  }
  std::int64_t generation = 0;
  ctx_.store.read([&](storage::ReadTx& tx) { generation = tx.credentials_generation(); });
  cache_->saw(generation);
  return generation == *actor.unconfirmed_generation;
}

}  // namespace dondoc::service
