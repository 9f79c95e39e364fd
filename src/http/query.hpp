// Query strings: percent-decoding, and strict typed access that refuses unknown parameters (a
// misspelt filter must not silently return everything).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "dondoc/domain/date.hpp"
#include "dondoc/domain/errors.hpp"

namespace dondoc::http {

struct Target {
  std::string path;
  std::map<std::string, std::string> query;
};

// A request target as logs may show it: the value of a `token` parameter (calendar feeds carry
// their API token in the URL) is replaced by "***".
std::string loggable_target(const std::string& target);

// Splits and decodes a request target; a malformed escape or a repeated parameter is a 400.
Target parse_target(const std::string& target);

class QueryParams {
 public:
  QueryParams(const std::map<std::string, std::string>& query, const std::set<std::string>& allowed,
              domain::FieldErrors& errors);
  std::optional<std::string> string(const std::string& name) const;
  std::optional<domain::Date> date(const std::string& name);
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(const std::string& name);

 private:
  const std::map<std::string, std::string>& query_;
  domain::FieldErrors& errors_;
};

}  // namespace dondoc::http
