// Who hears of what (issue 4): the email addresses of units (their own addresses and their
// active users') and of the users of a role. Sorted, without repeats: one message per recipient.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "dondoc/domain/account.hpp"
#include "dondoc/domain/outbox.hpp"
#include "dondoc/domain/task.hpp"
#include "dondoc/notify/webhook.hpp"
#include "dondoc/storage/store.hpp"

namespace dondoc::notify {

std::set<std::string> unit_addresses(storage::ReadTx& tx, const std::vector<domain::UnitId>& units);
std::set<std::string> role_addresses(storage::ReadTx& tx, domain::Role role);

// An email to `address` in the outbox, keyed by `key_prefix` and the address.
domain::OutboxMessage email(const std::string& key_prefix, const std::string& address,
                            const std::string& event, std::optional<domain::TaskId> task,
                            const std::string& subject, const std::string& body,
                            const std::string& message_id_domain, domain::Instant created,
                            domain::Instant send_at);

// One webhook message per endpoint that wants `event`, keyed by `key_prefix` and the endpoint's
// name; the payload is JSON (Standard Webhooks' `type`, `timestamp`, `data`), or `{"text": ...}`
// for a chat endpoint. Its webhook-id is stable across retries.
std::vector<domain::OutboxMessage> webhook_messages(
    const std::vector<WebhookEndpoint>& endpoints, const std::string& key_prefix,
    const std::string& event, const domain::Task& task, const std::string& lead_unit_name,
    const std::string& subject, const std::string& url, domain::Instant created,
    domain::Instant send_at);

}  // namespace dondoc::notify
