// What a reminder says (issue 4): Vietnamese subject and plain-text body naming the task, its
// source document, lead unit, deadline and state, and a link to it. Built when the reminder is
// queued, so that every retry sends the same words.
#pragma once

#include <string>

#include "dondoc/domain/reminder.hpp"
#include "dondoc/domain/task.hpp"
#include "dondoc/domain/unit.hpp"

namespace dondoc::notify {

struct MessageText {
  std::string subject;  // UTF-8, one line; MIME encoding happens at delivery
  std::string body;
};

MessageText reminder_text(const domain::Reminder& reminder, const domain::Task& task,
                          const domain::Unit& lead_unit, const std::string& base_url);

// A Message-ID that is the same every time for the same outbox key, so that a resend after a
// crash can be recognised by the receiver.
std::string stable_message_id(const std::string& dedupe_key, const std::string& domain_part);

}  // namespace dondoc::notify
