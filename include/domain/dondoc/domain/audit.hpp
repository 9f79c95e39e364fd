// The audit trail: every write and every refused attempt, with who, when, what and on what.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dondoc/domain/date.hpp"

namespace dondoc::domain {

struct AuditEntry {
  std::int64_t id = 0;
  Instant at{};
  std::optional<std::int64_t> actor_user_id;  // none when the caller was not authenticated
  std::string actor;                          // login, or "anonymous" / "system"
  std::string action;                         // e.g. "task.create", "extension.approve"
  std::string target;                         // e.g. "task/42", "user/3"
  std::string outcome;                        // "ok", "unauthorized" or "forbidden"
  std::string detail;                         // never a token or a secret
  // Repeats collapsed into this one entry (failed authentications from one client): how many,
  // from `at` to `last_at`. 1 and nullopt for an entry about one attempt.
  std::int64_t count = 1;
  std::optional<Instant> last_at;
};

}  // namespace dondoc::domain
