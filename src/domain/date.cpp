#include "dondoc/domain/date.hpp"

#include <charconv>
#include <cstdio>

namespace dondoc::domain {

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

year_month_day ymd_of(std::int32_t d) {
  return year_month_day{sys_days{days{d}}};
}

bool parse_uint(std::string_view text, int& out) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

std::optional<Date> Date::from_ymd(int year, unsigned month, unsigned day) {
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return Date(static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count()));
}

std::optional<Date> Date::parse(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') {
    return std::nullopt;
  }
  int y = 0;
  int m = 0;
  int d = 0;
  if (!parse_uint(iso.substr(0, 4), y) || !parse_uint(iso.substr(5, 2), m) ||
      !parse_uint(iso.substr(8, 2), d)) {
    return std::nullopt;
  }
  return from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

int Date::year() const {
  return static_cast<int>(ymd_of(days_).year());
}
unsigned Date::month() const {
  return static_cast<unsigned>(ymd_of(days_).month());
}
unsigned Date::day() const {
  return static_cast<unsigned>(ymd_of(days_).day());
}

unsigned Date::iso_weekday() const {
  return std::chrono::weekday{sys_days{days{days_}}}.iso_encoding();
}

namespace {

// `width` decimal digits of `value` (0 <= value < 10^width) at `out`. Dates and instants are
// written for every task of every answer, and snprintf was most of that.
void put_digits(char* out, long long value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string Date::to_string() const {
  const int y = year();
  if (y < 0 || y > 9999) {  // outside what dondoc stores; kept exact rather than fast
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, month(), day());
    return buf;
  }
  std::string out(10, '-');
  put_digits(out.data(), y, 4);
  put_digits(out.data() + 5, month(), 2);
  put_digits(out.data() + 8, day(), 2);
  return out;
}

Date local_date(Instant at, std::chrono::seconds utc_offset) {
  auto local = std::chrono::floor<days>(at + utc_offset);
  return Date::from_days(static_cast<std::int32_t>(local.time_since_epoch().count()));
}

std::int64_t to_unix_millis(Instant at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

Instant from_unix_millis(std::int64_t millis) {
  return Instant{std::chrono::duration_cast<Instant::duration>(std::chrono::milliseconds{millis})};
}

std::string vn_date(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", d.day(), d.month(), d.year());
  return buf;
}

std::string format_rfc3339(Instant at, std::chrono::seconds utc_offset) {
  auto local = at + utc_offset;
  auto day_start = std::chrono::floor<days>(local);
  Date date = Date::from_days(static_cast<std::int32_t>(day_start.time_since_epoch().count()));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(local - day_start).count();
  long off_min = static_cast<long>(utc_offset.count() / 60);
  char sign = off_min < 0 ? '-' : '+';
  off_min = off_min < 0 ? -off_min : off_min;
  // YYYY-MM-DDTHH:MM:SS.mmm+HH:MM
  std::string out = date.to_string();
  const std::size_t at_time = out.size();
  out.append("T00:00:00.000+00:00");
  char* p = out.data() + at_time;
  put_digits(p + 1, static_cast<long long>(ms / 3600000), 2);
  put_digits(p + 4, static_cast<long long>(ms / 60000 % 60), 2);
  put_digits(p + 7, static_cast<long long>(ms / 1000 % 60), 2);
  put_digits(p + 10, static_cast<long long>(ms % 1000), 3);
  p[13] = sign;
  put_digits(p + 14, off_min / 60 % 100, 2);
  put_digits(p + 17, off_min % 60, 2);
  return out;
}

std::optional<Instant> parse_rfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  auto date = Date::parse(text.substr(0, 10));
  int hh = 0;
  int mm = 0;
  int ss = 0;
  // An instant is nanoseconds since 1970 in 64 bits: years 1677-2262. Beyond the accepted dates
  // (found by fuzzing: 2502-09-10T07:00:00+07:00 overflowed) it is no instant.
  if (!date || !is_accepted_date(*date) || !parse_uint(text.substr(11, 2), hh) ||
      !parse_uint(text.substr(14, 2), mm) || !parse_uint(text.substr(17, 2), ss) || hh > 23 ||
      mm > 59 || ss > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) {
        millis = millis * 10 + (text[pos] - '0');
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) {
      return std::nullopt;
    }
    for (int i = digits; i < 3; ++i) {
      millis *= 10;
    }
  }
  std::int64_t offset_s = 0;
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_s = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0;
    int om = 0;
    if (!parse_uint(zone.substr(1, 2), oh) || !parse_uint(zone.substr(4, 2), om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset_s = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  std::int64_t local_ms = static_cast<std::int64_t>(date->days_since_epoch()) * 86400000 +
                          (hh * 3600 + mm * 60 + ss) * 1000LL + millis;
  return from_unix_millis(local_ms - offset_s * 1000);
}

}  // namespace dondoc::domain
