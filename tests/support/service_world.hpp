// What a service test stands on: a real SQLite file in a temporary directory, a fake clock
// starting at `start`, the province's zone and the built-in calendar, and the service context
// over them.
#pragma once

#include <memory>

#include "dondoc/service/context.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

namespace dondoc::testing {

struct ServiceWorld {
  explicit ServiceWorld(const char* start) : clock(at(start)) {}

  TempDir dir;
  std::unique_ptr<storage::Store> store = open_test_store(dir);
  FakeClock clock;
  domain::FixedOffsetZone zone{"Asia/Ho_Chi_Minh", std::chrono::hours(7)};
  domain::WorkingCalendar calendar;
  service::ServiceContext ctx{*store, clock, zone, calendar, domain::ClassifyPolicy{}, 50, 200};
};

}  // namespace dondoc::testing
