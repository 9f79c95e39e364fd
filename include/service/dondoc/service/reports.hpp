// The reports the Office reads at its monthly meeting (issue 5): the period summary and the
// overdue appendix, for any period and as of any past date, rebuilt from the tasks' history.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/effective.hpp"
#include "dondoc/domain/recurrence.hpp"
#include "dondoc/domain/report.hpp"
#include "dondoc/domain/scorecard.hpp"
#include "dondoc/service/authorization.hpp"
#include "dondoc/service/context.hpp"

namespace dondoc::service {

// Whether tasks are grouped under the unit that led them then, or under today's successor of it.
enum class GroupBy { historic, current };

struct SummaryRequest {
  domain::Date from;
  domain::Date to;
  std::optional<domain::Date> as_of;  // none: today
  GroupBy group_by = GroupBy::historic;
  // Only the tasks this leader was in charge of as of the date ("my tasks"), and the requests
  // on tasks they are in charge of now.
  std::optional<std::int64_t> leader_id = std::nullopt;
  // As things were on as_of as known now, or as the register stood that day (effective.hpp).
  domain::AsOfBasis basis = domain::AsOfBasis::effective;
};

// An extension request filed in the report's period, as it stood at the end of its date.
struct ExtensionLine {
  domain::ExtensionRequest request;  // a decision taken after the date reads as still pending
  std::string source_ref;            // its task's document and title
  std::string title;
  domain::UnitId unit_id = 0;  // the unit that asked, as the report groups it
  std::string unit;
};

struct SummaryReport {
  domain::Summary summary;
  // The requests themselves, oldest first, beside their counts in the summary.
  std::vector<ExtensionLine> extension_requests;
  GroupBy group_by = GroupBy::historic;
  domain::AsOfBasis basis = domain::AsOfBasis::effective;
  // Each unit the report names, as it should be printed: "Sở Giao thông vận tải (nay là Sở Xây
  // dựng)" for a unit merged into another.
  std::map<domain::UnitId, std::string> unit_names;
};

// One line of the overdue appendix.
struct OverdueLine {
  int number = 0;  // STT
  domain::TaskId task_id = 0;
  std::string source_ref;
  std::optional<domain::Date> source_date;
  std::string title;
  domain::UnitId lead_unit_id = 0;
  std::string lead_unit;
  domain::Date due_on;
  int days_overdue = 0;          // calendar days
  int working_days_overdue = 0;  // working days after the deadline, up to as_of
  int extension_count = 0;
  std::optional<std::int64_t> leader_id;  // the leader in charge
  std::string leader;                     // their name, as printed
  bool key_task = false;
  std::vector<std::string> coordinating_units;
  bool extension_pending = false;  // a request filed by the date and not decided by it
  // The latest progress note entered by the date, and the day it was entered.
  std::optional<domain::Date> progress_on;
  std::string progress_note;
};

// A coordinating unit's input not sent by its own deadline (the overdue report's appendix).
struct LateContributionLine {
  domain::TaskId task_id = 0;
  std::string source_ref;
  std::string title;
  std::string lead_unit;
  std::string unit;  // the coordinating unit that owes its input
  domain::Date due_on;
  int days_late = 0;
};

struct OverdueReport {
  domain::Date as_of;
  domain::AsOfBasis basis = domain::AsOfBasis::effective;
  std::vector<OverdueLine> lines;
  std::vector<LateContributionLine> late_contributions;
};

// The units' yearly scorecard (domain/scorecard.hpp), from the year's summary.
struct Scorecard {
  int year = 0;
  domain::Date as_of;
  domain::AsOfBasis basis = domain::AsOfBasis::effective;
  std::vector<domain::ScoreLine> lines;
  domain::ScoreLine total;  // every unit together (rank 0)
  std::map<domain::UnitId, std::string> unit_names;
};

// A deadline of a periodic series that no task holds yet (its task is made nearer the day).
struct PlannedDeadline {
  domain::TaskSeries series;
  domain::Occurrence occurrence;
  int index = 0;  // the series_index its task will have
};

// A unit's open tasks with a deadline, for its calendar feed, and its series' deadlines planned
// for the year ahead.
struct DeadlineFeed {
  domain::Unit unit;
  std::vector<domain::Task> tasks;  // led or coordinated by the unit, open or reported
  std::vector<PlannedDeadline> planned;
  std::map<domain::UnitId, std::string> unit_names;  // of their lead units
};

class ReportService {
 public:
  explicit ReportService(const ServiceContext& ctx) : ctx_(ctx) {}

  SummaryReport summary(const Actor& actor, const SummaryRequest& request);
  // The same, counted within a transaction the caller holds: what a write not yet committed
  // (an import tried in a dry run) would make of the report.
  SummaryReport summary_within(storage::ReadTx& tx, const Actor& actor,
                               const SummaryRequest& request) const;
  // `leader_id`: only the tasks this leader is in charge of.
  OverdueReport overdue(const Actor& actor, std::optional<domain::Date> as_of, GroupBy group_by,
                        std::optional<std::int64_t> leader_id = std::nullopt,
                        domain::AsOfBasis basis = domain::AsOfBasis::effective);
  // The year's scorecard as of `as_of` (default: the end of the year, or today in the current
  // year); the same scope and basis as the summary.
  Scorecard scorecard(const Actor& actor, int year, std::optional<domain::Date> as_of,
                      GroupBy group_by = GroupBy::historic,
                      domain::AsOfBasis basis = domain::AsOfBasis::effective);
  DeadlineFeed deadlines(const Actor& actor, domain::UnitId unit);

 private:
  domain::Date as_of_or_today(std::optional<domain::Date> as_of) const;
  // The summary's as_of, after checking the period.
  domain::Date checked_as_of(const SummaryRequest& request) const;
  // The counts of part `part` of `parts` (by task id); part 0 also counts the extension requests
  // and names the units into `names`.
  domain::Summary count_part(storage::ReadTx& tx, const SummaryRequest& request, domain::Date as_of,
                             int part, int parts, std::map<domain::UnitId, std::string>& names,
                             std::vector<ExtensionLine>& requests) const;
  SummaryReport finish(std::optional<domain::UnitId> scope, const SummaryRequest& request,
                       domain::Summary summary, const std::map<domain::UnitId, std::string>& names,
                       std::vector<ExtensionLine> requests) const;
  const ServiceContext& ctx_;
};

}  // namespace dondoc::service
