// A unit's deadlines as an iCalendar feed (RFC 5545, issue 5): one all-day event per open task
// on its deadline, whose UID stays the same and whose SEQUENCE grows when the task changes, so
// that Outlook and Thunderbird move the event when the deadline moves.
#pragma once

#include <string>
#include <string_view>

#include "dondoc/service/reports.hpp"

namespace dondoc::http {

// TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines.
std::string ics_escape(std::string_view text);
// A content line folded at 75 octets (§3.1), never inside a UTF-8 sequence, ending in CRLF.
std::string ics_line(std::string_view line);

// `base_url`: links to the tasks; `uid_domain`: the right-hand side of each event's UID (the
// host of web.base_url).
std::string deadlines_calendar(const service::DeadlineFeed& feed, const std::string& base_url,
                               const std::string& uid_domain, domain::Instant now);

}  // namespace dondoc::http
