#include "dondoc/service/task_import.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/csv.hpp"
#include "dondoc/service/text.hpp"
#include "import_cells.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

using domain::FieldError;

// Columns a register often has that say nothing dondoc keeps (the row number).
const std::set<std::string> kIgnoredHeaders = {"stt", "tt", "so tt", "so thu tu"};

struct Layout {
  std::map<std::string, std::size_t> index;   // field → column position
  std::map<std::string, std::string> header;  // field → its header as written in the file
  std::size_t width = 0;
  std::set<std::size_t> unnamed;  // columns with an empty header
};

Layout read_header(const CsvRecord& header, std::vector<FieldError>& errors) {
  std::map<std::string, const ImportColumn*> by_key;
  for (const auto& column : import_columns()) {
    for (const auto& h : column.headers) {
      by_key[key_of(h)] = &column;
    }
  }
  Layout layout;
  layout.width = header.fields.size();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string written = trim(header.fields[i]);
    const std::string key = key_of(written);
    if (key.empty()) {
      layout.unnamed.insert(i);
      continue;
    }
    if (kIgnoredHeaders.count(key) > 0) {
      continue;
    }
    auto it = by_key.find(key);
    if (it == by_key.end()) {
      std::string known;
      for (const auto& column : import_columns()) {
        known += (known.empty() ? "\"" : ", \"") + column.headers.front() + "\"";
      }
      errors.push_back({written, "is not a column dondoc knows; the columns are " + known, 1});
      continue;
    }
    const std::string& field = it->second->field;
    if (layout.index.count(field) > 0) {
      errors.push_back({written, "repeats the column \"" + layout.header[field] + "\"", 1});
      continue;
    }
    layout.index[field] = i;
    layout.header[field] = written;
  }
  for (const auto& column : import_columns()) {
    if (column.required && layout.index.count(column.field) == 0) {
      errors.push_back({column.headers.front(),
                        "is a required column and the header row has no such column", 1});
    }
  }
  return layout;
}

// One row of the file, as a task to register.
struct RowReader {
  const Layout& layout;
  const CsvRecord& record;
  std::vector<FieldError>& errors;

  std::string cell(const std::string& field) const {
    auto it = layout.index.find(field);
    if (it == layout.index.end() || it->second >= record.fields.size()) {
      return "";
    }
    return trim(record.fields[it->second]);
  }
  void fail(const std::string& field, std::string message) const {
    errors.push_back({layout.header.at(field), std::move(message), record.row});
  }
  std::optional<Date> date(const std::string& field) const {
    const std::string text = cell(field);
    if (text.empty()) {
      return std::nullopt;
    }
    std::string problem;
    auto d = parse_date_cell(text, problem);
    if (!d) {
      fail(field, problem);
    }
    return d;
  }
};

// The leaders a register may name as in charge, by login or by name ("Phó Chủ tịch UBND tỉnh
// Nguyễn Văn A" as the register writes it), compared without case or diacritics.
class LeaderDirectory {
 public:
  explicit LeaderDirectory(const std::vector<domain::User>& leaders) {
    for (const auto& u : leaders) {
      for (const auto& name : {u.login, u.display_name}) {
        auto [it, fresh] = by_key_.emplace(key_of(name), u.id);
        if (!fresh && it->second != u.id) {
          it->second = 0;  // two leaders answer to this name
        }
      }
    }
  }
  std::optional<std::int64_t> resolve(const std::string& text, std::string& problem) const {
    const auto it = by_key_.find(key_of(text));
    if (it == by_key_.end()) {
      problem = "\"" + text + "\" is not the login or the name of an active leader";
      return std::nullopt;
    }
    if (it->second == 0) {
      problem = "\"" + text + "\" is the name of more than one leader; write the login";
      return std::nullopt;
    }
    return it->second;
  }

 private:
  std::map<std::string, std::int64_t> by_key_;
};

// "x", "có", "trọng tâm" (any case, with or without diacritics) mark a key task; empty or
// "không", an ordinary one.
std::optional<bool> parse_key_task_cell(const std::string& text) {
  const std::string k = key_of(text);
  if (k.empty() || k == "khong" || k == "0") {
    return false;
  }
  if (k == "x" || k == "co" || k == "trong tam" || k == "1") {
    return true;
  }
  return std::nullopt;
}

// The task a row describes; what is wrong with its cells goes to the row's errors.
NewTask read_task(const RowReader& row, const UnitDirectory& directory,
                  const LeaderDirectory& leaders) {
  const Layout& layout = row.layout;
  NewTask t;
  t.title = row.cell("title");
  t.description = row.cell("description");
  t.source_ref = row.cell("source_ref");
  t.source_date = row.date("source_date");
  t.source_title = row.cell("source_title");
  t.assigner = row.cell("assigner");
  t.assigned_on = row.date("assigned_on");
  std::string problem;
  if (const std::string lead = row.cell("lead_unit"); lead.empty()) {
    row.fail("lead_unit", "is required: the code or name of the unit that leads the task");
  } else if (auto id = directory.resolve(lead, problem)) {
    t.lead_unit_id = *id;
  } else {
    row.fail("lead_unit", problem);
  }
  if (layout.index.count("coordinating_units") > 0) {
    // One unit per line or separated by ';' (names themselves may hold commas: "Sở Văn hóa,
    // Thể thao và Du lịch").
    std::string list = row.cell("coordinating_units");
    std::replace(list.begin(), list.end(), '\n', ';');
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t stop = std::min(list.find(';', start), list.size());
      const std::string name = trim(std::string_view(list).substr(start, stop - start));
      start = stop + 1;
      if (name.empty()) {
        continue;
      }
      auto id = directory.resolve(name, problem);
      if (!id) {
        row.fail("coordinating_units", problem);
      } else if (*id == t.lead_unit_id) {
        row.fail("coordinating_units", "\"" + name + "\" is already the lead unit");
      } else if (std::find(t.coordinating_unit_ids.begin(), t.coordinating_unit_ids.end(), *id) !=
                 t.coordinating_unit_ids.end()) {
        row.fail("coordinating_units", "\"" + name + "\" is listed twice");
      } else {
        t.coordinating_unit_ids.push_back(*id);
      }
    }
  }
  if (layout.index.count("deadline") > 0) {
    if (auto spec = parse_deadline_cell(row.cell("deadline"), problem)) {
      t.deadline = *spec;
    } else {
      row.fail("deadline", problem);
    }
  }
  if (layout.index.count("priority") > 0) {
    if (auto p = parse_priority_cell(row.cell("priority"))) {
      t.priority = *p;
    } else {
      row.fail("priority", "must be \"Thường\" or \"Khẩn\" (or empty)");
    }
  }
  if (const std::string leader = row.cell("leader"); !leader.empty()) {
    if (auto id = leaders.resolve(leader, problem)) {
      t.leader_id = id;
    } else {
      row.fail("leader", problem);
    }
  }
  if (layout.index.count("key_task") > 0) {
    if (auto key = parse_key_task_cell(row.cell("key_task"))) {
      t.key_task = *key;
    } else {
      row.fail("key_task", "must be \"x\" or \"Có\" for a key task, or empty");
    }
  }
  return t;
}

// The column a use-case error is about: "coordinating_unit_ids[1]" is the coordinating column,
// "due_on" the deadline column.
std::string column_of(const Layout& layout, const std::string& field) {
  std::string base = field.substr(0, field.find('['));
  if (base == "lead_unit_id") {
    base = "lead_unit";
  } else if (base == "coordinating_unit_ids") {
    base = "coordinating_units";
  } else if (base == "due_on") {
    base = "deadline";
  } else if (base == "leader_id") {
    base = "leader";
  }
  auto it = layout.header.find(base);
  return it != layout.header.end() ? it->second : field;
}

std::string duplicate_key(const NewTask& t) {
  return key_of(t.source_ref) + "\n" + key_of(t.title) + "\n" + std::to_string(t.lead_unit_id);
}

// An existing task this row would register again: same source document, title and lead unit.
std::optional<Task> registered_before(storage::ReadTx& tx, const NewTask& t) {
  if (t.source_ref.empty()) {
    return std::nullopt;  // without a document number, two equal titles may be two tasks
  }
  storage::TaskQuery q;
  q.source_ref = trim(normalize_nfc(t.source_ref, "source_ref"));
  q.limit = 10000;
  for (auto& existing : tx.list_tasks(q).items) {
    if (existing.lead_unit_id == t.lead_unit_id && key_of(existing.title) == key_of(t.title)) {
      return existing;
    }
  }
  return std::nullopt;
}

std::string registered_message(const Task& t) {
  return "this task is already registered, as task " + std::to_string(t.id) +
         " (same document, content and lead unit)";
}

}  // namespace

const std::vector<ImportColumn>& import_columns() {
  static const std::vector<ImportColumn> columns = {
      {"source_ref", {"Số, ký hiệu văn bản", "Số ký hiệu", "Số văn bản", "Văn bản", "source_ref"}},
      {"source_date", {"Ngày văn bản", "Ngày ban hành", "source_date"}},
      {"source_title", {"Trích yếu", "Trích yếu văn bản", "source_title"}},
      {"title", {"Nội dung nhiệm vụ", "Nội dung", "Nhiệm vụ", "Tên nhiệm vụ", "title"}, true},
      {"description", {"Mô tả", "Ghi chú", "description"}},
      {"assigner", {"Người giao", "Lãnh đạo giao", "Lãnh đạo chỉ đạo", "assigner"}},
      {"assigned_on", {"Ngày giao", "assigned_on"}},
      {"lead_unit",
       {"Đơn vị chủ trì", "Chủ trì", "Cơ quan chủ trì", "lead_unit", "lead_unit_code"},
       true},
      {"coordinating_units",
       {"Đơn vị phối hợp", "Phối hợp", "Cơ quan phối hợp", "coordinating_units"}},
      {"deadline", {"Thời hạn", "Hạn xử lý", "Hạn hoàn thành", "deadline", "due_on"}},
      {"priority", {"Độ khẩn", "Mức độ", "priority"}},
      {"leader", {"Lãnh đạo phụ trách", "Lãnh đạo theo dõi", "leader"}},
      {"key_task", {"Trọng tâm", "Nhiệm vụ trọng tâm", "key_task"}},
  };
  return columns;
}

struct TaskImporter::Prepared {
  std::vector<int> rows;
  std::vector<NewTask> tasks;
  std::vector<WritePlan<TaskView>> plans;
};

TaskImporter::Prepared TaskImporter::prepare(const Actor& actor, std::string_view csv) {
  require(actor, Operation::task_create);
  const CsvTable table = read_csv(csv);
  if (table.records.empty()) {
    throw domain::ValidationError(
        {{"", "the file is empty; its first row must name the columns, e.g. \"Nội dung nhiệm vụ\"",
          1}});
  }
  std::vector<FieldError> errors;
  const Layout layout = read_header(table.records.front(), errors);
  const auto data_rows = static_cast<int>(table.records.size()) - 1;
  if (data_rows == 0) {
    errors.push_back({"", "the file has a header but no task rows", 1});
  } else if (data_rows > kMaxImportRows) {
    errors.push_back({"",
                      "the file has " + std::to_string(data_rows) + " task rows; at most " +
                          std::to_string(kMaxImportRows) +
                          " can be registered at once, so split it",
                      1});
  }
  if (!errors.empty()) {
    throw domain::ValidationError(errors);
  }

  std::vector<Unit> units;
  std::vector<domain::User> leader_users;
  ctx_.store.read([&](storage::ReadTx& tx) {
    units = tx.all_units();
    leader_users = storage::active_leaders(tx);
  });
  const UnitDirectory directory(std::move(units));
  const LeaderDirectory leaders(leader_users);

  Prepared out;
  std::map<std::string, int> first_row_of;
  for (std::size_t r = 1; r < table.records.size(); ++r) {
    const CsvRecord& record = table.records[r];
    const std::size_t errors_before = errors.size();
    RowReader row{layout, record, errors};
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
      const bool named = i < layout.width && !layout.unnamed.count(i);
      if (!named && !trim(record.fields[i]).empty()) {
        errors.push_back({"",
                          "has a cell in column " + std::to_string(i + 1) +
                              ", which the header row does not name; nothing in it would be kept",
                          record.row});
        break;
      }
    }
    NewTask t = read_task(row, directory, leaders);
    if (errors.size() != errors_before) {
      continue;  // the use case's own checks would only repeat what is wrong
    }
    const std::string key = duplicate_key(t);
    if (auto [it, fresh] = first_row_of.emplace(key, record.row); !fresh) {
      errors.push_back(
          {layout.header.at("title"),
           "repeats row " + std::to_string(it->second) + " (same document, content and lead unit)",
           record.row});
      continue;
    }
    try {
      out.plans.push_back(tasks_.plan_create(actor, t));
      out.rows.push_back(record.row);
      out.tasks.push_back(std::move(t));
    } catch (const domain::ValidationError& e) {
      for (const auto& f : e.errors()) {
        errors.push_back({column_of(layout, f.field), f.message, record.row});
      }
    }
  }
  ctx_.store.read([&](storage::ReadTx& tx) {
    for (std::size_t i = 0; i < out.tasks.size(); ++i) {
      if (auto existing = registered_before(tx, out.tasks[i])) {
        errors.push_back({layout.header.at("title"), registered_message(*existing), out.rows[i]});
      }
    }
  });
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(),
                     [](const FieldError& a, const FieldError& b) { return a.row < b.row; });
    if (errors.size() > static_cast<std::size_t>(kMaxImportErrors)) {
      const auto more = errors.size() - kMaxImportErrors;
      errors.resize(kMaxImportErrors);
      errors.push_back({"", "and " + std::to_string(more) + " more problems not listed", 0});
    }
    throw domain::ValidationError(errors);
  }
  return out;
}

ImportResult TaskImporter::check(const Actor& actor, std::string_view csv) {
  Prepared prepared = prepare(actor, csv);
  ImportResult result;
  result.dry_run = true;
  for (std::size_t i = 0; i < prepared.plans.size(); ++i) {
    result.rows.push_back({prepared.rows[i], prepared.plans[i].result()});
  }
  return result;
}

WritePlan<ImportResult> TaskImporter::plan_import(const Actor& actor, std::string_view csv) {
  auto prepared = std::make_shared<Prepared>(prepare(actor, csv));
  return {[this, actor, prepared](storage::WriteTx& tx) {
            for (std::size_t i = 0; i < prepared->plans.size(); ++i) {
              const int row = prepared->rows[i];
              // Checked above against a snapshot; checked again here, where no other write can
              // come between, so that two uploads of one file cannot both register it.
              if (auto existing = registered_before(tx, prepared->tasks[i])) {
                throw domain::ValidationError({{"", registered_message(*existing), row}});
              }
              try {
                prepared->plans[i].apply(tx);
              } catch (const domain::ValidationError& e) {
                std::vector<FieldError> errors = e.errors();
                for (auto& f : errors) {
                  f.row = row;
                }
                throw domain::ValidationError(errors);
              }
            }
            ctx_.audit(tx, actor, "task.import", "tasks",
                       std::to_string(prepared->plans.size()) + " rows");
          },
          [prepared] {
            ImportResult result;
            for (std::size_t i = 0; i < prepared->plans.size(); ++i) {
              result.rows.push_back({prepared->rows[i], prepared->plans[i].result()});
            }
            return result;
          }};
}

ImportResult TaskImporter::import(const Actor& actor, std::string_view csv) {
  return run(ctx_.store, plan_import(actor, csv));
}

}  // namespace dondoc::service
