// How every list of the store contract is paged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dondoc::storage {

// One page of a list: at most the query's `limit` items, in the order the method states.
// `next` is an opaque cursor that, given back in the same query, continues after the last item;
// a cursor the list did not return is refused with domain::ValidationError on field "cursor".
template <typename T>
struct PageResult {
  std::vector<T> items;
  std::int64_t total = 0;           // matching rows over all pages
  std::optional<std::string> next;  // opaque cursor of the next page, if any
};

}  // namespace dondoc::storage
