// The store contract, reports and digests: the scans a period report, the overdue appendix and
// the digests are counted from, built to visit a million tasks without holding them. Errors as
// in task_store.hpp.
#pragma once

#include <climits>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/domain/effective.hpp"
#include "dondoc/domain/extension.hpp"
#include "dondoc/domain/task.hpp"
#include "dondoc/domain/unit.hpp"

namespace dondoc::storage {

class ReportReads {
 public:
  virtual ~ReportReads() = default;

  // The tasks a report on the period [from, to] may count, one at a time (a million are never
  // held at once), oldest first, with only what the counts read: assigner, dates, lead unit,
  // state, extension count, created_at, updated_at and version. That is every task registered
  // before `before` and changed since `changed_since`, and of the others those assigned by `to`
  // that were assigned from `from` on, are unfinished or are due within the period: an unchanged
  // task finished before the period and due outside it, or assigned after it, counts nowhere. Only
  // ids in [first_id, last_id], so that parts of the scan can run side by side (see
  // Store::read_together).
  //
  // With `basis` effective the scan is by the dates changes took effect, whenever entered: of the
  // tasks assigned by `assigned_by`, every one whose changes took effect through a date from
  // `from` on (Task::effective_through), and of the others those assigned from `from` on,
  // unfinished or due within the period; `before` and `changed_since` are not read.
  struct PeriodScan {
    domain::Instant before{};
    domain::Date from;
    domain::Date to;
    domain::Instant changed_since{};
    domain::TaskId first_id = 1;
    domain::TaskId last_id = INT64_MAX;
    domain::AsOfBasis basis = domain::AsOfBasis::recorded;
    // Effective basis: the tasks assigned by this day (the earlier of `to` and as_of) and no
    // later; the others did not exist yet, or were given after the period. By default no bound
    // (task dates end in 2100).
    domain::Date assigned_by = domain::Date::from_days(84000);  // 2199-12-26
  };
  virtual void for_each_task_of_period(const PeriodScan& scan,
                                       const std::function<void(const domain::Task&)>& visit) = 0;
  // The highest task id so far (0 when there are none).
  virtual domain::TaskId last_task_id() = 0;
  // The overdue appendix's candidates, with their texts: tasks registered before `before` that
  // are open (or reported) with a deadline before `day` as stored now, or that changed since
  // `since`.
  virtual void for_each_overdue_candidate(
      domain::Date day, domain::Instant since, domain::Instant before,
      const std::function<void(const domain::Task&)>& visit) = 0;
  // The same by effective dates: tasks assigned by `day` that are open (or reported) with a
  // deadline before `day` as stored now, or with a change that took effect after `day`.
  virtual void for_each_overdue_candidate_effective(
      domain::Date day, const std::function<void(const domain::Task&)>& visit) = 0;
  // The events from `since` on that changed some field of each task, oldest first. (A task's
  // updated_at is the instant of its latest change: one updated before `since` has none.)
  virtual std::map<domain::TaskId, std::vector<domain::TaskEvent>> changes_since(
      const std::vector<domain::TaskId>& tasks, domain::Instant since) = 0;
  // Extension requests filed in [from, before), as they are now, oldest first.
  virtual std::vector<domain::ExtensionRequest> extensions_filed(domain::Instant from,
                                                                 domain::Instant before) = 0;
  // The same by the dates they were filed in reality: those filed from `from` to `to`
  // (ExtensionRequest::filed_on), and of the requests without that date (from before it was
  // kept), those entered in [start, before). Oldest first.
  virtual std::vector<domain::ExtensionRequest> extensions_filed_on(domain::Date from,
                                                                    domain::Date to,
                                                                    domain::Instant start,
                                                                    domain::Instant before) = 0;
  // Every unit, by id.
  virtual std::vector<domain::Unit> all_units() = 0;
  // Every unit's changes from `since` on (renames and mergers after a report's date), oldest
  // first.
  virtual std::vector<domain::UnitEvent> unit_changes_since(domain::Instant since) = 0;
  // The last day the digest `kind` was handled, if ever.
  virtual std::optional<domain::Date> digest_day(const std::string& kind) = 0;
};

class ReportWrites {
 public:
  virtual ~ReportWrites() = default;
  virtual void set_digest_day(const std::string& kind, domain::Date day) = 0;
};

}  // namespace dondoc::storage
