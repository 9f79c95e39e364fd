// How a history entry's field changes are stored: a JSON array of {"field", "from", "to"}
// objects, "from" and "to" a string or null. SQL reads the same text with json_each.
#pragma once

#include <string>
#include <vector>

#include "dondoc/domain/field_change.hpp"

namespace dondoc::storage::sqlite {

// Written for every write, on the writer thread: straight into one string, without building a
// JSON document first. The text is the same nlohmann::json's dump() gives for that document.
std::string join_changes(const std::vector<domain::FieldChange>& changes);

// The inverse of join_changes. Throws StorageError on text that is not such an array.
std::vector<domain::FieldChange> split_changes(const std::string& text);

}  // namespace dondoc::storage::sqlite
