// Reading the cells of a task register (see task_import.hpp): names compared without case or
// diacritics, dates as Vietnamese registers write them, deadlines as dates or periods, priorities,
// and units by code or name.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/domain/deadline.hpp"
#include "dondoc/domain/task.hpp"
#include "dondoc/domain/unit.hpp"

namespace dondoc::service {

// Headers and unit names are compared folded (no case, no diacritics) with anything but letters
// and digits reduced to one space: "Số, ký hiệu văn bản" and "so ky hieu van ban" are one key.
std::string key_of(std::string_view text);

// The pieces of a cell between `separator`s, each trimmed (empty ones kept, for the caller to
// count or skip).
std::vector<std::string> split_cell(std::string_view text, char separator);

// Each parser gives the value, or nullopt with `problem` saying what is wrong.
// A date as Vietnamese registers write it (dd/mm/yyyy, also with '.' or '-') or in ISO form.
std::optional<domain::Date> parse_date_cell(const std::string& text, std::string& problem);
// "15/03/2025", "10 ngày làm việc", "30 ngày" (or in English), or empty for no deadline.
std::optional<domain::DeadlineSpec> parse_deadline_cell(const std::string& text,
                                                        std::string& problem);
// "Thường" (or empty), "Khẩn", "Thượng khẩn", "Hỏa tốc", or the API's names.
std::optional<domain::Priority> parse_priority_cell(const std::string& text);

// Units found by code or by name, as a register names them.
class UnitDirectory {
 public:
  explicit UnitDirectory(std::vector<domain::Unit> units);
  // The active unit `text` names, or why there is none.
  std::optional<domain::UnitId> resolve(const std::string& text, std::string& problem) const;

 private:
  const domain::Unit* find(domain::UnitId id) const;

  std::vector<domain::Unit> units_;
  std::map<std::string, std::set<std::size_t>> by_key_;
};

}  // namespace dondoc::service
