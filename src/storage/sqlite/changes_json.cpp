#include "changes_json.hpp"

#include <nlohmann/json.hpp>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"

namespace dondoc::storage::sqlite {

namespace {

using domain::FieldChange;
using nlohmann::json;

void append_optional(std::string& out, const std::optional<std::string>& text) {
  if (text) {
    domain::append_json_string(out, *text);
  } else {
    out += "null";
  }
}

// Reads join_changes' text as events of the JSON parser, without building a document: a report
// reads tens of thousands of these, and the document's allocations were most of the time.
class ChangesReader : public nlohmann::json_sax<json> {
 public:
  explicit ChangesReader(std::vector<FieldChange>& out) : out_(out) {}

  bool start_object(std::size_t) override {
    out_.emplace_back();
    return true;
  }
  bool key(string_t& k) override {
    key_ = k == "field" ? Key::field : k == "from" ? Key::from : k == "to" ? Key::to : Key::other;
    return true;
  }
  bool string(string_t& v) override {
    if (out_.empty()) {
      return false;
    }
    switch (key_) {
      case Key::field:
        out_.back().field = std::move(v);
        break;
      case Key::from:
        out_.back().from = std::move(v);
        break;
      case Key::to:
        out_.back().to = std::move(v);
        break;
      case Key::other:
        break;
    }
    return true;
  }
  bool null() override { return true; }  // from or to: nothing, as a FieldChange starts
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    throw domain::StorageError(std::string("a history entry's changes are damaged: ") + e.what());
  }

 private:
  enum class Key { field, from, to, other };
  std::vector<FieldChange>& out_;
  Key key_ = Key::other;
};

}  // namespace

std::string join_changes(const std::vector<FieldChange>& changes) {
  std::size_t size = 2;
  for (const auto& c : changes) {
    size += 32 + c.field.size() + (c.from ? c.from->size() : 4) + (c.to ? c.to->size() : 4);
  }
  std::string out;
  out.reserve(size);
  out += '[';
  for (const auto& c : changes) {
    if (out.size() > 1) {
      out += ',';
    }
    out += "{\"field\":";
    domain::append_json_string(out, c.field);
    out += ",\"from\":";
    append_optional(out, c.from);
    out += ",\"to\":";
    append_optional(out, c.to);
    out += '}';
  }
  out += ']';
  return out;
}

std::vector<FieldChange> split_changes(const std::string& text) {
  std::vector<FieldChange> out;
  ChangesReader reader(out);
  json::sax_parse(text, &reader);
  return out;
}

}  // namespace dondoc::storage::sqlite
