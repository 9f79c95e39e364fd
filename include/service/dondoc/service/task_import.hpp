// Bulk registration (issue 5): the task list office staff keep in a spreadsheet, saved as CSV,
// registered in one go. The whole file is checked first; then every row is registered, in one
// transaction, or none is, and the caller gets every problem at once as (row, column, what is
// wrong).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/service/reports.hpp"
#include "dondoc/service/tasks.hpp"

namespace dondoc::service {

struct ImportedHistory;

// Most rows one file sent to the API may hold: a month's tasks of a province are a few hundred,
// and a request holds the writer while it registers them.
inline constexpr int kMaxImportRows = 5000;
// The same for `dondocd import`, which brings in a province's whole register, years of it, once,
// and has the database to itself: 100,000 tasks with their history take seconds (bench/).
inline constexpr int kMaxOfflineImportRows = 1000000;
// Errors listed before the rest are summed up in one line.
inline constexpr int kMaxImportErrors = 200;

struct ImportedRow {
  int row = 0;  // as the spreadsheet numbers it (the header is row 1)
  TaskView task;
};

struct ImportResult {
  bool dry_run = false;  // checked only: nothing was registered, and the tasks have no ids
  std::vector<ImportedRow> rows;
  // A dry run asked for it: the period report as it would read after the import.
  std::optional<SummaryReport> report;
};

class TaskImporter {
 public:
  // Told each row's task as it goes: its place among the rows registered (0, 1, ...), its row in
  // the file, and the task as checked (a dry run) or as entered (an import, inside the
  // transaction: the rows are registered only if all of them are, so keep what it is told until
  // the call returns).
  using RowSink = std::function<void(std::size_t index, int row, const TaskView& task)>;

  TaskImporter(const ServiceContext& ctx, TaskService& tasks, int max_rows = kMaxImportRows)
      : ctx_(ctx), tasks_(tasks), max_rows_(max_rows) {}

  // Reads and checks `csv` against the units and tasks as they are now, and throws
  // ValidationError listing every problem, each with its row and the column as the file names
  // it. The plan registers every row in one transaction (and checks again there that no row was
  // registered meanwhile).
  WritePlan<ImportResult> plan_import(const Actor& actor, std::string_view csv);
  ImportResult import(const Actor& actor, std::string_view csv);
  // The same checks, registering nothing: what an import would register, without ids.
  ImportResult check(const Actor& actor, std::string_view csv);
  // The same, each row told to `each` rather than kept: for a register too large to hold every
  // task twice. They return how many rows were registered (checked).
  WritePlan<std::size_t> plan_import(const Actor& actor, std::string_view csv, RowSink each);
  std::size_t import(const Actor& actor, std::string_view csv, const RowSink& each);
  std::size_t check(const Actor& actor, std::string_view csv, const RowSink& each);
  // A dry run that goes further: the whole import, history and all, in a transaction that is
  // then rolled back, and within it the summary `report` asks for, as it would read after the
  // import. Each task as the import would leave it, with the ids it would have had.
  ImportResult preview(const Actor& actor, std::string_view csv, const SummaryRequest& report);

 private:
  struct Prepared;
  Prepared prepare(const Actor& actor, std::string_view csv, const RowSink& checked);
  TaskView enter_history(storage::WriteTx& tx, const Actor& actor, TaskView view,
                         const ImportedHistory& history);

  const ServiceContext& ctx_;
  TaskService& tasks_;
  int max_rows_;
};

// The columns the importer knows, as documented: each with the header names it accepts.
struct ImportColumn {
  std::string field;                 // the task field it fills, as in the JSON API
  std::vector<std::string> headers;  // the first is the one documented and written in templates
  bool required = false;
};
const std::vector<ImportColumn>& import_columns();

}  // namespace dondoc::service
