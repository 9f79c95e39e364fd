#include "dondoc/notify/posting.hpp"

#include "dondoc/notify/recipients.hpp"

namespace dondoc::notify {

std::string MessageSettings::task_link(domain::TaskId id) const {
  return base_url + "/tasks/" + std::to_string(id);
}

const std::set<std::string>& AddressBook::of(storage::ReadTx& tx, const domain::Task& task,
                                             Audience audience, domain::UnitId unit) {
  const auto roles = [&](std::vector<domain::Role> key) -> const std::set<std::string>& {
    auto it = roles_.find(key);
    if (it == roles_.end()) {
      std::set<std::string> addresses;
      for (const auto r : key) {
        addresses.merge(role_addresses(tx, r));
      }
      it = roles_.emplace(std::move(key), std::move(addresses)).first;
    }
    return it->second;
  };
  const auto units = [&](std::vector<domain::UnitId> key) -> const std::set<std::string>& {
    auto it = units_.find(key);
    if (it == units_.end()) {
      auto addresses = unit_addresses(tx, key);
      it = units_.emplace(std::move(key), std::move(addresses)).first;
    }
    return it->second;
  };
  switch (audience) {
    case Audience::task_units: {
      std::vector<domain::UnitId> ids = {task.lead_unit_id};
      ids.insert(ids.end(), task.coordinating_unit_ids.begin(), task.coordinating_unit_ids.end());
      return units(std::move(ids));
    }
    case Audience::lead_unit:
      return units({task.lead_unit_id});
    case Audience::one_unit:
      return units({unit});
    case Audience::leaders:
      return task.leader_id || !chairman_.empty() ? leaders_of(tx, task, false)
                                                  : roles({domain::Role::leader});
    case Audience::office:
      return roles({domain::Role::office});
    case Audience::leaders_and_office:
      return task.leader_id || !chairman_.empty()
                 ? leaders_of(tx, task, true)
                 : roles({domain::Role::leader, domain::Role::office});
  }
  return roles({});  // not reached: every audience is handled above
}

const std::set<std::string>& AddressBook::leaders_of(storage::ReadTx& tx, const domain::Task& task,
                                                     bool office) {
  const std::pair key{task.leader_id.value_or(0), office};
  auto it = in_charge_.find(key);
  if (it != in_charge_.end()) {
    return it->second;
  }
  std::set<std::string> addresses;
  const auto add = [&](const std::optional<domain::User>& user) {
    if (user && user->active && user->role == domain::Role::leader && !user->email.empty()) {
      addresses.insert(user->email);
    }
  };
  if (task.leader_id) {
    add(tx.find_user(*task.leader_id));
  }
  if (!chairman_.empty()) {
    add(tx.find_user_by_login(chairman_));
  }
  if (office) {
    addresses.merge(role_addresses(tx, domain::Role::office));
  }
  return in_charge_.emplace(key, std::move(addresses)).first->second;
}

bool has_recipients(storage::ReadTx& tx, AddressBook& addresses, const MessageSettings& settings,
                    const domain::Task& task, Audience audience) {
  return !settings.webhooks.empty() || !addresses.of(tx, task, audience).empty();
}

int post(storage::WriteTx& tx, AddressBook& addresses, const MessageSettings& settings,
         const domain::ReminderPolicy& policy, const domain::WorkingCalendar& calendar,
         const domain::TimeZone& zone, domain::Instant now, const domain::Task& task,
         const TaskMessage& message) {
  // Outside working hours a message waits for the window to open, unless the task is urgent and
  // the policy lets urgent messages through at any hour.
  const bool any_time = policy.urgent_bypasses_hours && task.priority == domain::Priority::urgent;
  const auto send_at =
      any_time ? now : domain::next_window_opening(now, policy.hours, calendar, zone);
  const std::string key =
      "task/" + std::to_string(task.id) + "/" + message.event + "/" + message.occurrence;
  int queued = 0;
  for (const auto& address : addresses.of(tx, task, message.audience, message.unit_id)) {
    queued += tx.enqueue(email(key, address, message.event, task.id, message.text.subject,
                               message.text.body, settings.message_id_domain, now, send_at))
                  ? 1
                  : 0;
  }
  for (const auto& m :
       webhook_messages(settings.webhooks, key, message.event, task, message.lead_unit_name,
                        message.text.subject, settings.task_link(task.id), now, send_at)) {
    queued += tx.enqueue(m) ? 1 : 0;
  }
  return queued;
}

}  // namespace dondoc::notify
