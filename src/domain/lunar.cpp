#include "dondoc/domain/lunar.hpp"

#include <cmath>
#include <numbers>

namespace dondoc::domain {

namespace {

// Vietnam's calendar is computed for UTC+7 (since 1968); that is why it sometimes differs from
// China's by a day or a month.
constexpr double kTimeZoneHours = 7.0;
constexpr double kSynodicMonth = 29.530588853;
constexpr double kJdOf1900NewMoon = 2415021.076998695;
// Julian day number of 1970-01-01.
constexpr long kJdUnixEpoch = 2440588;

long floor_long(double x) {
  return static_cast<long>(std::floor(x));
}

long jd_of(Date d) {
  return d.days_since_epoch() + kJdUnixEpoch;
}
Date date_of_jd(long jd) {
  return Date::from_days(static_cast<std::int32_t>(jd - kJdUnixEpoch));
}

// Julian day (fractional, UT) of the k-th new moon after 1900-01-01.
double new_moon(long k) {
  const double dr = std::numbers::pi / 180;
  const double t = k / 1236.85;
  const double t2 = t * t;
  const double t3 = t2 * t;
  double jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd1 += 0.00033 * std::sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
  const double m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  const double mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  const double f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  double c1 = (0.1734 - 0.000393 * t) * std::sin(m * dr) + 0.0021 * std::sin(2 * dr * m);
  c1 = c1 - 0.4068 * std::sin(mpr * dr) + 0.0161 * std::sin(dr * 2 * mpr);
  c1 = c1 - 0.0004 * std::sin(dr * 3 * mpr);
  c1 = c1 + 0.0104 * std::sin(dr * 2 * f) - 0.0051 * std::sin(dr * (m + mpr));
  c1 = c1 - 0.0074 * std::sin(dr * (m - mpr)) + 0.0004 * std::sin(dr * (2 * f + m));
  c1 = c1 - 0.0004 * std::sin(dr * (2 * f - m)) - 0.0006 * std::sin(dr * (2 * f + mpr));
  c1 = c1 + 0.0010 * std::sin(dr * (2 * f - mpr)) + 0.0005 * std::sin(dr * (2 * mpr + m));
  double delta_t = 0;
  if (t < -11) {
    delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
  } else {
    delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2;
  }
  return jd1 + c1 - delta_t;
}

long new_moon_day(long k) {
  return floor_long(new_moon(k) + 0.5 + kTimeZoneHours / 24);
}

// Sun's apparent longitude in radians, normalized to [0, 2π).
double sun_longitude(double jdn) {
  const double dr = std::numbers::pi / 180;
  const double t = (jdn - 2451545.0) / 36525;
  const double t2 = t * t;
  const double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * std::sin(dr * m);
  dl += (0.019993 - 0.000101 * t) * std::sin(dr * 2 * m) + 0.000290 * std::sin(dr * 3 * m);
  double l = (l0 + dl) * dr;
  l -= 2 * std::numbers::pi * std::floor(l / (2 * std::numbers::pi));
  return l;
}

// Which of the 12 major solar terms (30° sectors) the sun is in at the start of a local day.
long sun_sector(long day_number) {
  return floor_long(sun_longitude(day_number - 0.5 - kTimeZoneHours / 24) / std::numbers::pi * 6);
}

// Julian day of the start of lunar month 11 (the month containing the winter solstice) of `year`.
long lunar_month_11(int year) {
  const long off = jd_of(*Date::from_ymd(year, 12, 31)) - 2415021;
  const long k = floor_long(off / kSynodicMonth);
  long nm = new_moon_day(k);
  if (sun_sector(nm) >= 9) {
    nm = new_moon_day(k - 1);
  }
  return nm;
}

// In a 13-month year, the offset from month 11 of the first month without a major solar term.
long leap_month_offset(long a11) {
  const long k = floor_long((a11 - kJdOf1900NewMoon) / kSynodicMonth + 0.5);
  long last = 0;
  long i = 1;
  long arc = sun_sector(new_moon_day(k + i));
  do {
    last = arc;
    ++i;
    arc = sun_sector(new_moon_day(k + i));
  } while (arc != last && i < 14);
  return i - 1;
}

}  // namespace

std::optional<Date> lunar_to_solar(int day, int month, int year, bool leap) {
  if (day < 1 || day > 30 || month < 1 || month > 12) {
    return std::nullopt;
  }
  long a11 = 0;
  long b11 = 0;
  if (month < 11) {
    a11 = lunar_month_11(year - 1);
    b11 = lunar_month_11(year);
  } else {
    a11 = lunar_month_11(year);
    b11 = lunar_month_11(year + 1);
  }
  const long k = floor_long(0.5 + (a11 - kJdOf1900NewMoon) / kSynodicMonth);
  long off = month - 11;
  if (off < 0) {
    off += 12;
  }
  if (b11 - a11 > 365) {
    const long leap_off = leap_month_offset(a11);
    long leap_month = leap_off - 2;
    if (leap_month < 0) {
      leap_month += 12;
    }
    if (leap && month != leap_month) {
      return std::nullopt;
    }
    if (leap || off >= leap_off) {
      off += 1;
    }
  } else if (leap) {
    return std::nullopt;
  }
  const long month_start = new_moon_day(k + off);
  const long next_month_start = new_moon_day(k + off + 1);
  if (month_start + day - 1 >= next_month_start) {
    return std::nullopt;
  }
  return date_of_jd(month_start + day - 1);
}

Date lunar_new_year(int year) {
  return *lunar_to_solar(1, 1, year);
}

}  // namespace dondoc::domain
