#include "dondoc/domain/unit.hpp"

#include <array>
#include <set>
#include <utility>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"
#include "enum_names.hpp"

namespace dondoc::domain {

namespace {

constexpr std::size_t kMaxCodeChars = 32;
constexpr std::size_t kMaxNameChars = 300;
constexpr std::size_t kMaxEmails = 20;

constexpr detail::NameTable<UnitKind, 5> kKinds{{
    {UnitKind::department, "department"},
    {UnitKind::agency, "agency"},
    {UnitKind::commune, "commune"},
    {UnitKind::ward, "ward"},
    {UnitKind::other, "other"},
}};

constexpr detail::NameTable<UnitEventKind, 4> kEventKinds{{
    {UnitEventKind::created, "created"},
    {UnitEventKind::updated, "updated"},
    {UnitEventKind::merged, "merged"},
    {UnitEventKind::absorbed, "absorbed"},
}};

bool valid_code(const std::string& code) {
  if (code.empty() || code.size() > kMaxCodeChars) {
    return false;
  }
  for (char c : code) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view to_string(UnitKind kind) {
  return detail::name_of(kKinds, kind);
}
std::optional<UnitKind> parse_unit_kind(std::string_view text) {
  return detail::parse_name(kKinds, text);
}
std::string_view to_string(UnitEventKind kind) {
  return detail::name_of(kEventKinds, kind);
}
std::optional<UnitEventKind> parse_unit_event_kind(std::string_view text) {
  return detail::parse_name(kEventKinds, text);
}

std::vector<FieldChange> diff(const Unit& a, const Unit& b) {
  std::vector<FieldChange> out;
  auto text = [&](const char* f, const std::string& x, const std::string& y) {
    if (x != y) {
      out.push_back({f, x, y});
    }
  };
  auto emails = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& e : v) {
      s += (s.empty() ? "" : ", ") + e;
    }
    return s;
  };
  auto id = [](const std::optional<UnitId>& v) {
    return v ? std::optional(std::to_string(*v)) : std::nullopt;
  };
  text("code", a.code, b.code);
  text("name", a.name, b.name);
  text("kind", std::string(to_string(a.kind)), std::string(to_string(b.kind)));
  text("emails", emails(a.emails), emails(b.emails));
  text("active", a.active ? "true" : "false", b.active ? "true" : "false");
  if (a.successor_id != b.successor_id) {
    out.push_back({"successor_id", id(a.successor_id), id(b.successor_id)});
  }
  if (a.leader_id != b.leader_id) {
    out.push_back({"leader_id", id(a.leader_id), id(b.leader_id)});
  }
  return out;
}

std::string name_before(const Unit& unit, const std::vector<UnitEvent>& later_events) {
  std::string name = unit.name;
  for (auto e = later_events.rbegin(); e != later_events.rend(); ++e) {
    if (e->unit_id != unit.id || e->kind == UnitEventKind::created) {
      continue;
    }
    for (const auto& c : e->changes) {
      if (c.field == "name" && c.from) {
        name = *c.from;
      }
    }
  }
  return name;
}

void validate_unit(const Unit& unit) {
  FieldErrors errors;
  if (!valid_code(unit.code)) {
    errors.add("code", "must be 1-32 characters of A-Z, a-z, 0-9, '-', '_' or '.'");
  }
  if (unit.name.find_first_not_of(" \t") == std::string::npos) {
    errors.add("name", "is required and must not be blank");
  } else if (code_points(unit.name) > kMaxNameChars) {
    errors.add("name", "must be at most " + std::to_string(kMaxNameChars) + " characters");
  } else if (has_control_characters(unit.name, false)) {
    errors.add("name", "must not contain line breaks or control characters");
  }
  if (unit.emails.size() > kMaxEmails) {
    errors.add("emails", "must list at most " + std::to_string(kMaxEmails) + " addresses");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < unit.emails.size(); ++i) {
    const std::string field = "emails[" + std::to_string(i) + "]";
    if (!plausible_email(unit.emails[i])) {
      errors.add(field, "is not an email address");
    } else if (!seen.insert(unit.emails[i]).second) {
      errors.add(field, "is listed twice");
    }
  }
  if (unit.successor_id && *unit.successor_id == unit.id) {
    errors.add("successor_id", "a unit cannot be its own successor");
  }
  errors.throw_if_any();
}

std::string unit_kind_names() {
  return detail::names_of(kKinds);
}

}  // namespace dondoc::domain
