// One changed field in a history entry, shared by the histories of tasks and of units.
#pragma once

#include <optional>
#include <string>

namespace dondoc::domain {

// Values as their API text (dates ISO, ids decimal); nullopt is null.
struct FieldChange {
  std::string field;
  std::optional<std::string> from;
  std::optional<std::string> to;
  bool operator==(const FieldChange&) const = default;
};

}  // namespace dondoc::domain
