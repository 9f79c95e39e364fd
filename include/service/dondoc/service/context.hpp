// What every use case needs from its surroundings (the ServiceContext, built once by app/'s
// Runtime) and the shape of a planned write.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dondoc/config/config.hpp"
#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/classify.hpp"
#include "dondoc/domain/clock.hpp"
#include "dondoc/domain/deadline.hpp"
#include "dondoc/domain/extension.hpp"
#include "dondoc/domain/reminder.hpp"
#include "dondoc/notify/posting.hpp"
#include "dondoc/service/authorization.hpp"
#include "dondoc/storage/file_store.hpp"
#include "dondoc/storage/store.hpp"

namespace dondoc::service {

using domain::Date;
using domain::Task;
using domain::TaskId;
using domain::Unit;
using domain::UnitId;

// A write use case, prepared: the checks and normalization that need no database were done when
// it was planned; `apply` runs inside a write transaction; `result` gives the outcome once
// `apply` succeeded. The HTTP server runs `apply` on the store's writer and the rest on its own
// threads, so the single writer does only database work. The plain methods (create, update, act)
// run the three steps in turn.
template <typename T>
struct WritePlan {
  std::function<void(storage::WriteTx&)> apply;
  std::function<T()> result;
};

int default_report_parts();

// What a service needs from its surroundings, wired once by app/.
struct ServiceContext {
  storage::Store& store;
  const domain::Clock& clock;
  const domain::TimeZone& zone;
  const domain::WorkingCalendar& calendar;
  domain::ClassifyPolicy classify_policy;
  int default_page_size = config::kDefaultPageSize;
  int max_page_size = config::kDefaultMaxPageSize;
  domain::ExtensionPolicy extension_policy{};
  domain::ReminderPolicy reminder_policy{};
  // What notices link to, where they go besides email, in whose words, and when they are sent.
  notify::MessageSettings messages{};
  // How long a person's session lasts: idle, and at most.
  domain::SessionPolicy sessions{};
  // How many days before its assignment a periodic series makes its next task.
  int series_horizon_days = config::kDefaultSeriesHorizonDays;
  // How many threads (and read connections) a period report counts its tasks with: one per core,
  // up to 4, since the scan of a million tasks is bound by the processor.
  int report_parts = default_report_parts();
  // Where attached documents' content is kept (none: attachments cannot be taken), and how large
  // one file and all of a task's files may be.
  storage::FileStore* files = nullptr;
  std::uint64_t max_file_bytes = std::uint64_t{config::kDefaultMaxFileMib} << 20;
  std::uint64_t max_task_bytes = std::uint64_t{config::kDefaultMaxTaskMib} << 20;

  Date today() const { return zone.today(clock); }
  // Appends a successful write to the audit log, inside the transaction that made it.
  void audit(storage::WriteTx& tx, const Actor& actor, std::string_view action, std::string target,
             std::string detail = "") const;
  // Stores when `task`, just written, is due its next reminder, inside the same transaction, so
  // that a moved deadline or a completion changes the schedule at once.
  void reschedule(storage::WriteTx& tx, const Task& task) const;
  // The first reminder of a task not yet registered (none has been sent for it).
  std::optional<domain::Instant> first_reminder(const Task& task) const;
};

}  // namespace dondoc::service
