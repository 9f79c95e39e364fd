// The reminder scanner (docs/design.md, "Reminders and delivery"). `run_once()` is a plain method:
// it finds the tasks whose persisted `next_reminder_at` has come, queues their reminders in the
// outbox and advances their schedule in the same transaction, in bounded batches within a time
// budget, one task's failure isolated from the others. A timer in app/ only decides when to call
// it; tests call it after advancing a FakeClock.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/clock.hpp"
#include "dondoc/domain/reminder.hpp"
#include "dondoc/notify/posting.hpp"
#include "dondoc/storage/store.hpp"

namespace dondoc::scheduler {

struct ScannerOptions {
  domain::ReminderPolicy policy;
  int batch_size = 500;
  std::chrono::milliseconds budget{200};
  notify::MessageSettings messages;  // links, Message-IDs, webhooks, templates, when to send
  bool daily_digest = true;          // to each leader, every working day
  bool weekly_digest = true;         // to the Office, on the first working day of the week
  int digest_lines = 50;             // items listed per section; the rest are counted
};

struct PassResult {
  int tasks = 0;      // tasks (and coordinating units' parts) whose reminders were handled
  int queued = 0;     // messages newly queued
  int failed = 0;     // tasks that failed (logged; retried later)
  bool more = false;  // the budget ran out with tasks still due
  std::optional<domain::Instant> next_due;  // the earliest reminder still ahead
};

class Scanner {
 public:
  Scanner(storage::Store& store, const domain::Clock& clock, const domain::TimeZone& zone,
          const domain::WorkingCalendar& calendar, ScannerOptions options);

  PassResult run_once();

 private:
  int handle(storage::WriteTx& tx, domain::TaskId id, domain::Instant now);
  // A coordinating unit's reminders of its own deadline, to that unit alone.
  int handle_contribution(storage::WriteTx& tx, domain::Contribution c, domain::Instant now);
  // The contributions whose reminders are due, as run_once does for tasks.
  void contributions(domain::Instant now, PassResult& result);
  // Queues the digests that are due; returns how many messages, and sets `next` to when the
  // next digest is due.
  int digests(domain::Instant now, std::optional<domain::Instant>& next);

  // Within one pass, units and recipients are looked up once, not once per task.
  const domain::Unit& unit(storage::ReadTx& tx, domain::UnitId id);

  notify::AddressBook addresses_;
  std::map<domain::UnitId, domain::Unit> unit_cache_;
  storage::Store& store_;
  const domain::Clock& clock_;
  const domain::TimeZone& zone_;
  const domain::WorkingCalendar& calendar_;
  ScannerOptions options_;
};

}  // namespace dondoc::scheduler
