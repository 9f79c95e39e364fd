// The history's changes text: written by hand for speed, it must stay what nlohmann::json
// writes (rows written before and after the change sit side by side) and read back whole.
#include "changes_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "dondoc/domain/errors.hpp"

using dondoc::domain::FieldChange;
using dondoc::storage::sqlite::join_changes;
using dondoc::storage::sqlite::split_changes;
using nlohmann::json;

namespace {

// What the writer wrote before: the document, dumped.
std::string dumped(const std::vector<FieldChange>& changes) {
  json arr = json::array();
  for (const auto& c : changes) {
    arr.push_back({{"field", c.field},
                   {"from", c.from ? json(*c.from) : json(nullptr)},
                   {"to", c.to ? json(*c.to) : json(nullptr)}});
  }
  return arr.dump();
}

// Valid UTF-8 drawn from pieces that each take a different path through the escaping.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {"a",
                                                  "Sở Xây dựng",
                                                  "\"",
                                                  "\\",
                                                  "/",
                                                  "\n",
                                                  "\r",
                                                  "\t",
                                                  "\b",
                                                  "\f",
                                                  std::string(1, '\0'),
                                                  "\x01",
                                                  "\x1f",
                                                  "\x7f",
                                                  " ",
                                                  "Đăng",
                                                  "45/TB-UBND",
                                                  "€",
                                                  "𝄞",
                                                  "'"};
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 6);
  std::string out;
  for (int i = length(rng); i > 0; --i) {
    out += pieces[pick(rng)];
  }
  return out;
}

}  // namespace

TEST(ChangesJson, WritesWhatTheJsonLibraryWrites) {
  EXPECT_EQ(join_changes({}), "[]");
  std::mt19937 rng(20261129);
  std::bernoulli_distribution present(0.7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<FieldChange> changes(static_cast<std::size_t>(round % 5));
    for (auto& c : changes) {
      c.field = random_text(rng);
      if (present(rng)) {
        c.from = random_text(rng);
      }
      if (present(rng)) {
        c.to = random_text(rng);
      }
    }
    const std::string text = join_changes(changes);
    ASSERT_EQ(text, dumped(changes)) << "round " << round;
    const auto back = split_changes(text);
    ASSERT_EQ(back.size(), changes.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
      EXPECT_EQ(back[i].field, changes[i].field);
      EXPECT_EQ(back[i].from, changes[i].from);
      EXPECT_EQ(back[i].to, changes[i].to);
    }
  }
}

TEST(ChangesJson, DamagedTextIsAStorageError) {
  EXPECT_THROW(split_changes("[{\"field\":\"title\",\"to\":"), dondoc::domain::StorageError);
}
