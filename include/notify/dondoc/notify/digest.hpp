// Digests (issue 4): one message that gathers many tasks, a daily one for each leader and a
// weekly one for the Office: what is overdue, what falls due this week, which extension requests
// wait for a decision. Empty digests are never built.
#pragma once

#include <string>
#include <vector>

#include "dondoc/domain/date.hpp"
#include "dondoc/notify/reminder_text.hpp"

namespace dondoc::notify {

enum class DigestKind { daily, weekly };

struct DigestLine {
  std::int64_t task_id = 0;
  std::string title;
  std::string lead_unit;
  std::string source_ref;
  domain::Date due_on;
  int days = 0;  // overdue: days past the deadline; pending request: the date asked for is in
                 // `proposed`
  std::string proposed;
};

struct DigestContent {
  std::vector<DigestLine> overdue;
  std::int64_t overdue_total = 0;
  std::vector<DigestLine> due_this_week;
  std::int64_t due_this_week_total = 0;
  std::vector<DigestLine> pending_extensions;
  std::int64_t pending_total = 0;

  bool empty() const { return overdue_total + due_this_week_total + pending_total == 0; }
};

MessageText digest_text(DigestKind kind, domain::Date day, const DigestContent& content,
                        const std::string& base_url);

}  // namespace dondoc::notify
