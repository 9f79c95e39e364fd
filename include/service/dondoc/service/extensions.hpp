// Extension requests (xin lùi thời hạn, docs/design.md, "The domain"): filing, withdrawing and
// deciding them. A decision and the deadline it moves commit together with their history and audit
// rows.
#pragma once

#include <optional>
#include <string>

#include "dondoc/service/context.hpp"

namespace dondoc::service {

struct NewExtension {
  std::optional<Date> proposed_due_on;
  std::string reason;
  std::string document_ref;
};

enum class ExtensionDecision { approve, reject, withdraw };

struct DecisionInput {
  std::optional<Date> due_on;  // approve: another date than the one proposed
  std::string note;
};

struct ExtensionListRequest {
  std::optional<TaskId> task_id;
  std::optional<UnitId> unit_id;
  std::optional<domain::ExtensionState> state;
  std::optional<Date> created_from;  // local dates, inclusive
  std::optional<Date> created_to;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

class ExtensionService {
 public:
  explicit ExtensionService(const ServiceContext& ctx) : ctx_(ctx) {}

  WritePlan<domain::ExtensionRequest> plan_request(const Actor& actor, TaskId task,
                                                   NewExtension input);
  WritePlan<domain::ExtensionRequest> plan_decide(const Actor& actor, domain::ExtensionId id,
                                                  ExtensionDecision decision, DecisionInput input);
  domain::ExtensionRequest request(const Actor& actor, TaskId task, NewExtension input);
  domain::ExtensionRequest decide(const Actor& actor, domain::ExtensionId id,
                                  ExtensionDecision decision, DecisionInput input);

  domain::ExtensionRequest get(const Actor& actor, domain::ExtensionId id);
  storage::PageResult<domain::ExtensionRequest> list(const Actor& actor,
                                                     const ExtensionListRequest& r);

 private:
  const ServiceContext& ctx_;
};

}  // namespace dondoc::service
