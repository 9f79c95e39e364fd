#include "query.hpp"

#include <algorithm>
#include <charconv>

#include "dondoc/domain/text.hpp"

namespace dondoc::http {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::string decode(const std::string& s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) {
        throw domain::ValidationError("", "the request target has a malformed %-escape");
      }
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  if (domain::first_invalid_utf8(out)) {
    throw domain::ValidationError("", "the request target is not valid UTF-8 once decoded");
  }
  return out;
}

}  // namespace

std::string loggable_target(const std::string& target) {
  constexpr std::size_t kMaxLogged = 200;
  const auto q = target.find('?');
  if (q == std::string::npos) {
    return domain::excerpt(target, kMaxLogged);
  }
  // Names are compared once decoded (`?%74oken=` is `?token=`); a name that cannot be decoded
  // hides its value too.
  std::string out = target.substr(0, q + 1);
  std::size_t start = q + 1;
  while (start <= target.size()) {
    const std::size_t end = std::min(target.find('&', start), target.size());
    const std::string pair = target.substr(start, end - start);
    const auto eq = pair.find('=');
    std::string name;
    bool readable = true;
    try {
      name = decode(pair.substr(0, eq), true);
    } catch (const domain::ValidationError&) {
      readable = false;
    }
    if (eq != std::string::npos && (!readable || name == "token")) {
      out += pair.substr(0, eq) + "=***";
    } else {
      out += pair;
    }
    if (end < target.size()) {
      out += '&';
    }
    start = end + 1;
  }
  return domain::excerpt(out, kMaxLogged);
}

Target parse_target(const std::string& target) {
  Target t;
  const auto q = target.find('?');
  t.path = decode(target.substr(0, q), false);
  if (q == std::string::npos) {
    return t;
  }
  const std::string query = target.substr(q + 1);
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) {
      end = query.size();
    }
    const std::string pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      const std::string name = decode(pair.substr(0, eq), true);
      const std::string value = eq == std::string::npos ? "" : decode(pair.substr(eq + 1), true);
      if (!t.query.emplace(name, value).second) {
        throw domain::ValidationError(name,
                                      "is given more than once; give it once (lists are "
                                      "comma-separated)");
      }
    }
    start = end + 1;
  }
  return t;
}

QueryParams::QueryParams(const std::map<std::string, std::string>& query,
                         const std::set<std::string>& allowed, domain::FieldErrors& errors)
    : query_(query), errors_(errors) {
  for (const auto& [name, _] : query) {
    if (!allowed.contains(name)) {
      std::string list;
      for (const auto& a : allowed) {
        list += (list.empty() ? "" : ", ") + a;
      }
      errors_.add(name, "unknown query parameter; allowed: " + list);
    }
  }
}

std::optional<std::string> QueryParams::string(const std::string& name) const {
  auto it = query_.find(name);
  return it == query_.end() ? std::nullopt : std::optional(it->second);
}

std::optional<domain::Date> QueryParams::date(const std::string& name) {
  auto v = string(name);
  if (!v) {
    return std::nullopt;
  }
  auto d = domain::Date::parse(*v);
  if (!d) {
    errors_.add(name, "'" + domain::excerpt(*v, 40) + "' is not a real date as YYYY-MM-DD");
  } else if (!domain::is_accepted_date(*d)) {
    errors_.add(name, domain::kAcceptedDatesMessage);
    return std::nullopt;
  }
  return d;
}

std::optional<std::int64_t> QueryParams::integer(const std::string& name, std::int64_t min,
                                                 std::int64_t max) {
  auto v = string(name);
  if (!v) {
    return std::nullopt;
  }
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || ptr != v->data() + v->size() || n < min || n > max) {
    errors_.add(
        name, "must be an integer between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> QueryParams::boolean(const std::string& name) {
  auto v = string(name);
  if (!v) {
    return std::nullopt;
  }
  if (*v == "true") {
    return true;
  }
  if (*v == "false") {
    return false;
  }
  errors_.add(name, "must be true or false");
  return std::nullopt;
}

}  // namespace dondoc::http
