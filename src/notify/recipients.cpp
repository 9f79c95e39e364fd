#include "dondoc/notify/recipients.hpp"

#include <nlohmann/json.hpp>

#include "dondoc/notify/reminder_text.hpp"

namespace dondoc::notify {

std::set<std::string> unit_addresses(storage::ReadTx& tx,
                                     const std::vector<domain::UnitId>& units) {
  std::set<std::string> out;
  for (auto id : units) {
    if (auto unit = tx.find_unit(id)) {
      out.insert(unit->emails.begin(), unit->emails.end());
    }
    for (auto& address : tx.user_emails(domain::Role::unit, id)) {
      out.insert(std::move(address));
    }
  }
  return out;
}

std::set<std::string> role_addresses(storage::ReadTx& tx, domain::Role role) {
  const auto addresses = tx.user_emails(role, std::nullopt);
  return {addresses.begin(), addresses.end()};
}

domain::OutboxMessage email(const std::string& key_prefix, const std::string& address,
                            const std::string& event, std::optional<domain::TaskId> task,
                            const std::string& subject, const std::string& body,
                            const std::string& message_id_domain, domain::Instant created,
                            domain::Instant send_at) {
  domain::OutboxMessage m;
  m.dedupe_key = key_prefix + "/email:" + address;
  m.channel = domain::Channel::email;
  m.recipient = address;
  m.event = event;
  m.task_id = task;
  m.subject = subject;
  m.body_text = body;
  m.message_id = stable_message_id(m.dedupe_key, message_id_domain);
  m.created_at = created;
  m.queued_at = created;
  m.next_attempt_at = send_at;
  return m;
}

std::vector<domain::OutboxMessage> webhook_messages(
    const std::vector<WebhookEndpoint>& endpoints, const std::string& key_prefix,
    const std::string& event, const domain::Task& task, const std::string& lead_unit_name,
    const std::string& subject, const std::string& url, domain::Instant created,
    domain::Instant send_at) {
  std::vector<domain::OutboxMessage> out;
  for (const auto& e : endpoints) {
    if (!e.wants(event)) {
      continue;
    }
    domain::OutboxMessage m;
    m.dedupe_key = key_prefix + "/webhook:" + e.name;
    m.channel = domain::Channel::webhook;
    m.recipient = e.name;
    m.event = event;
    m.task_id = task.id;
    m.subject = subject;
    if (e.format == WebhookFormat::chat) {
      m.body_text = nlohmann::json{{"text", subject + "\n" + url}}.dump();
    } else {
      m.body_text = nlohmann::json{
          {"type", "task." + event},
          {"timestamp", domain::format_rfc3339(created, std::chrono::seconds(0))},
          {"data",
           {{"task_id", task.id},
            {"title", task.title},
            {"source_ref", task.source_ref},
            {"lead_unit", lead_unit_name},
            {"due_on",
             task.due_on ? nlohmann::json(task.due_on->to_string()) : nlohmann::json(nullptr)},
            {"state", domain::to_string(task.state)},
            {"summary", subject},
            {"url",
             url}}}}.dump();
    }
    // Standard Webhooks ids look like "msg_<unique>"; the hash of the key keeps it stable.
    const std::string hashed = stable_message_id(m.dedupe_key, "x");
    m.message_id = "msg_" + hashed.substr(8, 16);
    m.created_at = created;
    m.queued_at = created;
    m.next_attempt_at = send_at;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace dondoc::notify
