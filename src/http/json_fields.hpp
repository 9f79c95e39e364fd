// Strict reading of a JSON request object: every unknown or read-only field, wrong type,
// impossible date and missing field is collected with its name, so one 400 lists them all.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dondoc/domain/date.hpp"
#include "dondoc/domain/errors.hpp"

namespace dondoc::http {

class JsonFields {
 public:
  // `read_only` names fields a client may see but not set here: they get a message saying so
  // instead of being silently ignored.
  JsonFields(const nlohmann::json& body, const std::set<std::string>& allowed,
             const std::set<std::string>& read_only, domain::FieldErrors& errors,
             std::string prefix = "");

  bool has(const std::string& name) const;
  std::optional<std::string> string(const std::string& name, bool required = false);
  std::optional<domain::Date> date(const std::string& name, bool required = false);
  // For nullable dates: nullopt = absent; engaged nullopt = JSON null.
  std::optional<std::optional<domain::Date>> nullable_date(const std::string& name);
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t min, std::int64_t max,
                                      bool required = false);
  std::optional<std::optional<std::int64_t>> nullable_integer(const std::string& name,
                                                              std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(const std::string& name);
  std::optional<std::vector<std::int64_t>> id_array(const std::string& name);
  std::optional<std::vector<std::string>> string_array(const std::string& name);
  const nlohmann::json* object(const std::string& name);

  std::string path(const std::string& name) const { return prefix_ + name; }
  domain::FieldErrors& errors() { return errors_; }

 private:
  const nlohmann::json* get(const std::string& name, bool required);

  const nlohmann::json& body_;
  domain::FieldErrors& errors_;
  std::string prefix_;
  bool is_object_ = false;
};

// Parses a request body: valid UTF-8, valid JSON, an object. An empty body is `{}` when allowed.
nlohmann::json parse_body(const std::string& body, bool allow_empty);

}  // namespace dondoc::http
