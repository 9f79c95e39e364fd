// Helpers the repositories share: date columns, LIKE patterns, WHERE clauses built piece by
// piece, list totals and cursors.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dondoc/domain/date.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/storage/paging.hpp"

namespace dondoc::storage::sqlite {

using domain::Date;

inline std::optional<Date> date_column(const SQLite::Column& c) {
  if (c.isNull()) {
    return std::nullopt;
  }
  return Date::parse(c.getString());
}

inline void bind_date(SQLite::Statement& s, int index, const std::optional<Date>& d) {
  if (d) {
    s.bind(index, d->to_string());
  } else {
    s.bind(index);
  }
}

// LIKE pattern matching `term` anywhere, with LIKE's wildcards escaped.
inline std::string contains_pattern(const std::string& term) {
  std::string p = "%";
  for (char c : term) {
    if (c == '%' || c == '_' || c == '\\') {
      p += '\\';
    }
    p += c;
  }
  return p + "%";
}

// A WHERE clause built piece by piece with its positional parameters.
struct Where {
  std::string sql;
  std::vector<std::variant<std::string, std::int64_t>> params;

  template <typename... Params>
  void add(const std::string& clause, Params... ps) {
    sql += (sql.empty() ? " WHERE " : " AND ") + clause;
    (params.emplace_back(std::move(ps)), ...);
  }
  void bind(SQLite::Statement& s) const {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      std::visit([&](const auto& v) { s.bind(index, v); }, params[i]);
    }
  }
};

// One page of a list, as every list method of the store makes it: runs `select` (which ends in
// its ORDER BY) for `limit` + 1 rows, keeps `limit` of them, and when there were more makes the
// next page's cursor from the last row kept: cursor_of(item, its index in the page).
template <typename T, typename FromRow, typename CursorOf>
PageResult<T> read_page(SQLite::Database& db, const std::string& select, const Where& where,
                        int limit, std::int64_t total, FromRow from_row, CursorOf cursor_of) {
  SQLite::Statement s(db, select + " LIMIT " + std::to_string(limit + 1));
  where.bind(s);
  PageResult<T> page;
  page.total = total;
  while (s.executeStep()) {
    page.items.push_back(from_row(s));
  }
  if (page.items.size() > static_cast<std::size_t>(limit)) {
    page.items.pop_back();
    page.next = cursor_of(page.items.back(), page.items.size() - 1);
  }
  return page;
}

// The cursor of a list in id order: the last id.
template <typename T>
std::string id_cursor(const T& item, std::size_t) {
  return std::to_string(item.id);
}

// How many rows of `from` the clause matches: a list's total over all its pages.
inline std::int64_t count_matching(SQLite::Database& db, const std::string& from,
                                   const Where& where) {
  SQLite::Statement count(db, "SELECT count(*) FROM " + from + where.sql);
  where.bind(count);
  count.executeStep();
  return count.getColumn(0).getInt64();
}

// What a refused unique row means, in words for the client, from SQLite's message ("UNIQUE
// constraint failed: users.login", or the columns of a unique index).
inline std::string uniqueness_refused(const std::string& sqlite_message) {
  if (sqlite_message.find("users.login") != std::string::npos) {
    return "this login is already taken";
  }
  if (sqlite_message.find("units.code") != std::string::npos) {
    return "this unit code is already used by another unit";
  }
  if (sqlite_message.find("tasks.series_id") != std::string::npos) {
    return "this deadline of the series already has its task";
  }
  if (sqlite_message.find("extension_requests.task_id") != std::string::npos) {
    return "the task already has a pending extension request";
  }
  return "the change conflicts with an existing record (" + sqlite_message + ")";
}

[[noreturn]] inline void bad_cursor() {
  throw domain::ValidationError("cursor", "is not a cursor this list returned");
}

// What a write batch did that others must hear of once it has committed: the delivery, that it
// queued a message; the reminder timer, the earliest reminder it scheduled. The store hands one
// to each write transaction of the batch and reads it after the COMMIT.
struct BatchEffects {
  bool message_queued = false;
  std::optional<domain::Instant> earliest_reminder;

  void reminder_scheduled(const std::optional<domain::Instant>& at) {
    if (at && (!earliest_reminder || *at < *earliest_reminder)) {
      earliest_reminder = at;
    }
  }
};

// The instant of a millisecond column.
inline domain::Instant instant_column(const SQLite::Column& c) {
  return domain::from_unix_millis(c.getInt64());
}

inline std::optional<domain::Instant> optional_instant_column(const SQLite::Column& c) {
  if (c.isNull()) {
    return std::nullopt;
  }
  return domain::from_unix_millis(c.getInt64());
}

inline void bind_optional_instant(SQLite::Statement& s, int index,
                                  const std::optional<domain::Instant>& at) {
  if (at) {
    s.bind(index, domain::to_unix_millis(*at));
  } else {
    s.bind(index);
  }
}

// The id of a keyset cursor ("the last id of the previous page").
inline std::int64_t cursor_id(const std::string& cursor) {
  try {
    std::size_t used = 0;
    const auto id = std::stoll(cursor, &used);
    if (used != cursor.size()) {
      bad_cursor();
    }
    return id;
  } catch (const std::logic_error&) {
    bad_cursor();
  }
}

}  // namespace dondoc::storage::sqlite
