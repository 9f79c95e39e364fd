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
  // The date of the decision, when it is entered later (domain/effective.hpp); none: today.
  std::optional<Date> effective_on = std::nullopt;
};

// A request with what its reader needs to decide it without opening the task: the task's title,
// source document, state and deadline now, and the name of the unit that asked.
struct ExtensionView {
  domain::ExtensionRequest request;
  std::string task_title;
  std::string task_source_ref;
  std::optional<Date> task_source_date;
  domain::LifecycleState task_state = domain::LifecycleState::open;
  std::optional<Date> task_due_on;
  std::string unit_name;
};

struct ExtensionListRequest {
  std::optional<TaskId> task_id;
  std::optional<UnitId> unit_id;
  std::optional<domain::ExtensionState> state;
  std::optional<std::int64_t> leader_id;  // on tasks this leader is in charge of
  std::optional<Date> created_from;       // local dates, inclusive
  std::optional<Date> created_to;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

class ExtensionService {
 public:
  explicit ExtensionService(const ServiceContext& ctx) : ctx_(ctx) {}

  WritePlan<ExtensionView> plan_request(const Actor& actor, TaskId task, NewExtension input);
  WritePlan<ExtensionView> plan_decide(const Actor& actor, domain::ExtensionId id,
                                       ExtensionDecision decision, DecisionInput input);
  ExtensionView request(const Actor& actor, TaskId task, NewExtension input);
  ExtensionView decide(const Actor& actor, domain::ExtensionId id, ExtensionDecision decision,
                       DecisionInput input);

  ExtensionView get(const Actor& actor, domain::ExtensionId id);
  storage::PageResult<ExtensionView> list(const Actor& actor, const ExtensionListRequest& r);

 private:
  const ServiceContext& ctx_;
};

}  // namespace dondoc::service
