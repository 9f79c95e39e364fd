#include "dondoc/domain/date.hpp"

#include <gtest/gtest.h>

#include "fake_clock.hpp"

using namespace dondoc::domain;
using namespace std::chrono_literals;

TEST(Date, ParsesAndFormatsIsoDates) {
  auto d = Date::parse("2025-02-20");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year(), 2025);
  EXPECT_EQ(d->month(), 2u);
  EXPECT_EQ(d->day(), 20u);
  EXPECT_EQ(d->to_string(), "2025-02-20");
  EXPECT_EQ(d->iso_weekday(), 4u);  // a Thursday
}

TEST(Date, RejectsImpossibleAndMalformedDates) {
  EXPECT_FALSE(Date::parse("2025-02-29"));
  EXPECT_TRUE(Date::parse("2024-02-29"));
  EXPECT_FALSE(Date::parse("2025-13-01"));
  EXPECT_FALSE(Date::parse("2025-04-31"));
  EXPECT_FALSE(Date::parse("2025-4-1"));
  EXPECT_FALSE(Date::parse("20250401"));
  EXPECT_FALSE(Date::parse("2025-04-0x"));
  EXPECT_FALSE(Date::parse("+025-04-01"));
}

TEST(Date, LocalDateChangesAtLocalMidnightNotUtcMidnight) {
  const auto offset = 7h;
  // 16:59:59Z is 23:59:59 in Hanoi: still the 20th; one second later it is the 21st.
  EXPECT_EQ(local_date(dondoc::testing::at("2025-02-20T16:59:59Z"), offset).to_string(),
            "2025-02-20");
  EXPECT_EQ(local_date(dondoc::testing::at("2025-02-20T17:00:00Z"), offset).to_string(),
            "2025-02-21");
}

TEST(Date, Rfc3339RoundTripsWithOffset) {
  auto t = parse_rfc3339("2025-02-10T07:00:00+07:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t, 0s), "2025-02-10T00:00:00.000+00:00");
  EXPECT_EQ(format_rfc3339(*t, 7h), "2025-02-10T07:00:00.000+07:00");
  EXPECT_EQ(parse_rfc3339("2025-02-10T00:00:00.25Z").value() - *t, 250ms);
  EXPECT_FALSE(parse_rfc3339("2025-02-10 07:00:00"));
  EXPECT_FALSE(parse_rfc3339("2025-02-10T07:00:00+0700"));
}
