#include "reminder_loop.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

namespace dondoc::app {

namespace {

// The longest the loop sleeps without looking again, in real time: a safety net for a
// wall-clock jump (the schedule is in wall time, the timer in monotonic time) and for tasks
// changed by another process. Not a poll: a pass with nothing due reads one index page.
constexpr auto kLongestSleep = std::chrono::minutes(5);

}  // namespace

ReminderLoop::ReminderLoop(boost::asio::io_context& ioc, scheduler::Scanner& scanner,
                           const domain::Clock& clock, double rate, std::function<void()> on_queued,
                           SeriesPass make_series_tasks)
    : ioc_(ioc),
      timer_(ioc),
      scanner_(scanner),
      clock_(clock),
      rate_(rate),
      on_queued_(std::move(on_queued)),
      make_series_tasks_(std::move(make_series_tasks)) {}

void ReminderLoop::start() {
  boost::asio::post(ioc_, [this] { run(); });
}

void ReminderLoop::wake_at(domain::Instant at) {
  const std::int64_t ms = domain::to_unix_millis(at);
  std::int64_t looks_by = looks_by_.load();
  while (ms < looks_by) {
    if (looks_by_.compare_exchange_weak(looks_by, ms)) {
      boost::asio::post(ioc_, [this, at] {
        if (!stopped_ && (!target_ || at < *target_)) {
          arm(at);
        }
      });
      return;
    }
  }
}

void ReminderLoop::stop() {
  boost::asio::post(ioc_, [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void ReminderLoop::run() {
  if (stopped_) {
    return;
  }
  looks_by_.store(kNotArmed);  // before the pass reads: a commit from now on must wake it again
  const std::optional<domain::Instant> series_due = run_series_pass();
  scheduler::PassResult result;
  try {
    result = scanner_.run_once();
  } catch (const std::exception& e) {
    // A failed pass (the database busy or closing) is logged and tried again later.
    spdlog::get("app")->error("event=reminder_pass_failed error=\"{}\"", e.what());
    result = {};
    result.next_due = clock_.now() + std::chrono::minutes(1);
  } catch (...) {
    spdlog::get("app")->error("event=reminder_pass_failed error=\"not a std::exception\"");
    result = {};
    result.next_due = clock_.now() + std::chrono::minutes(1);
  }
  if (result.queued > 0 && on_queued_) {
    on_queued_();
  }
  if (result.more) {
    target_ = clock_.now();
    boost::asio::post(ioc_, [this] { run(); });  // let other work in between batches
    return;
  }
  if (series_due && (!result.next_due || *series_due < *result.next_due)) {
    result.next_due = series_due;
  }
  arm(result.next_due);
}

std::optional<domain::Instant> ReminderLoop::run_series_pass() {
  if (!make_series_tasks_) {
    return std::nullopt;
  }
  try {
    return make_series_tasks_();
  } catch (const std::exception& e) {
    spdlog::get("app")->error("event=series_pass_failed error=\"{}\"", e.what());
  } catch (...) {
    spdlog::get("app")->error("event=series_pass_failed error=\"not a std::exception\"");
  }
  return clock_.now() + std::chrono::minutes(1);
}

void ReminderLoop::arm(std::optional<domain::Instant> at) {
  target_ = at;
  looks_by_.store(at ? domain::to_unix_millis(*at) : kNotArmed);
  auto wait = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kLongestSleep);
  if (at) {
    const auto simulated = *at - clock_.now();
    const auto real = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(simulated) / rate_);
    wait = std::clamp(real, std::chrono::steady_clock::duration::zero(), wait);
  }
  timer_.expires_after(wait);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) {
      run();
    }
  });
}

}  // namespace dondoc::app
