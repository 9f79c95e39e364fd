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
#include "dondoc/service/xlsx.hpp"
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

// "Đã hoàn thành", "Đang thực hiện"... (any case, with or without diacritics), or the API's names.
std::optional<domain::LifecycleState> parse_state_cell(const std::string& text) {
  const std::string k = key_of(text);
  if (k.empty() || k == "dang thuc hien" || k == "chua hoan thanh" || k == "open") {
    return domain::LifecycleState::open;
  }
  if (k == "da hoan thanh" || k == "hoan thanh" || k == "done") {
    return domain::LifecycleState::done;
  }
  if (k == "da bao cao" || k == "cho xac nhan" || k == "da bao cao hoan thanh" || k == "reported") {
    return domain::LifecycleState::reported;
  }
  if (k == "tam dung" || k == "da tam dung" || k == "suspended") {
    return domain::LifecycleState::suspended;
  }
  if (k == "da huy" || k == "huy" || k == "dung thuc hien" || k == "cancelled") {
    return domain::LifecycleState::cancelled;
  }
  return std::nullopt;
}

}  // namespace

// What had happened to a task before its register was brought in: the extensions granted, then
// where it stands. Entered after the task is registered, each with the date it took effect.
struct ImportedHistory {
  struct Extension {
    Date decided_on;
    Date due_on;
    std::string decision_ref;
  };
  std::vector<Extension> extensions;
  domain::LifecycleState state = domain::LifecycleState::open;
  std::optional<Date> completed_on;
  std::string completion_ref;
  std::optional<Date> suspended_on;
  std::optional<Date> cancelled_on;
  std::string cancel_reason;
  bool finished() const {
    return state == domain::LifecycleState::done || state == domain::LifecycleState::cancelled;
  }
};

namespace {

// A date of the history: taken effect by today, not before the assignment.
void check_history_date(const RowReader& row, const std::string& field, Date d, Date assigned_on,
                        Date today) {
  if (today < d) {
    row.fail(field, "is after today (" + domain::vn_date(today) + ")");
  } else if (d < assigned_on) {
    row.fail(field, "is before the task was assigned (" + domain::vn_date(assigned_on) + ")");
  }
}

// One line of the extensions cell: "decision date; new deadline; deciding document".
std::optional<ImportedHistory::Extension> parse_extension_line(const std::string& line,
                                                               std::string& problem) {
  const std::vector<std::string> parts = split_cell(line, ';');
  if (parts.size() != 3 || parts[2].empty()) {
    problem = "\"" + line +
              "\" is not \"decision date; new deadline; document\", e.g. \"15/03/2024; "
              "30/04/2024; 112/UBND-VP\"";
    return std::nullopt;
  }
  std::string why;
  const auto decided = parse_date_cell(parts[0], why);
  const auto due = decided ? parse_date_cell(parts[1], why) : std::nullopt;
  if (!decided || !due) {
    problem = "\"" + line + "\": " + why;
    return std::nullopt;
  }
  return ImportedHistory::Extension{*decided, *due, parts[2]};
}

// The history a row gives, checked against the task it describes (`t`, its deadline resolved
// as `first_due`); what is wrong goes to the row's errors.
ImportedHistory read_history(const RowReader& row, const NewTask& t, std::optional<Date> first_due,
                             Date today) {
  using domain::LifecycleState;
  ImportedHistory h;
  const Date assigned = t.assigned_on.value_or(today);
  if (auto s = parse_state_cell(row.cell("state"))) {
    h.state = *s;
  } else {
    row.fail("state",
             "must be \"Đang thực hiện\" (or empty), \"Đã báo cáo\", \"Đã hoàn thành\", \"Tạm "
             "dừng\" or \"Đã hủy\"");
    return h;
  }
  const auto dated = [&](const char* field, bool wanted, const char* state_words) {
    std::optional<Date> d = row.date(field);
    if (!row.layout.index.count(field)) {
      if (wanted) {
        row.fail("state", std::string("needs the column \"") +
                              (std::string(field) == "completed_on"   ? "Ngày hoàn thành"
                               : std::string(field) == "cancelled_on" ? "Ngày hủy"
                                                                      : "Ngày tạm dừng") +
                              "\" for a task that is " + state_words);
      }
      return d;
    }
    if (wanted && !d && row.cell(field).empty()) {
      row.fail(field, std::string("is required for a task that is ") + state_words);
    } else if (!wanted && d) {
      row.fail(field, std::string("is only for a task that is ") + state_words +
                          "; the state says otherwise");
    } else if (d) {
      check_history_date(row, field, *d, assigned, today);
    }
    return d;
  };
  const bool completes = h.state == LifecycleState::done || h.state == LifecycleState::reported;
  h.completed_on = dated("completed_on", completes, "done or reported as done");
  h.completion_ref = row.cell("completion_ref");
  if (h.state == LifecycleState::done && h.completion_ref.empty()) {
    row.fail(row.layout.index.count("completion_ref") ? "completion_ref" : "state",
             "a task done needs the document that reported it (\"Văn bản báo cáo hoàn thành\")");
  }
  h.suspended_on = dated("suspended_on", h.state == LifecycleState::suspended, "suspended");
  h.cancelled_on = dated("cancelled_on", h.state == LifecycleState::cancelled, "cancelled");
  h.cancel_reason = row.cell("cancel_reason");
  if (h.state == LifecycleState::cancelled && h.cancel_reason.empty()) {
    row.fail(row.layout.index.count("cancel_reason") ? "cancel_reason" : "state",
             "a task cancelled needs its reason (\"Lý do hủy\")");
  }
  if (const std::string list = row.cell("extensions"); !list.empty()) {
    std::optional<Date> due = first_due;
    std::optional<Date> decided_before;
    for (const std::string& line : split_cell(list, '\n')) {
      if (line.empty()) {
        continue;
      }
      std::string problem;
      auto e = parse_extension_line(line, problem);
      if (!e) {
        row.fail("extensions", problem);
        continue;
      }
      if (!due) {
        row.fail("extensions", "a task without a deadline cannot have been extended");
        break;
      }
      check_history_date(row, "extensions", e->decided_on, assigned, today);
      if (!(*due < e->due_on)) {
        row.fail("extensions",
                 "\"" + line + "\": the new deadline must be later than " + domain::vn_date(*due));
      }
      if (decided_before && e->decided_on < *decided_before) {
        row.fail("extensions", "\"" + line +
                                   "\": the extensions must be listed in the order they were "
                                   "decided");
      }
      const Date settled = h.completed_on   ? *h.completed_on
                           : h.cancelled_on ? *h.cancelled_on
                           : h.suspended_on ? *h.suspended_on
                                            : today;
      if (h.state != LifecycleState::open && settled < e->decided_on) {
        row.fail("extensions", "\"" + line + "\": decided after the task was " +
                                   std::string(h.completed_on   ? "finished"
                                               : h.cancelled_on ? "cancelled"
                                                                : "suspended") +
                                   " (" + domain::vn_date(settled) + ")");
      }
      due = e->due_on;
      decided_before = e->decided_on;
      h.extensions.push_back(*e);
    }
  }
  return h;
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
    for (const std::string& name : split_cell(list, ';')) {
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
  for (auto& existing : tx.tasks_from_document(trim(normalize_nfc(t.source_ref, "source_ref")))) {
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
      // The task's history, for a register brought in with what already happened to it.
      {"state", {"Trạng thái", "Tình trạng", "Kết quả thực hiện", "state"}},
      {"completed_on", {"Ngày hoàn thành", "Ngày báo cáo hoàn thành", "completed_on"}},
      {"completion_ref",
       {"Văn bản báo cáo hoàn thành", "Văn bản hoàn thành", "Văn bản báo cáo", "completion_ref"}},
      {"suspended_on", {"Ngày tạm dừng", "suspended_on"}},
      {"cancelled_on", {"Ngày hủy", "Ngày dừng thực hiện", "cancelled_on"}},
      {"cancel_reason", {"Lý do hủy", "cancel_reason"}},
      {"extensions", {"Gia hạn", "Các lần gia hạn", "extensions"}},
  };
  return columns;
}

// The rows checked, as little as registering them needs: a whole province's register may be
// 100,000 rows, brought in by `dondocd import` (bench/import_bench.cpp).
struct TaskImporter::Prepared {
  std::vector<int> rows;
  std::vector<NewTask> tasks;
  std::vector<ImportedHistory> histories;
};

// Enters what had happened to task `id`, in the import's transaction, through the same use cases
// as a person would (each change with the date it took effect): the extensions in order, then
// where it stands. Nobody is told: it is the past.
TaskView TaskImporter::enter_history(storage::WriteTx& tx, const Actor& actor, TaskView view,
                                     const ImportedHistory& h) {
  const auto id = view.task.id;
  const auto apply = [&](WritePlan<TaskView> plan) {
    plan.apply(tx);
    view = plan.result();
  };
  for (const auto& e : h.extensions) {
    TaskPatch p;
    p.due_on = std::optional<Date>(e.due_on);
    p.note = "Gia hạn (theo sổ theo dõi nhiệm vụ)";
    p.decision_ref = e.decision_ref;
    p.effective_on = e.decided_on;
    apply(tasks_.plan_update(actor, id, std::move(p), std::nullopt));
  }
  ActionInput in;
  in.quiet = true;
  switch (h.state) {
    case domain::LifecycleState::open:
      break;
    case domain::LifecycleState::reported:
    case domain::LifecycleState::done:
      in.completed_on = h.completed_on;
      in.completion_ref = h.completion_ref;
      apply(tasks_.plan_act(actor, id,
                            h.state == domain::LifecycleState::done ? TaskAction::confirm
                                                                    : TaskAction::report_completion,
                            in, std::nullopt));
      break;
    case domain::LifecycleState::suspended:
      in.effective_on = h.suspended_on;
      apply(tasks_.plan_act(actor, id, TaskAction::suspend, in, std::nullopt));
      break;
    case domain::LifecycleState::cancelled:
      in.effective_on = h.cancelled_on;
      in.reason = h.cancel_reason;
      apply(tasks_.plan_act(actor, id, TaskAction::cancel, in, std::nullopt));
      break;
  }
  return view;
}

TaskImporter::Prepared TaskImporter::prepare(const Actor& actor, std::string_view csv,
                                             const RowSink& checked) {
  require(actor, Operation::task_create);
  // The rows of the file, one at a time: CSV read as it goes, or a workbook's first sheet.
  std::optional<CsvTable> sheet;
  std::optional<CsvReader> reader;
  std::size_t next_in_sheet = 0;
  if (looks_like_xlsx(csv)) {
    sheet = read_xlsx(csv, static_cast<std::size_t>(max_rows_) + 1);  // and the header
  } else {
    reader.emplace(csv);
  }
  const auto next = [&](CsvRecord& record) {
    if (!sheet) {
      return reader->next(record);
    }
    if (next_in_sheet == sheet->records.size()) {
      return false;
    }
    record = std::move(sheet->records[next_in_sheet++]);
    return true;
  };
  CsvRecord header;
  if (!next(header)) {
    throw domain::ValidationError(
        {{"", "the file is empty; its first row must name the columns, e.g. \"Nội dung nhiệm vụ\"",
          1}});
  }
  std::vector<FieldError> errors;
  const Layout layout = read_header(header, errors);
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
  const Date today = ctx_.today();

  Prepared out;
  // As many rows as lines at most: reserved once, rather than doubled as they come (a copy of
  // 100,000 tasks, and a third more room than they need).
  const std::size_t lines =
      sheet ? sheet->records.size()
            : static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) + 1;
  const std::size_t room = std::min(lines, static_cast<std::size_t>(max_rows_));
  out.rows.reserve(room);
  out.tasks.reserve(room);
  out.histories.reserve(room);
  std::map<std::string, int> first_row_of;
  CsvRecord record;
  int data_rows = 0;
  while (next(record)) {
    if (++data_rows > max_rows_) {
      while (next(record)) {
        ++data_rows;
      }
      throw domain::ValidationError(
          {{"",
            "the file has " + std::to_string(data_rows) + " task rows; at most " +
                std::to_string(max_rows_) + " can be registered at once, so split it",
            1}});
    }
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
    std::optional<Date> first_due;
    if (errors.size() == errors_before) {
      try {
        first_due =
            domain::resolve_deadline(t.deadline, t.assigned_on.value_or(today), ctx_.calendar);
      } catch (const domain::ValidationError&) {
        // said again, with its column, by the use case's own checks below
      }
    }
    ImportedHistory history = read_history(row, t, first_due, today);
    t.quiet = history.finished();  // no assignment notice for a task long finished
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
      // The use case's own checks; the plan is made again when the rows are registered, so
      // that a register of 100,000 rows does not hold 100,000 plans.
      const auto plan = tasks_.plan_create(actor, t);
      if (checked) {
        checked(out.rows.size(), record.row, plan.result());
      }
      out.rows.push_back(record.row);
      out.tasks.push_back(std::move(t));
      out.histories.push_back(std::move(history));
    } catch (const domain::ValidationError& e) {
      for (const auto& f : e.errors()) {
        errors.push_back({column_of(layout, f.field), f.message, record.row});
      }
    }
  }
  if (data_rows == 0) {
    errors.push_back({"", "the file has a header but no task rows", 1});
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
  ImportResult result;
  result.dry_run = true;
  prepare(actor, csv, [&](std::size_t, int row, const TaskView& task) {
    result.rows.push_back({row, task});
  });
  return result;
}

std::size_t TaskImporter::check(const Actor& actor, std::string_view csv, const RowSink& each) {
  return prepare(actor, csv, each).rows.size();
}

WritePlan<std::size_t> TaskImporter::plan_import(const Actor& actor, std::string_view csv,
                                                 RowSink each) {
  auto prepared = std::make_shared<Prepared>(prepare(actor, csv, nullptr));
  return {[this, actor, prepared, each = std::move(each)](storage::WriteTx& tx) {
            for (std::size_t i = 0; i < prepared->tasks.size(); ++i) {
              const int row = prepared->rows[i];
              // Checked above against a snapshot; checked again here, where no other write can
              // come between, so that two uploads of one file cannot both register it.
              if (auto existing = registered_before(tx, prepared->tasks[i])) {
                throw domain::ValidationError({{"", registered_message(*existing), row}});
              }
              try {
                auto plan = tasks_.plan_create(actor, prepared->tasks[i]);
                plan.apply(tx);
                each(i, row, enter_history(tx, actor, plan.result(), prepared->histories[i]));
              } catch (const domain::ValidationError& e) {
                std::vector<FieldError> errors = e.errors();
                for (auto& f : errors) {
                  f.row = row;
                }
                throw domain::ValidationError(errors);
              } catch (const domain::Conflict& e) {
                throw domain::ValidationError({{"", e.what(), row}});
              }
            }
            ctx_.audit(tx, actor, "task.import", "tasks",
                       std::to_string(prepared->tasks.size()) + " rows");
          },
          [prepared] { return prepared->tasks.size(); }};
}

WritePlan<ImportResult> TaskImporter::plan_import(const Actor& actor, std::string_view csv) {
  // Each row's task as the import left it, by its place in the file (a retried write fills the
  // same places again).
  auto entered = std::make_shared<std::vector<ImportedRow>>();
  auto plan = plan_import(actor, csv, [entered](std::size_t i, int row, const TaskView& task) {
    if (entered->size() <= i) {
      entered->resize(i + 1);
    }
    (*entered)[i] = {row, task};
  });
  return {std::move(plan.apply), [entered] {
            ImportResult result;
            result.rows = std::move(*entered);
            return result;
          }};
}

ImportResult TaskImporter::preview(const Actor& actor, std::string_view csv,
                                   const SummaryRequest& report) {
  require(actor, Operation::report_read);
  auto plan = plan_import(actor, csv);
  struct RolledBack {};  // thrown to leave the transaction without keeping anything
  std::optional<SummaryReport> summary;
  try {
    ctx_.store.write([&](storage::WriteTx& tx) {
      plan.apply(tx);
      summary = ReportService(ctx_).summary_within(tx, actor, report);
      throw RolledBack{};
    });
  } catch (const RolledBack&) {
  }
  ImportResult result = plan.result();
  result.dry_run = true;
  result.report = std::move(summary);
  return result;
}

ImportResult TaskImporter::import(const Actor& actor, std::string_view csv) {
  return run(ctx_.store, plan_import(actor, csv));
}

std::size_t TaskImporter::import(const Actor& actor, std::string_view csv, const RowSink& each) {
  return run(ctx_.store, plan_import(actor, csv, each));
}

}  // namespace dondoc::service
