#include "dondoc/domain/date.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "dondoc/domain/text.hpp"
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

// Dates and instants are written digit by digit, not with snprintf: the same text for random
// instants from 1900 to 2200 and every offset a zone can have, read back to the millisecond.
TEST(Date, WrittenTextMatchesPrintfAndReadsBack) {
  std::mt19937_64 rng(45);
  for (int i = 0; i < 20000; ++i) {
    const auto millis =
        static_cast<std::int64_t>(rng() % 9'467'280'000'000ULL) - 2'208'988'800'000LL;
    const Instant at = from_unix_millis(millis);
    const auto offset = std::chrono::minutes(static_cast<int>(rng() % (26 * 60 + 1)) - 12 * 60);
    const std::string text = format_rfc3339(at, offset);
    // The same fields, by printf.
    const Date day = local_date(at, offset);
    const auto local_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              at + offset - std::chrono::floor<std::chrono::days>(at + offset))
                              .count();
    const long off = static_cast<long>(offset.count());
    char expected[96];
    std::snprintf(
        expected, sizeof expected, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lld%c%02ld:%02ld",
        day.year(), day.month(), day.day(), static_cast<long long>(local_ms / 3600000),
        static_cast<long long>(local_ms / 60000 % 60), static_cast<long long>(local_ms / 1000 % 60),
        static_cast<long long>(local_ms % 1000), off < 0 ? '-' : '+', std::labs(off) / 60,
        std::labs(off) % 60);
    ASSERT_EQ(text, expected) << millis;
    ASSERT_EQ(day.to_string(), text.substr(0, 10));
    ASSERT_EQ(parse_rfc3339(text), at) << text;
  }
}

TEST(Excerpt, IsValidUtf8WithoutControlsAndBounded) {
  using dondoc::domain::excerpt;
  EXPECT_EQ(excerpt("Sở Xây dựng"), "Sở Xây dựng");
  EXPECT_EQ(excerpt("a\xfb"
                    "b\n\"c\\"),
            "a\\xfbb\\x0a\\\"c\\\\");
  EXPECT_EQ(excerpt("\xc3"), "\\xc3") << "a lone lead byte";
  const std::string long_text(100000, '7');
  const std::string cut = excerpt(long_text, 50);
  EXPECT_LT(cut.size(), 80u);
  EXPECT_NE(cut.find("(100000 bytes)"), std::string::npos) << cut;
  EXPECT_FALSE(dondoc::domain::first_invalid_utf8(excerpt("\xe1\xba\xa1\xe1\xba", 4)));
}

// Found by fuzz_dates: a year past 2262 overflowed the nanosecond clock (UBSan).
TEST(Rfc3339, InstantsOutsideTheAcceptedYearsAreRefused) {
  EXPECT_FALSE(dondoc::domain::parse_rfc3339("2502-09-10T07:00:00+07:00"));
  EXPECT_FALSE(dondoc::domain::parse_rfc3339("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(dondoc::domain::parse_rfc3339("0001-01-01T00:00:00Z"));
  EXPECT_TRUE(dondoc::domain::parse_rfc3339("2200-12-31T23:59:59Z"));
}
