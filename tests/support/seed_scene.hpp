// The register of a real monthly meeting (seed 004) as a CSV with its history: 60 tasks finished
// in 2024, the 134 carried over into 2025 (113 done, 16 open, 5 overdue), and the 494 new ones
// from 2 January 2025 (356 done, 135 open, 2 overdue, 1 cancelled). Reported as of 15/02/2025 it
// gives the meeting's figures; the tests that use it compute nothing from it but the import.
#pragma once

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "dondoc/domain/date.hpp"

namespace dondoc::testing {

struct SeedKind {
  int count;
  const char* assigned_from;  // spread over 40 days from here
  const char* due;            // "" : 60 days after assignment
  const char* state;
  const char* settled;  // completion or cancellation date, spread over 30 days from here
};

// The units the register names: code → name.
inline const std::map<std::string, std::string>& seed_scene_units() {
  static const std::map<std::string, std::string> units = {
      {"SXD", "Sở Xây dựng"},
      {"SYT", "Sở Y tế"},
      {"STC", "Sở Tài chính"},
      {"SNNMT", "Sở Nông nghiệp và Môi trường"}};
  return units;
}

inline std::string seed_scene_csv() {
  const std::vector<SeedKind> kinds = {
      // 2024: finished before the period (not carried over), and the 134 carried over.
      {60, "2024-09-01", "", "Đã hoàn thành", "2024-11-15"},
      {113, "2024-10-01", "2025-03-31", "Đã hoàn thành", "2025-01-03"},
      {16, "2024-11-01", "2025-03-31", "Đang thực hiện", ""},
      {5, "2024-11-01", "2025-01-31", "Đang thực hiện", ""},
      // 2025: the 494 new ones.
      {356, "2025-01-02", "2025-03-31", "Đã hoàn thành", "2025-01-15"},
      {135, "2025-01-02", "2025-03-31", "Đang thực hiện", ""},
      {2, "2025-01-02", "2025-02-10", "Đang thực hiện", ""},
      {1, "2025-01-02", "2025-03-31", "Đã hủy", "2025-02-03"},
  };
  std::ostringstream csv;
  csv << "Số ký hiệu,Nội dung nhiệm vụ,Đơn vị chủ trì,Ngày giao,Thời hạn,Trạng thái,"
         "Ngày hoàn thành,Văn bản báo cáo hoàn thành,Ngày hủy,Lý do hủy\n";
  int n = 0;
  const char* const units[] = {"SXD", "SYT", "STC", "SNNMT"};
  for (const auto& k : kinds) {
    for (int i = 0; i < k.count; ++i, ++n) {
      const domain::Date assigned = *domain::Date::parse(k.assigned_from) + i % 40;
      const domain::Date due = *k.due ? *domain::Date::parse(k.due) : assigned + 60;
      csv << n % 50 + 1 << "/TB-UBND,Nhiệm vụ số " << n + 1 << ',' << units[n % 4] << ','
          << domain::vn_date(assigned) << ',' << domain::vn_date(due) << ',' << k.state << ',';
      // Never before its own assignment.
      const std::string settled =
          *k.settled ? domain::vn_date(std::max(*domain::Date::parse(k.settled) + i % 30, assigned))
                     : "";
      if (std::string(k.state) == "Đã hoàn thành") {
        csv << settled << ',' << n + 1 << "/BC,,\n";
      } else if (std::string(k.state) == "Đã hủy") {
        csv << ",," << settled << ",Đã lồng ghép vào nhiệm vụ khác\n";
      } else {
        csv << ",,,\n";
      }
    }
  }
  return csv.str();
}

}  // namespace dondoc::testing
