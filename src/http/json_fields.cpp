#include "json_fields.hpp"

#include "dondoc/domain/text.hpp"

namespace dondoc::http {

using nlohmann::json;

JsonFields::JsonFields(const json& body, const std::set<std::string>& allowed,
                       const std::set<std::string>& read_only, domain::FieldErrors& errors,
                       std::string prefix)
    : body_(body), errors_(errors), prefix_(std::move(prefix)) {
  is_object_ = body.is_object();
  if (!is_object_) {
    errors_.add(prefix_.empty() ? "" : prefix_.substr(0, prefix_.size() - 1),
                "must be a JSON object");
    return;
  }
  for (const auto& [key, _] : body.items()) {
    if (read_only.contains(key)) {
      errors_.add(path(key), "is set by dondoc and cannot be given here");
    } else if (!allowed.contains(key)) {
      std::string list;
      for (const auto& a : allowed) {
        list += (list.empty() ? "" : ", ") + a;
      }
      errors_.add(path(key), "unknown field; allowed: " + list);
    }
  }
}

bool JsonFields::has(const std::string& name) const {
  return is_object_ && body_.contains(name);
}

const json* JsonFields::get(const std::string& name, bool required) {
  if (!is_object_) {
    return nullptr;
  }
  auto it = body_.find(name);
  if (it == body_.end()) {
    if (required) {
      errors_.add(path(name), "is required");
    }
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> JsonFields::string(const std::string& name, bool required) {
  const json* v = get(name, required);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    errors_.add(path(name), "must be a string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<domain::Date> JsonFields::date(const std::string& name, bool required) {
  const json* v = get(name, required);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    errors_.add(path(name), "must be a date as \"YYYY-MM-DD\"");
    return std::nullopt;
  }
  const auto text = v->get<std::string>();
  auto d = domain::Date::parse(text);
  if (!d) {
    errors_.add(path(name), "'" + domain::excerpt(text, 40) + "' is not a real date as YYYY-MM-DD");
  } else if (!domain::is_accepted_date(*d)) {
    errors_.add(path(name), domain::kAcceptedDatesMessage);
    return std::nullopt;
  }
  return d;
}

std::optional<std::optional<domain::Date>> JsonFields::nullable_date(const std::string& name) {
  const json* v = get(name, false);
  if (!v) {
    return std::nullopt;
  }
  if (v->is_null()) {
    return std::optional<domain::Date>{};
  }
  auto d = date(name);
  if (!d) {
    return std::nullopt;
  }
  return std::optional<domain::Date>{*d};
}

std::optional<std::int64_t> JsonFields::integer(const std::string& name, std::int64_t min,
                                                std::int64_t max, bool required) {
  const json* v = get(name, required);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_number_integer()) {
    errors_.add(path(name), "must be an integer");
    return std::nullopt;
  }
  const bool too_big =
      v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max);
  const std::int64_t n = too_big ? max : v->get<std::int64_t>();
  if (too_big || n < min || n > max) {
    errors_.add(path(name),
                "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::optional<std::int64_t>> JsonFields::nullable_integer(const std::string& name,
                                                                        std::int64_t min,
                                                                        std::int64_t max) {
  const json* v = get(name, false);
  if (!v) {
    return std::nullopt;
  }
  if (v->is_null()) {
    return std::optional<std::int64_t>{};
  }
  auto n = integer(name, min, max);
  if (!n) {
    return std::nullopt;
  }
  return std::optional<std::int64_t>{*n};
}

std::optional<bool> JsonFields::boolean(const std::string& name) {
  const json* v = get(name, false);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_boolean()) {
    errors_.add(path(name), "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::vector<std::int64_t>> JsonFields::id_array(const std::string& name) {
  const json* v = get(name, false);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_array()) {
    errors_.add(path(name), "must be an array of unit ids");
    return std::nullopt;
  }
  std::vector<std::int64_t> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_number_integer() ||
        (item.is_number_unsigned() && item.get<std::uint64_t>() > INT64_MAX) ||
        item.get<std::int64_t>() < 1) {
      errors_.add(path(name) + "[" + std::to_string(i) + "]", "must be a positive integer id");
      ok = false;
    } else {
      out.push_back(item.get<std::int64_t>());
    }
  }
  return ok ? std::optional(out) : std::nullopt;
}

std::optional<std::vector<std::string>> JsonFields::string_array(const std::string& name) {
  const json* v = get(name, false);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_array()) {
    errors_.add(path(name), "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      errors_.add(path(name) + "[" + std::to_string(i) + "]", "must be a string");
      ok = false;
    } else {
      out.push_back((*v)[i].get<std::string>());
    }
  }
  return ok ? std::optional(out) : std::nullopt;
}

const json* JsonFields::object(const std::string& name) {
  const json* v = get(name, false);
  if (v && !v->is_object()) {
    errors_.add(path(name), "must be a JSON object");
    return nullptr;
  }
  return v;
}

json parse_body(const std::string& body, bool allow_empty) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    if (allow_empty) {
      return json::object();
    }
    throw domain::ValidationError("", "the request body is empty; a JSON object is required");
  }
  if (auto bad = domain::first_invalid_utf8(body)) {
    throw domain::ValidationError(
        "", "the request body is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  }
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::exception& e) {
    // A parse error, or a number too large to hold (out_of_range 406). "[json.exception.
    // parse_error.101] parse error at line 1, column 9: ..." → keep the part a client can act
    // on, bounded: the message quotes what was read, which may be a megabyte of digits or a
    // lone byte of a UTF-8 sequence.
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) {
      what = what.substr(pos + 2);
    }
    throw domain::ValidationError(
        "", "the request body is not valid JSON: " + domain::excerpt(what, 160));
  }
  if (!parsed.is_object()) {
    throw domain::ValidationError("", "the request body must be a JSON object");
  }
  return parsed;
}

}  // namespace dondoc::http
