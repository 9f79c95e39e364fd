// JSON representations of the API's resources (the field names of docs/api.md), fields in the order
// of the design rather than alphabetical, so that a person reading curl output finds them.
#pragma once

#include <nlohmann/json.hpp>

#include "dondoc/domain/attachment.hpp"
#include "dondoc/domain/clock.hpp"
#include "dondoc/service/contributions.hpp"
#include "dondoc/service/extensions.hpp"
#include "dondoc/service/series.hpp"
#include "dondoc/service/services.hpp"

namespace dondoc::http {

class Codec {
 public:
  explicit Codec(const domain::TimeZone& zone) : zone_(zone) {}
  nlohmann::ordered_json unit(const domain::Unit& u) const;
  nlohmann::ordered_json unit_event(const domain::UnitEvent& e) const;
  nlohmann::ordered_json task(const service::TaskView& v) const;
  // Exactly task(v).dump(), written straight into a string: every answer about one task (a
  // create, a get, an action) goes through here, and the document cost more than the rest.
  std::string task_text(const service::TaskView& v) const;
  nlohmann::ordered_json event(const domain::TaskEvent& e) const;
  nlohmann::ordered_json user(const domain::User& u) const;
  nlohmann::ordered_json token(const domain::ApiToken& t) const;  // never the secret
  nlohmann::ordered_json extension(const service::ExtensionView& v) const;
  // A leader as anyone may see them (GET /api/v1/leaders): no email, no account state.
  nlohmann::ordered_json leader(const domain::User& u) const;
  nlohmann::ordered_json audit(const domain::AuditEntry& a) const;
  nlohmann::ordered_json outbox_message(const domain::OutboxMessage& m) const;
  nlohmann::ordered_json rule(const domain::RecurrenceRule& r) const;
  // A series with its pattern, rule and next deadlines; `with_tasks`: and the tasks it has made.
  nlohmann::ordered_json series(const service::SeriesView& v, bool with_tasks = false) const;
  // A coordinating unit's part in a task, its state as of today.
  nlohmann::ordered_json contribution(const service::ContributionView& v) const;
  nlohmann::ordered_json attachment(const domain::Attachment& a) const;
  std::string instant(domain::Instant at) const;

 private:
  const domain::TimeZone& zone_;
};

}  // namespace dondoc::http
