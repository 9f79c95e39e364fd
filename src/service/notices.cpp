// Notices of task events (issue 4, "events and recipients"), queued in the outbox inside the
// transaction of the change they announce.
#include "dondoc/notify/recipients.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

void queue_notice(const ServiceContext& ctx, storage::WriteTx& tx, notify::Notice notice,
                  const Task& task, std::int64_t event_id, const std::string& detail) {
  std::set<std::string> to;
  switch (notice) {
    case notify::Notice::task_assigned: {
      std::vector<UnitId> units = {task.lead_unit_id};
      units.insert(units.end(), task.coordinating_unit_ids.begin(),
                   task.coordinating_unit_ids.end());
      to = notify::unit_addresses(tx, units);
      break;
    }
    case notify::Notice::extension_requested:
      to = notify::role_addresses(tx, domain::Role::leader);
      to.merge(notify::role_addresses(tx, domain::Role::office));
      break;
    case notify::Notice::completion_reported:
      to = notify::role_addresses(tx, domain::Role::office);
      break;
    case notify::Notice::extension_approved:
    case notify::Notice::extension_rejected:
    case notify::Notice::task_confirmed:
    case notify::Notice::task_reopened:
    case notify::Notice::task_cancelled:
      to = notify::unit_addresses(tx, {task.lead_unit_id});
      break;
  }
  if (to.empty() && ctx.webhooks.empty()) {
    return;
  }
  const auto lead = tx.find_unit(task.lead_unit_id);
  const auto text = notify::notice_text(notice, task, lead.value_or(Unit{}), ctx.base_url, detail,
                                        &ctx.templates);
  const auto now = ctx.clock.now();
  const bool any_time =
      ctx.reminder_policy.urgent_bypasses_hours && task.priority == domain::Priority::urgent;
  const auto send_at = any_time ? now
                                : domain::next_window_opening(now, ctx.reminder_policy.hours,
                                                              ctx.calendar, ctx.zone);
  const std::string key = "task/" + std::to_string(task.id) + "/" +
                          std::string(notify::to_string(notice)) + "/" + std::to_string(event_id);
  for (const auto& address : to) {
    tx.enqueue(notify::email(key, address, std::string(notify::to_string(notice)), task.id,
                             text.subject, text.body, ctx.message_id_domain, now, send_at));
  }
  for (const auto& m :
       notify::webhook_messages(ctx.webhooks, key, std::string(notify::to_string(notice)), task,
                                lead.value_or(Unit{}).name, text.subject,
                                ctx.base_url + "/tasks/" + std::to_string(task.id), now, send_at)) {
    tx.enqueue(m);
  }
}

}  // namespace dondoc::service
