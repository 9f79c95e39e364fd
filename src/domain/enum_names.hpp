// Name tables for the domain's enums: one table per enum gives both directions, so the text of
// the API and of storage cannot drift from the parser.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dondoc::domain::detail {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

template <typename E, std::size_t N>
std::string_view name_of(const NameTable<E, N>& names, E value) {
  for (const auto& [v, n] : names) {
    if (v == value) {
      return n;
    }
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> parse_name(const NameTable<E, N>& names, std::string_view text) {
  for (const auto& [v, n] : names) {
    if (n == text) {
      return v;
    }
  }
  return std::nullopt;
}

// Every name, in the table's order, joined by ", ": what an error message lists as allowed.
template <typename E, std::size_t N>
std::string names_of(const NameTable<E, N>& names) {
  std::string out;
  for (const auto& [v, n] : names) {
    out += (out.empty() ? "" : ", ") + std::string(n);
  }
  return out;
}

}  // namespace dondoc::domain::detail
