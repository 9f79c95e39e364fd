// The audit trail (issue 3): reading it, and recording refused attempts. Successful writes are
// recorded by their own use case, in their own transaction (ServiceContext::audit).
#pragma once

#include <optional>
#include <string>

#include "dondoc/service/context.hpp"

namespace dondoc::service {

struct AuditListRequest {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> target;
  std::optional<std::string> outcome;
  std::optional<Date> from;  // local dates, inclusive
  std::optional<Date> to;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

class AuditService {
 public:
  explicit AuditService(const ServiceContext& ctx) : ctx_(ctx) {}

  storage::PageResult<domain::AuditEntry> list(const Actor& actor, const AuditListRequest& r);

  // Records a refused attempt: `outcome` is "unauthorized" (401) or "forbidden" (403). Runs
  // inside the caller's write transaction.
  void record_refusal(storage::WriteTx& tx, const std::optional<Actor>& actor, std::string action,
                      std::string target, std::string outcome, std::string detail) const;

 private:
  const ServiceContext& ctx_;
};

}  // namespace dondoc::service
