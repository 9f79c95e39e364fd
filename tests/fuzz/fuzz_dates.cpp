// Dates and deadlines as clients and registers write them: ISO dates, RFC 3339 instants,
// dd/mm/yyyy cells and "N ngày làm việc" periods, resolved on the working calendar.
#include <cstdint>
#include <string>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/date.hpp"
#include "dondoc/domain/deadline.hpp"
#include "dondoc/domain/errors.hpp"
#include "import_cells.hpp"

using namespace dondoc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const domain::WorkingCalendar calendar;
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)domain::Date::parse(text);
  if (auto at = domain::parse_rfc3339(text)) {
    (void)domain::format_rfc3339(*at, std::chrono::hours(7));
  }
  // A refusal (ValidationError, a 400 for the client) is a fine outcome; anything else that
  // escapes is a bug.
  try {
    std::string problem;
    const auto assigned = service::parse_date_cell(text.substr(0, 10), problem);
    const auto deadline =
        service::parse_deadline_cell(text.size() > 10 ? text.substr(10) : text, problem);
    if (deadline) {
      const auto from = assigned.value_or(*domain::Date::parse("2025-02-20"));
      if (auto due = domain::resolve_deadline(*deadline, from, calendar)) {
        (void)calendar.working_days_between(from, *due);
        (void)domain::vn_date(*due);
      }
    }
  } catch (const domain::ValidationError&) {
  }
  return 0;
}
