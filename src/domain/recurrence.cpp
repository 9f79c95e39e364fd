#include "dondoc/domain/recurrence.hpp"

#include <algorithm>

#include "dondoc/domain/errors.hpp"
#include "enum_names.hpp"

namespace dondoc::domain {

namespace {

constexpr detail::NameTable<Frequency, 4> kFrequencies{{
    {Frequency::monthly, "monthly"},
    {Frequency::quarterly, "quarterly"},
    {Frequency::half_yearly, "half_yearly"},
    {Frequency::yearly, "yearly"},
}};

constexpr detail::NameTable<DayRule, 2> kDayRules{{
    {DayRule::day_of_month, "day_of_month"},
    {DayRule::working_day, "working_day"},
}};

constexpr detail::NameTable<DayOffRoll, 3> kRolls{{
    {DayOffRoll::keep, "keep"},
    {DayOffRoll::previous, "previous"},
    {DayOffRoll::next, "next"},
}};

constexpr detail::NameTable<SeriesState, 3> kSeriesStates{{
    {SeriesState::active, "active"},
    {SeriesState::stopped, "stopped"},
    {SeriesState::finished, "finished"},
}};

Date first_of_month(int year, int month) {
  return *Date::from_ymd(year, static_cast<unsigned>(month), 1);
}

Date last_of_month(int year, int month) {
  return month == 12 ? *Date::from_ymd(year, 12, 31) : first_of_month(year, month + 1) - 1;
}

// The deadline the rule gives in the month (year, month).
Date due_in_month(const RecurrenceRule& rule, int year, int month,
                  const WorkingCalendar& calendar) {
  const Date first = first_of_month(year, month);
  const Date last = last_of_month(year, month);
  if (rule.day_rule == DayRule::working_day) {
    std::optional<Date> found;
    int seen = 0;
    for (Date d = first; d <= last && seen < rule.day; ++d) {
      if (calendar.is_working_day(d)) {
        found = d;
        ++seen;
      }
    }
    return found.value_or(last);  // a month without a working day does not occur
  }
  Date d = std::min(first + (rule.day - 1), last);
  if (calendar.is_working_day(d) || rule.on_day_off == DayOffRoll::keep) {
    return d;
  }
  const int step = rule.on_day_off == DayOffRoll::previous ? -1 : 1;
  // Bounded: the longest break (Tết) is a few days; a calendar configured without any working
  // day keeps the date rather than walking forever.
  for (int i = 0; i < 60; ++i) {
    d = d + step;
    if (calendar.is_working_day(d)) {
      return d;
    }
  }
  return std::min(first + (rule.day - 1), last);
}

}  // namespace

std::string_view to_string(Frequency f) {
  return detail::name_of(kFrequencies, f);
}
std::optional<Frequency> parse_frequency(std::string_view text) {
  return detail::parse_name(kFrequencies, text);
}
std::string frequency_names() {
  return detail::names_of(kFrequencies);
}
std::string_view to_string(DayRule r) {
  return detail::name_of(kDayRules, r);
}
std::optional<DayRule> parse_day_rule(std::string_view text) {
  return detail::parse_name(kDayRules, text);
}
std::string day_rule_names() {
  return detail::names_of(kDayRules);
}
std::string_view to_string(DayOffRoll r) {
  return detail::name_of(kRolls, r);
}
std::optional<DayOffRoll> parse_day_off_roll(std::string_view text) {
  return detail::parse_name(kRolls, text);
}
std::string day_off_roll_names() {
  return detail::names_of(kRolls);
}
std::string_view to_string(SeriesState s) {
  return detail::name_of(kSeriesStates, s);
}
std::optional<SeriesState> parse_series_state(std::string_view text) {
  return detail::parse_name(kSeriesStates, text);
}

int months_in_period(Frequency f) {
  switch (f) {
    case Frequency::monthly:
      return 1;
    case Frequency::quarterly:
      return 3;
    case Frequency::half_yearly:
      return 6;
    case Frequency::yearly:
      return 12;
  }
  return 1;
}

void validate_rule(const RecurrenceRule& rule, const std::string& prefix) {
  FieldErrors errors;
  const int months = months_in_period(rule.frequency);
  if (rule.month_of_period < 1 || rule.month_of_period > months) {
    errors.add(prefix + "month_of_period",
               months == 1 ? std::string("must be 1 for a monthly series")
                           : "must be between 1 and " + std::to_string(months) + " for a " +
                                 std::string(to_string(rule.frequency)) + " series");
  }
  if (rule.day_rule == DayRule::day_of_month && (rule.day < 1 || rule.day > 31)) {
    errors.add(prefix + "day",
               "must be a day of the month between 1 and 31 (a shorter month ends its period "
               "on its last day)");
  }
  if (rule.day_rule == DayRule::working_day && (rule.day < 1 || rule.day > kMaxWorkingDayOfMonth)) {
    errors.add(prefix + "day", "must be a working day of the month between 1 and " +
                                   std::to_string(kMaxWorkingDayOfMonth));
  }
  if (rule.day_rule == DayRule::working_day && rule.on_day_off != DayOffRoll::keep) {
    errors.add(prefix + "on_day_off", "applies only to a day_of_month rule");
  }
  if (!is_accepted_date(rule.starts_on)) {
    errors.add(prefix + "starts_on", "must be a date between " +
                                         std::to_string(kFirstAcceptedYear) + " and " +
                                         std::to_string(kLastAcceptedYear));
  }
  if (rule.ends_on && !is_accepted_date(*rule.ends_on)) {
    errors.add(prefix + "ends_on", "must be a date between " + std::to_string(kFirstAcceptedYear) +
                                       " and " + std::to_string(kLastAcceptedYear));
  } else if (rule.ends_on && *rule.ends_on < rule.starts_on) {
    errors.add(prefix + "ends_on",
               "must not be before starts_on (" + rule.starts_on.to_string() + ")");
  }
  if (rule.count && (*rule.count < 1 || *rule.count > kMaxSeriesCount)) {
    errors.add(prefix + "count",
               "must be between 1 and " + std::to_string(kMaxSeriesCount) + " deadlines");
  }
  errors.throw_if_any();
}

std::vector<Occurrence> occurrences(const RecurrenceRule& rule, const WorkingCalendar& calendar,
                                    std::optional<Date> after, std::size_t limit) {
  std::vector<Occurrence> out;
  const int months = months_in_period(rule.frequency);
  const Date from = after ? std::max(rule.starts_on, *after + 1) : rule.starts_on;
  // Start one period early: a deadline rolled back to the working day before may fall in the
  // period before its own.
  int index = from.year() * 12 + static_cast<int>(from.month()) - 1;
  index -= index % months + months;
  for (; out.size() < limit; index += months) {
    const int year = index / 12;
    if (year > kLastAcceptedYear) {
      break;
    }
    const int period_month = index % 12 + 1;
    const Date due = due_in_month(rule, year, period_month + rule.month_of_period - 1, calendar);
    if (rule.ends_on && due > *rule.ends_on) {
      break;
    }
    if (due < from) {
      continue;
    }
    const Date period_start = first_of_month(year, period_month);
    out.push_back({std::min(std::max(period_start, rule.starts_on), due), due});
  }
  return out;
}

std::vector<Occurrence> upcoming(const TaskSeries& series, const WorkingCalendar& calendar,
                                 std::size_t limit) {
  if (series.state == SeriesState::stopped) {
    return {};
  }
  if (series.rule.count) {
    const auto left = static_cast<std::size_t>(std::max(0, *series.rule.count - series.generated));
    limit = std::min(limit, left);
  }
  return occurrences(series.rule, calendar, series.last_due_on, limit);
}

}  // namespace dondoc::domain
