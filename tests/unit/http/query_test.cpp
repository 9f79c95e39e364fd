// What the request log may show of a target: the feed's token hidden however its name is
// spelt, and never more than a bounded, printable excerpt.
#include "query.hpp"

#include <gtest/gtest.h>

using dondoc::http::loggable_target;

TEST(LoggableTarget, HidesTheTokenWhateverItsSpelling) {
  EXPECT_EQ(loggable_target("/api/v1/units/1/deadlines.ics?token=ddt_1_secret"),
            "/api/v1/units/1/deadlines.ics?token=***");
  EXPECT_EQ(loggable_target("/f.ics?%74oken=ddt_1_secret&x=1"), "/f.ics?%74oken=***&x=1");
  EXPECT_EQ(loggable_target("/f.ics?a=1&to%6Ben=ddt_1_secret"), "/f.ics?a=1&to%6Ben=***");
  EXPECT_EQ(loggable_target("/f.ics?%zz=ddt_1_secret"), "/f.ics?%zz=***")
      << "a name that cannot be decoded hides its value";
  EXPECT_EQ(loggable_target("/tasks?q=duong"), "/tasks?q=duong");
}

TEST(LoggableTarget, IsBoundedAndPrintable) {
  const std::string logged = loggable_target("/\xfb\n\"" + std::string(10000, 'a'));
  EXPECT_LT(logged.size(), 260u);
  EXPECT_EQ(logged.find('\n'), std::string::npos);
  EXPECT_EQ(logged.rfind("/\\xfb\\x0a\\\"", 0), 0u) << logged;
}
