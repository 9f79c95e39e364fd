#include "calendar_command.hpp"

#include <algorithm>
#include <array>
#include <iostream>
#include <optional>

#include "dondoc/domain/calendar.hpp"
#include "offline.hpp"

namespace dondoc::app {

namespace {

std::string weekday_name(domain::Date d) {
  static const std::array<const char*, 7> names = {"Thứ Hai", "Thứ Ba",  "Thứ Tư",  "Thứ Năm",
                                                   "Thứ Sáu", "Thứ Bảy", "Chủ nhật"};
  return names[d.iso_weekday() - 1];
}

// Each day with the number of its source; the sources, long document titles, are listed once.
void print_days(const std::vector<domain::Holiday>& days, std::vector<std::string>& sources,
                std::ostream& out) {
  if (days.empty()) {
    out << "  (không có)\n";
  }
  for (const auto& day : days) {
    auto it = std::find(sources.begin(), sources.end(), day.source);
    if (it == sources.end()) {
      it = sources.insert(sources.end(), day.source);
    }
    out << "  " << weekday_name(day.date) << " " << domain::vn_date(day.date) << "  " << day.name
        << " [" << (it - sources.begin()) + 1 << "]\n";
  }
}

}  // namespace

void print_calendar_year(const config::Config& config, int year, std::ostream& out) {
  const domain::WorkingCalendar calendar(config.calendar);
  out << "Lịch làm việc năm " << year << ": ";
  if (config.calendar.holidays_by_year.contains(year)) {
    out << "ngày lễ theo cấu hình (calendar.years), nghỉ bù tính theo Bộ luật Lao động\n";
  } else if (config.calendar.official_years.contains(year)) {
    out << "theo danh sách chính thức (config/calendar/" << year << ".yaml)\n";
  } else {
    out << "tính theo Bộ luật Lao động; chưa có danh sách chính thức của năm này, ngày nghỉ Tết "
           "và ngày hoán đổi có thể khác\n";
  }
  std::vector<std::string> sources;
  out << "Ngày nghỉ:\n";
  print_days(calendar.holidays(year), sources, out);
  out << "Ngày làm việc vào thứ Bảy, Chủ nhật:\n";
  print_days(calendar.worked_weekend_days(year), sources, out);
  out << "Nguồn:\n";
  for (std::size_t i = 0; i < sources.size(); ++i) {
    out << "  [" << i + 1 << "] " << sources[i] << "\n";
  }
}

int calendar_year(const std::string& config_path, int year) {
  const auto config = load_or_report(config_path);
  if (!config) {
    return kExitOfflineConfig;
  }
  print_calendar_year(*config, year, std::cout);
  return 0;
}

}  // namespace dondoc::app
