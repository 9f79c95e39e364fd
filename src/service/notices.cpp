// Notices of task events (issue 4, "events and recipients"), queued in the outbox inside the
// transaction of the change they announce, by the path reminders take too (notify::post).
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

notify::Audience audience_of(notify::Notice notice) {
  switch (notice) {
    case notify::Notice::task_assigned:
      return notify::Audience::task_units;
    case notify::Notice::extension_requested:
      return notify::Audience::leaders_and_office;
    case notify::Notice::completion_reported:
      return notify::Audience::office;
    case notify::Notice::extension_approved:
    case notify::Notice::extension_rejected:
    case notify::Notice::task_confirmed:
    case notify::Notice::task_reopened:
    case notify::Notice::task_cancelled:
    case notify::Notice::extension_closed:
    case notify::Notice::contribution_sent:
      return notify::Audience::lead_unit;
  }
  return notify::Audience::lead_unit;
}

}  // namespace

void queue_notice(const ServiceContext& ctx, storage::WriteTx& tx, notify::Notice notice,
                  const Task& task, std::int64_t event_id, const std::string& detail) {
  const auto audience = audience_of(notice);
  notify::AddressBook addresses(ctx.messages.chairman);
  if (!notify::has_recipients(tx, addresses, ctx.messages, task, audience)) {
    return;
  }
  const auto lead = tx.find_unit(task.lead_unit_id).value_or(Unit{});
  notify::post(
      tx, addresses, ctx.messages, ctx.reminder_policy, ctx.calendar, ctx.zone, ctx.clock.now(),
      task,
      {std::string(notify::to_string(notice)), std::to_string(event_id), audience, lead.name,
       notify::notice_text(notice, task, lead, ctx.messages.base_url, detail,
                           &ctx.messages.templates)});
}

}  // namespace dondoc::service
