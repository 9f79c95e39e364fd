// Failed authentications, per client (an address today; a login for the sign-in to come).
// Each client may fail `burst` times at once and `per_minute` after, each failure an audit entry
// of its own. Past that, a failure is answered 429 and only counted: the count becomes one audit
// entry (how many, the first and the last instant) when the client's next recorded failure is
// written, when a minute has passed since its first (looked at by every recorded failure and by
// flush), or at flush(true). A flood of bad tokens once wrote 5,000 fsynced rows a second.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "dondoc/domain/audit.hpp"
#include "dondoc/domain/token_buckets.hpp"
#include "dondoc/service/context.hpp"

namespace dondoc::service {

class FailedAttempts {
 public:
  FailedAttempts(const ServiceContext& ctx, int per_minute, int burst);

  // Counts a failed attempt by `client`. nullopt: record it (record()); else the seconds the
  // client should wait, and the attempt is held in a count instead. `what` says what was tried
  // ("GET /api/v1/tasks: unknown token"), for the entry the count becomes.
  std::optional<int> limited(const std::string& client, const std::string& target,
                             const std::string& what);
  // Inside the caller's write transaction: the counts held for `client`, and any held for over
  // a minute, as audit entries.
  void write_held(storage::WriteTx& tx, const std::string& client);
  // In a transaction of its own: the counts held for over a minute, or all of them.
  void flush(bool all);
  // Attempts counted and not yet written.
  std::int64_t held() const;

 private:
  struct Held {
    std::int64_t count = 0;
    domain::Instant first;
    domain::Instant last;
    std::string target;
    std::string what;
  };
  domain::AuditEntry entry_of(const std::string& client, const Held& h) const;
  // Takes the counts to write: `client`'s (if not empty), those older than a minute, or all.
  std::map<std::string, Held> take(const std::string& client, bool all);

  const ServiceContext& ctx_;
  domain::TokenBuckets<std::string> buckets_;
  mutable std::mutex mutex_;
  std::map<std::string, Held> held_;
};

}  // namespace dondoc::service
