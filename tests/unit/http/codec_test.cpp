// A task's JSON is written by hand on the hot path (Codec::task_text); it must stay the text the
// JSON library gives for the same task (Codec::task, which lists use), field for field.
#include "codec.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace std::chrono_literals;
using dondoc::domain::Date;
using dondoc::domain::LifecycleState;
using dondoc::domain::Priority;
using dondoc::domain::Timeliness;

namespace {

std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "Báo cáo", "Sở Xây dựng", "\"", "\\", "\n", "\t", "\x01", "\x7f", " ", "45/TB-UBND", "𝄞"};
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::string out;
  for (int i = static_cast<int>(rng() % 5); i > 0; --i) {
    out += pieces[pick(rng)];
  }
  return out;
}

std::optional<Date> random_date(std::mt19937& rng) {
  if (rng() % 3 == 0) {
    return std::nullopt;
  }
  return Date::from_days(static_cast<std::int32_t>(19000 + rng() % 2000));
}

}  // namespace

TEST(Codec, TaskTextIsWhatTheJsonLibraryWrites) {
  dondoc::domain::FixedOffsetZone zone{"Asia/Ho_Chi_Minh", 7h};
  dondoc::http::Codec codec(zone);
  std::mt19937 rng(1129);
  for (int round = 0; round < 1000; ++round) {
    dondoc::service::TaskView v;
    auto& t = v.task;
    t.id = static_cast<std::int64_t>(rng() % 1000000);
    t.title = random_text(rng);
    t.description = random_text(rng);
    t.source_ref = random_text(rng);
    t.source_date = random_date(rng);
    t.source_title = random_text(rng);
    t.assigner = random_text(rng);
    t.assigned_on = Date::from_days(static_cast<std::int32_t>(19000 + rng() % 2000));
    t.lead_unit_id = static_cast<std::int64_t>(rng() % 300);
    for (int i = static_cast<int>(rng() % 4); i > 0; --i) {
      t.coordinating_unit_ids.push_back(static_cast<std::int64_t>(rng() % 300));
    }
    t.due_on = random_date(rng);
    t.priority = rng() % 2 ? Priority::urgent : Priority::normal;
    t.state = static_cast<LifecycleState>(rng() % 5);
    t.completed_on = random_date(rng);
    t.completion_ref = random_text(rng);
    t.cancel_reason = random_text(rng);
    t.original_due_on = random_date(rng);
    t.extension_count = static_cast<int>(rng() % 4);
    t.version = static_cast<std::int64_t>(rng() % 50) + 1;
    t.created_at = dondoc::domain::Instant(std::chrono::milliseconds(1700000000000LL + rng()));
    t.updated_at = t.created_at + std::chrono::milliseconds(rng() % 100000000);
    v.timeliness = static_cast<Timeliness>(rng() % 8);
    v.days_overdue = static_cast<int>(rng() % 400) - 10;
    ASSERT_EQ(codec.task_text(v), codec.task(v).dump()) << "round " << round;
  }
}
