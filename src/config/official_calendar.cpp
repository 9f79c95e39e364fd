#include "dondoc/config/official_calendar.hpp"

#include <yaml-cpp/yaml.h>

#include <set>
#include <stdexcept>

namespace dondoc::config {

namespace {

using domain::Date;
using domain::Holiday;

class FileReader {
 public:
  explicit FileReader(std::string file) : file_(std::move(file)) {}

  void problem(const YAML::Mark& mark, const std::string& key, const std::string& message) {
    problems_.push_back({file_, mark.line + 1, mark.column + 1, key, message});
  }

  std::string text(const YAML::Node& node, const std::string& key) {
    if (!node || !node.IsScalar() || node.Scalar().empty()) {
      problem(node ? node.Mark() : YAML::Mark(), key, "must be a non-empty string");
      return {};
    }
    return node.Scalar();
  }

  std::vector<ConfigProblem> take() { return std::move(problems_); }

 private:
  std::string file_;
  std::vector<ConfigProblem> problems_;
};

// `days_off` or `working_days`: entries {date, name, source}, each checked.
std::vector<Holiday> read_days(FileReader& r, const YAML::Node& list, const std::string& key,
                               int year, bool weekend_wanted,
                               const std::map<std::string, std::string>& sources,
                               std::set<std::string>& used, std::set<Date>& seen) {
  std::vector<Holiday> out;
  if (!list || !list.IsSequence()) {
    r.problem(list ? list.Mark() : YAML::Mark(), key,
              "must be a list of {date, name, source} entries");
    return out;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& entry = list[i];
    const std::string at = key + "[" + std::to_string(i) + "]";
    if (!entry.IsMap()) {
      r.problem(entry.Mark(), at, "must be a mapping {date, name, source}");
      continue;
    }
    for (auto it = entry.begin(); it != entry.end(); ++it) {
      const auto k = it->first.Scalar();
      if (k != "date" && k != "name" && k != "source") {
        r.problem(it->first.Mark(), at + "." + k, "unknown key; allowed here: date, name, source");
      }
    }
    const std::string date_text = r.text(entry["date"], at + ".date");
    const std::string name = r.text(entry["name"], at + ".name");
    const std::string source_key = r.text(entry["source"], at + ".source");
    const auto date = Date::parse(date_text);
    if (!date_text.empty() && !date) {
      r.problem(entry["date"].Mark(), at + ".date", "must be a real date as YYYY-MM-DD");
    } else if (date && date->year() != year) {
      r.problem(entry["date"].Mark(), at + ".date",
                date_text + " is not in " + std::to_string(year));
    } else if (date && date->is_weekend() != weekend_wanted) {
      r.problem(entry["date"].Mark(), at + ".date",
                date_text + (weekend_wanted ? " is not a Saturday or Sunday"
                                            : " is a Saturday or Sunday, already a day off"));
    } else if (date && !seen.insert(*date).second) {
      r.problem(entry["date"].Mark(), at + ".date", date_text + " is listed twice");
    }
    const auto source = sources.find(source_key);
    if (!source_key.empty() && source == sources.end()) {
      r.problem(entry["source"].Mark(), at + ".source",
                "'" + source_key + "' is not one of the keys under sources");
    }
    if (date && !name.empty() && source != sources.end()) {
      used.insert(source_key);
      out.push_back({*date, name, source->second});
    }
  }
  return out;
}

}  // namespace

OfficialCalendarRead read_official_calendar(const std::string& yaml,
                                            const std::string& display_name) {
  OfficialCalendarRead result;
  FileReader r(display_name);
  try {
    const YAML::Node root = YAML::Load(yaml);
    if (!root.IsMap()) {
      r.problem(root.Mark(), "(document)",
                "must be a mapping with year, sources, days_off and working_days");
    } else {
      for (auto it = root.begin(); it != root.end(); ++it) {
        const auto k = it->first.Scalar();
        if (k != "year" && k != "sources" && k != "days_off" && k != "working_days") {
          r.problem(it->first.Mark(), k,
                    "unknown key; allowed here: days_off, sources, working_days, year");
        }
      }
      const auto year_node = root["year"];
      if (!year_node || !YAML::convert<int>::decode(year_node, result.year) || result.year < 1990 ||
          result.year > 2100) {
        r.problem(year_node ? year_node.Mark() : root.Mark(), "year",
                  "must be a year between 1990 and 2100");
        result.year = 0;
      }
      std::map<std::string, std::string> sources;
      const auto sources_node = root["sources"];
      if (!sources_node || !sources_node.IsMap() || sources_node.size() == 0) {
        r.problem(sources_node ? sources_node.Mark() : root.Mark(), "sources",
                  "must map short keys to the documents the days come from");
      } else {
        for (auto it = sources_node.begin(); it != sources_node.end(); ++it) {
          sources[it->first.Scalar()] = r.text(it->second, "sources." + it->first.Scalar());
        }
      }
      if (result.year != 0) {
        std::set<std::string> used;
        std::set<Date> seen;
        result.days.days_off =
            read_days(r, root["days_off"], "days_off", result.year, false, sources, used, seen);
        result.days.working_days = read_days(r, root["working_days"], "working_days", result.year,
                                             true, sources, used, seen);
        for (const auto& [key, _] : sources) {
          if (!used.contains(key)) {
            r.problem(sources_node[key].Mark(), "sources." + key, "is not used by any day");
          }
        }
      }
    }
  } catch (const YAML::Exception& e) {
    r.problem(e.mark, "(syntax)", e.msg);
  }
  result.problems = r.take();
  return result;
}

const std::map<int, domain::OfficialYear>& shipped_official_years() {
  static const std::map<int, domain::OfficialYear> years = [] {
    std::map<int, domain::OfficialYear> out;
    std::string problems;
    for (const auto& file : shipped_calendar_files()) {
      const std::string name = "config/calendar" + std::string(file.path);
      auto read = read_official_calendar(std::string(file.content), name);
      for (const auto& p : read.problems) {
        problems += p.to_string() + "\n";
      }
      if (read.problems.empty() && file.path != "/" + std::to_string(read.year) + ".yaml") {
        problems += name + ": holds year " + std::to_string(read.year) + "; name it " +
                    std::to_string(read.year) + ".yaml\n";
      } else if (read.problems.empty() && !out.emplace(read.year, std::move(read.days)).second) {
        problems += name + ": a second file for " + std::to_string(read.year) + "\n";
      }
    }
    if (!problems.empty()) {
      throw std::logic_error("the shipped official calendars have problems:\n" + problems);
    }
    return out;
  }();
  return years;
}

domain::CalendarRules shipped_calendar_rules() {
  domain::CalendarRules rules;
  rules.official_years = shipped_official_years();
  return rules;
}

}  // namespace dondoc::config
