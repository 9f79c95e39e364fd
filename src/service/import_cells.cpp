#include "import_cells.hpp"

#include <cctype>
#include <charconv>

#include "dondoc/service/text.hpp"

namespace dondoc::service {

using domain::Date;
using domain::Unit;
using domain::UnitId;

std::vector<std::string> split_cell(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t stop = std::min(text.find(separator, start), text.size());
    pieces.push_back(trim(text.substr(start, stop - start)));
    start = stop + 1;
  }
  return pieces;
}

std::string key_of(std::string_view text) {
  std::string key;
  for (const auto& word : search_terms(text)) {
    key += (key.empty() ? "" : " ") + word;
  }
  return key;
}

namespace {

// A date as Vietnamese registers write it (dd/mm/yyyy, also with '.' or '-') or in ISO form.
std::optional<Date> parse_written_date(const std::string& text, std::string& problem) {
  if (auto iso = Date::parse(text)) {
    return iso;
  }
  int parts[3] = {0, 0, 0};
  std::size_t lengths[3] = {0, 0, 0};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    const char* start = p;
    auto [next, ec] = std::from_chars(p, end, parts[i]);
    lengths[i] = static_cast<std::size_t>(next - start);
    if (ec != std::errc() ||
        (i < 2 && (next == end || (*next != '/' && *next != '.' && *next != '-')))) {
      problem = "must be a date written dd/mm/yyyy, e.g. 15/01/2025";
      return std::nullopt;
    }
    p = i < 2 ? next + 1 : next;
  }
  if (p != end || lengths[0] > 2 || lengths[1] > 2 || lengths[2] != 4) {
    problem = "must be a date written dd/mm/yyyy, e.g. 15/01/2025";
    return std::nullopt;
  }
  auto d =
      Date::from_ymd(parts[2], static_cast<unsigned>(parts[1]), static_cast<unsigned>(parts[0]));
  if (!d) {
    problem = "is not a real date";
  }
  return d;
}

}  // namespace

std::optional<Date> parse_date_cell(const std::string& text, std::string& problem) {
  auto d = parse_written_date(text, problem);
  if (d && !domain::is_accepted_date(*d)) {
    problem = "must be a date between 01/01/1900 and 31/12/2200";
    return std::nullopt;
  }
  return d;
}

// "15/03/2025", "10 ngày làm việc", "30 ngày" (or in English), or empty for no deadline.
std::optional<domain::DeadlineSpec> parse_deadline_cell(const std::string& text,
                                                        std::string& problem) {
  if (text.empty()) {
    return domain::DeadlineSpec::none();
  }
  if (std::isdigit(static_cast<unsigned char>(text.front())) &&
      text.find_first_of("/.") != std::string::npos) {
    auto d = parse_date_cell(text, problem);
    return d ? std::optional(domain::DeadlineSpec::on(*d)) : std::nullopt;
  }
  if (Date::parse(text)) {
    auto d = parse_date_cell(text, problem);
    return d ? std::optional(domain::DeadlineSpec::on(*d)) : std::nullopt;
  }
  const std::string key = key_of(text);
  int count = 0;
  auto [rest, ec] = std::from_chars(key.data(), key.data() + key.size(), count);
  const std::string unit =
      ec == std::errc() ? trim(std::string_view(rest, key.data() + key.size() - rest)) : "";
  const bool working = unit == "ngay lam viec" || unit == "working days" || unit == "working day";
  const bool calendar = unit == "ngay" || unit == "days" || unit == "day";
  if (!working && !calendar) {
    problem =
        "must be a date (dd/mm/yyyy), a period such as \"10 ngày làm việc\" or \"30 ngày\", or "
        "empty for no deadline";
    return std::nullopt;
  }
  const int most = working ? domain::kMaxDeadlineWorkingDays : domain::kMaxDeadlineDays;
  if (count < 1 || count > most) {
    problem = "the period must be between 1 and " + std::to_string(most) + " days";
    return std::nullopt;
  }
  return working ? domain::DeadlineSpec::working_days(count) : domain::DeadlineSpec::days(count);
}

std::optional<domain::Priority> parse_priority_cell(const std::string& text) {
  const std::string key = key_of(text);
  if (key.empty() || key == "thuong" || key == "binh thuong" || key == "normal") {
    return domain::Priority::normal;
  }
  if (key == "khan" || key == "thuong khan" || key == "hoa toc" || key == "urgent") {
    return domain::Priority::urgent;
  }
  return std::nullopt;
}

UnitDirectory::UnitDirectory(std::vector<Unit> units) : units_(std::move(units)) {
  for (std::size_t i = 0; i < units_.size(); ++i) {
    by_key_[key_of(units_[i].code)].insert(i);
    by_key_[key_of(units_[i].name)].insert(i);
  }
}

std::optional<UnitId> UnitDirectory::resolve(const std::string& text, std::string& problem) const {
  const std::string key = key_of(text);
  auto it = by_key_.find(key);
  if (it == by_key_.end() || key.empty()) {
    problem = "\"" + text + "\" is not the code or name of any unit";
    return std::nullopt;
  }
  if (it->second.size() > 1) {
    std::string codes;
    for (auto i : it->second) {
      codes += (codes.empty() ? "" : ", ") + units_[i].code;
    }
    problem = "\"" + text + "\" matches several units (codes " + codes + "); write the code";
    return std::nullopt;
  }
  const Unit& u = units_[*it->second.begin()];
  if (!u.active) {
    problem = "\"" + u.name + "\" is no longer active";
    if (u.successor_id) {
      if (const Unit* s = find(*u.successor_id)) {
        problem += "; its work went to \"" + s->name + "\" (" + s->code + ")";
      }
    }
    return std::nullopt;
  }
  return u.id;
}

const Unit* UnitDirectory::find(UnitId id) const {
  for (const auto& u : units_) {
    if (u.id == id) {
      return &u;
    }
  }
  return nullptr;
}

}  // namespace dondoc::service
