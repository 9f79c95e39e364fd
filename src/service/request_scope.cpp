#include "dondoc/service/request_scope.hpp"

#include <spdlog/spdlog.h>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"
#include "secrets.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

// The key a caller's requests are counted under: the credential it came with. None for the
// server's operator and for callers without one.
std::optional<std::string> caller_key(const Actor& caller) {
  if (caller.token_id) {
    return "token:" + std::to_string(*caller.token_id);
  }
  if (caller.session_id) {
    return "session:" + std::to_string(*caller.session_id);
  }
  return std::nullopt;
}

}  // namespace

RequestScope::RequestScope(const ServiceContext& ctx, const AccountService& accounts,
                           ScopeLimits limits)
    : ctx_(ctx),
      accounts_(accounts),
      sessions_(ctx, limits.sign_in),
      audit_(ctx),
      requests_(ctx.clock, limits.requests_per_minute, limits.request_burst),
      failures_(ctx, limits.failures_per_minute, limits.failure_burst) {}

std::variant<Actor, AuthFailure> RequestScope::authenticate(const Credential& credential,
                                                            bool may_remember) const {
  if (credential.malformed) {
    // Refused as no secret would be, which also tells whether anyone can sign in yet.
    auto refused = accounts_.authenticate("");
    if (auto* failure = std::get_if<AuthFailure>(&refused)) {
      failure->reason = "malformed token";
    }
    return refused;
  }
  if (SessionService::is_session_credential(credential.secret)) {
    auto found = sessions_.authenticate(credential.secret);
    if (auto* failure = std::get_if<AuthFailure>(&found)) {
      return *failure;
    }
    auto& caller = std::get<SessionCaller>(found);
    if (credential.changes_state &&
        (credential.csrf.empty() || !same_secret(credential.csrf, caller.session.csrf_token))) {
      AuthFailure refused;
      refused.reason = (credential.csrf.empty() ? "no CSRF token with session "
                                                : "wrong CSRF token with session ") +
                       std::to_string(caller.session.id) + " of " + caller.actor.name;
      refused.csrf = true;
      return refused;
    }
    sessions_.seen(caller);
    return caller.actor;
  }
  if (may_remember) {
    if (auto actor = accounts_.remembered(credential.secret)) {
      return *actor;
    }
  }
  return accounts_.authenticate(credential.secret);
}

bool RequestScope::still_current(const Actor& caller) const {
  return !caller.unconfirmed_generation || accounts_.still_current(caller);
}

std::optional<int> RequestScope::rate_limited(const Actor& caller) const {
  const auto key = caller_key(caller);
  return key ? requests_.retry_after(*key) : std::nullopt;
}

std::optional<int> RequestScope::failures_limited(const std::string& client,
                                                  const std::string& path,
                                                  const std::string& what) const {
  return failures_.limited(client, path, what);
}

void RequestScope::in_snapshot(
    const std::function<void()>& work,
    const std::function<void(std::function<void()>)>& after_work_in_hand) const {
  auto in_tx = [&](storage::ReadTx&) { work(); };
  if (after_work_in_hand) {
    ctx_.store.read_shared(
        in_tx, [&] { after_work_in_hand([&store = ctx_.store] { store.end_shared_read(); }); });
  } else {
    ctx_.store.read(in_tx);
  }
}

std::exception_ptr RequestScope::write(const std::function<void(storage::WriteTx&)>& apply,
                                       const Actor& caller, const std::string& credential,
                                       const std::string& method, const std::string& path) const {
  try {
    ctx_.store.write([&](storage::WriteTx& tx) {
      accounts_.confirm(tx, caller, credential);
      apply(tx);
    });
    return nullptr;
  } catch (const CredentialsRefused& e) {
    auto error = std::current_exception();
    record({std::nullopt, "auth", path, "unauthorized",
            method + " " + path + ": " + e.failure().reason, std::nullopt});
    return error;
  } catch (const domain::Forbidden& e) {
    auto error = std::current_exception();
    record({caller, e.action(), path, "forbidden", e.what(), std::nullopt});
    return error;
  } catch (...) {
    return std::current_exception();
  }
}

void RequestScope::record(const Refusal& r) const {
  try {
    ctx_.store.write([&](storage::WriteTx& tx) {
      if (r.client) {
        failures_.write_held(tx, *r.client);  // earlier attempts first
      }
      audit_.record_refusal(tx, r.actor, r.action, domain::excerpt(r.path, 200), r.outcome,
                            domain::excerpt(r.detail, 500));
    });
  } catch (const std::exception& e) {
    // The refusal stands either way; only its record is missing.
    service_logger()->error("event=audit_failed action={} outcome={} error=\"{}\"", r.action,
                            r.outcome, domain::excerpt(e.what()));
  }
}

void RequestScope::flush_held_failures(bool all) const {
  failures_.flush(all);
}

StoreHealth RequestScope::health() const {
  StoreHealth h;
  try {
    ctx_.store.read([](storage::ReadTx& tx) { tx.credentials_generation(); });
  } catch (const std::exception& e) {
    h.readable = false;
    h.error = domain::excerpt(e.what());
  }
  h.schema_version = ctx_.store.schema_version();
  h.durability = ctx_.store.durability();
  return h;
}

storage::WriteReadiness RequestScope::readiness() const {
  return ctx_.store.write_readiness();
}

}  // namespace dondoc::service
