#include "dondoc/service/audit.hpp"

#include "service_helpers.hpp"

namespace dondoc::service {

void AuditService::record_refusal(storage::WriteTx& tx, const std::optional<Actor>& actor,
                                  std::string action, std::string target, std::string outcome,
                                  std::string detail) const {
  domain::AuditEntry e;
  if (actor) {
    e = audit_entry_for(*actor, ctx_.clock.now());
  } else {
    e.at = ctx_.clock.now();
    e.actor = "anonymous";
  }
  e.action = std::move(action);
  e.target = std::move(target);
  e.outcome = std::move(outcome);
  e.detail = std::move(detail);
  tx.append_audit(e);
}

storage::PageResult<domain::AuditEntry> AuditService::list(const Actor& actor,
                                                           const AuditListRequest& r) {
  require(actor, Operation::audit_read);
  storage::AuditQuery q;
  q.actor = r.actor;
  q.action = r.action;
  q.target = r.target;
  q.outcome = r.outcome;
  if (r.outcome && *r.outcome != "ok" && *r.outcome != "unauthorized" &&
      *r.outcome != "forbidden") {
    throw domain::ValidationError("outcome", "must be one of ok, unauthorized, forbidden");
  }
  // Local dates, as everywhere in the API: from the start of `from` to the end of `to`.
  if (r.from) {
    q.from = ctx_.zone.start_of(*r.from);
  }
  if (r.to) {
    q.before = ctx_.zone.start_of(*r.to + 1);
  }
  q.limit = page_limit(ctx_, r.limit);
  q.cursor = r.cursor;
  storage::PageResult<domain::AuditEntry> page;
  ctx_.store.read([&](storage::ReadTx& tx) { page = tx.list_audit(q); });
  return page;
}

}  // namespace dondoc::service
