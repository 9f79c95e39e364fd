// What a reminder says (issue 4): Vietnamese subject and plain-text body naming the task, its
// source document, lead unit, deadline and state, and a link to it. Built when the reminder is
// queued, so that every retry sends the same words.
#pragma once

#include <string>
#include <string_view>

#include "dondoc/domain/contribution.hpp"
#include "dondoc/domain/extension.hpp"
#include "dondoc/domain/reminder.hpp"
#include "dondoc/domain/task.hpp"
#include "dondoc/domain/unit.hpp"
#include "dondoc/notify/message_template.hpp"

namespace dondoc::notify {

using MessageText = MessageTemplate;  // subject: UTF-8, one line; MIME encoding at delivery

// `templates`: the operator's words for some events (reminders.templates); the built-in
// Vietnamese text for the others.
MessageText reminder_text(const domain::Reminder& reminder, const domain::Task& task,
                          const domain::Unit& lead_unit, const std::string& base_url,
                          const TemplateSet* templates = nullptr);

// Notices of what happened to a task, for the people it concerns.
enum class Notice {
  task_assigned,        // to the lead and coordinating units
  extension_requested,  // to the leaders and the office
  extension_approved,   // to the lead unit
  extension_rejected,   // to the lead unit
  completion_reported,  // to the office
  task_confirmed,       // to the lead unit
  task_reopened,        // to the lead unit
  task_cancelled,       // to the lead unit
  extension_closed,     // to the unit that asked: its request closed itself
  contribution_sent,    // to the lead unit: a coordinating unit has sent its input
};

std::string_view to_string(Notice notice);

// `detail`: the reason, the note or the proposed date, as the notice needs.
MessageText notice_text(Notice notice, const domain::Task& task, const domain::Unit& lead_unit,
                        const std::string& base_url, const std::string& detail,
                        const TemplateSet* templates = nullptr);

// A coordinating unit's reminder of its own deadline (thời hạn phối hợp), to that unit: its
// event is "contribution_due_soon" or "contribution_overdue" (contribution_event).
std::string_view contribution_event(const domain::ContributionReminder& r);
MessageText contribution_reminder_text(const domain::ContributionReminder& r,
                                       const domain::Task& task, const domain::Unit& unit,
                                       const domain::Unit& lead_unit, domain::Date due_on,
                                       const std::string& base_url,
                                       const TemplateSet* templates = nullptr);

// Why a request closed itself, as the unit that asked reads it: "nhiệm vụ đã hoàn thành".
std::string extension_closure_text(domain::ExtensionClosure closure);

// A Message-ID that is the same every time for the same outbox key, so that a resend after a
// crash can be recognised by the receiver.
std::string stable_message_id(const std::string& dedupe_key, const std::string& domain_part);

}  // namespace dondoc::notify
