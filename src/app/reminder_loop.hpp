// Drives the reminder scanner from an asio timer (docs/design.md, "Conventions"): it sleeps until
// the next due reminder, not on a fixed poll, and is woken early when a write schedules an earlier
// one. The scanner does the work; this only decides when. Before each scan it runs the pass that
// makes the periodic series' tasks, so a task made today gets its reminders in the same pass.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>

#include "dondoc/domain/clock.hpp"
#include "dondoc/scheduler/scanner.hpp"

namespace dondoc::app {

class ReminderLoop {
 public:
  // `rate`: simulated seconds per real second (1 unless --clock-rate).
  // `on_queued` is called after a pass that queued messages (to wake the delivery).
  // `make_series_tasks` makes the periodic tasks whose day has come and returns when it must run
  // next (none: no series waits).
  using SeriesPass = std::function<std::optional<domain::Instant>()>;
  ReminderLoop(boost::asio::io_context& ioc, scheduler::Scanner& scanner,
               const domain::Clock& clock, double rate, std::function<void()> on_queued,
               SeriesPass make_series_tasks = {});

  void start();
  // Thread-safe: a commit has scheduled a reminder at `at`; wake then if that is earlier. Costs
  // the caller an atomic read when the loop will look by then anyway, which is most writes.
  void wake_at(domain::Instant at);
  void stop();

 private:
  void run();
  // The series pass; its failure is logged and tried again in a minute.
  std::optional<domain::Instant> run_series_pass();
  void arm(std::optional<domain::Instant> at);

  boost::asio::io_context& ioc_;
  boost::asio::steady_timer timer_;
  scheduler::Scanner& scanner_;
  const domain::Clock& clock_;
  double rate_;
  std::function<void()> on_queued_;
  SeriesPass make_series_tasks_;
  std::optional<domain::Instant> target_;
  bool stopped_ = false;
  // Milliseconds since the epoch by which the loop will have read the tasks again, for wake_at to
  // decide without a hand-off; no later than target_. kNotArmed while a pass runs: a pass may
  // have read its tasks before a write it should have seen committed.
  static constexpr std::int64_t kNotArmed = std::numeric_limits<std::int64_t>::max();
  std::atomic<std::int64_t> looks_by_{kNotArmed};
};

}  // namespace dondoc::app
