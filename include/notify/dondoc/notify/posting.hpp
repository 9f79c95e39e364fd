// One path for every message about a task (a notice of what happened to it, a reminder of its
// deadline): who it goes to, when it may be sent, its dedupe key, and the webhooks it fans out
// to are decided here, once, inside the transaction that queues it in the outbox.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/clock.hpp"
#include "dondoc/domain/reminder.hpp"
#include "dondoc/domain/task.hpp"
#include "dondoc/notify/message_template.hpp"
#include "dondoc/notify/reminder_text.hpp"
#include "dondoc/notify/webhook.hpp"
#include "dondoc/storage/store.hpp"

namespace dondoc::notify {

// What every message takes from the configuration.
struct MessageSettings {
  std::string base_url = "http://127.0.0.1:8080";  // links to tasks: {base_url}/tasks/N
  std::string message_id_domain = "dondoc.localhost";
  std::vector<WebhookEndpoint> webhooks;
  TemplateSet templates;  // the operator's words for some events
  // The login of the Chairman, who hears of every task's escalations and gets every task in
  // the daily digest, whoever is in charge of it (reminders.chairman); empty: nobody does.
  std::string chairman;

  std::string task_link(domain::TaskId id) const;
};

// Whom a message about a task is for.
enum class Audience {
  task_units,          // its lead and coordinating units
  lead_unit,           // its lead unit
  leaders,             // the leader in charge and the Chairman; with neither, every leader
  office,              // the Office
  leaders_and_office,  // the leaders as above, and the Office
  one_unit,            // the unit TaskMessage::unit_id names (a coordinating unit)
};

// The email addresses of an audience, each looked up once per AddressBook: a scanner pass keeps
// one for all the tasks it handles, a notice uses one of its own.
class AddressBook {
 public:
  // `chairman`: the login of MessageSettings::chairman.
  explicit AddressBook(std::string chairman = "") : chairman_(std::move(chairman)) {}

  // `unit`: the unit of Audience::one_unit.
  const std::set<std::string>& of(storage::ReadTx& tx, const domain::Task& task, Audience audience,
                                  domain::UnitId unit = 0);

 private:
  // The task's leader in charge, if any, and the Chairman, if configured; and the Office too
  // when `office`.
  const std::set<std::string>& leaders_of(storage::ReadTx& tx, const domain::Task& task,
                                          bool office);

  std::string chairman_;
  std::map<std::vector<domain::UnitId>, std::set<std::string>> units_;
  std::map<std::vector<domain::Role>, std::set<std::string>> roles_;
  std::map<std::pair<std::int64_t, bool>, std::set<std::string>> in_charge_;
};

struct TaskMessage {
  std::string event;       // "task_assigned", "overdue", ...: the outbox's event, a template's
  std::string occurrence;  // what sets it apart from the event's other messages for the task
  Audience audience = Audience::task_units;
  std::string lead_unit_name;
  MessageText text;
  domain::UnitId unit_id = 0;  // Audience::one_unit's unit
};

// Queues `message` about `task` in `tx`: an email to each address of its audience and a webhook
// to each endpoint that wants its event, keyed "task/<id>/<event>/<occurrence>/<recipient>" so
// that none is ever queued twice, to be sent once the working day's window opens (at once for an
// urgent task when the reminder policy allows). Returns how many were queued.
int post(storage::WriteTx& tx, AddressBook& addresses, const MessageSettings& settings,
         const domain::ReminderPolicy& policy, const domain::WorkingCalendar& calendar,
         const domain::TimeZone& zone, domain::Instant now, const domain::Task& task,
         const TaskMessage& message);

// Whether a message about `task` for `audience` would go anywhere: to spare composing its text.
bool has_recipients(storage::ReadTx& tx, AddressBook& addresses, const MessageSettings& settings,
                    const domain::Task& task, Audience audience);

}  // namespace dondoc::notify
