// Calendar dates in the province's local time, and instants. Deadlines are local dates
// (docs/design.md, "The domain"); instants are UTC time points rendered with the configured zone's
// offset at the edges.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dondoc::domain {

using Instant = std::chrono::system_clock::time_point;

// A proleptic Gregorian date, stored as days since 1970-01-01 so that arithmetic is exact.
class Date {
 public:
  constexpr Date() = default;
  static constexpr Date from_days(std::int32_t days_since_epoch) { return Date(days_since_epoch); }
  // Returns nullopt for impossible dates such as 2025-02-30.
  static std::optional<Date> from_ymd(int year, unsigned month, unsigned day);
  // Accepts exactly YYYY-MM-DD; nullopt for any other shape or an impossible date.
  static std::optional<Date> parse(std::string_view iso);

  std::int32_t days_since_epoch() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  // 1 = Monday … 7 = Sunday (ISO 8601).
  unsigned iso_weekday() const;
  bool is_weekend() const { return iso_weekday() >= 6; }
  std::string to_string() const;

  Date operator+(int days) const { return Date(days_ + days); }
  Date operator-(int days) const { return Date(days_ - days); }
  int operator-(Date other) const { return days_ - other.days_; }
  Date& operator++() {
    ++days_;
    return *this;
  }
  auto operator<=>(const Date&) const = default;

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

// The dates dondoc accepts from a client, anywhere: every instant made from one must fit in
// system_clock's nanoseconds (years 1677-2262), or a query silently answers nothing (an audit
// search to 9999-12-31 once did). Task dates have narrower bounds of their own (1990-2100).
inline constexpr int kFirstAcceptedYear = 1900;
inline constexpr int kLastAcceptedYear = 2200;
inline bool is_accepted_date(Date d) {
  return d.year() >= kFirstAcceptedYear && d.year() <= kLastAcceptedYear;
}
inline constexpr const char* kAcceptedDatesMessage = "must be between 1900-01-01 and 2200-12-31";

// The local calendar date of an instant, given the zone's UTC offset at that instant.
Date local_date(Instant at, std::chrono::seconds utc_offset);

// Milliseconds since the Unix epoch, the form instants take in storage.
std::int64_t to_unix_millis(Instant at);
Instant from_unix_millis(std::int64_t millis);

// A date as Vietnamese readers write it, in messages and reports: 05/03/2025.
std::string vn_date(Date d);

// RFC 3339 with the given offset, millisecond precision: 2025-02-10T07:00:00.000+07:00.
std::string format_rfc3339(Instant at, std::chrono::seconds utc_offset);
// Parses RFC 3339 with Z or ±HH:MM; nullopt if malformed.
std::optional<Instant> parse_rfc3339(std::string_view text);

}  // namespace dondoc::domain
