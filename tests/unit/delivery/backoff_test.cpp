// The wait between attempts to deliver a message.
#include <gtest/gtest.h>

#include "dondoc/delivery/dispatcher.hpp"

using namespace dondoc::delivery;

TEST(Backoff, DoublesFromTheInitialWaitUpToTheCap) {
  RetryPolicy p;  // 30 s doubling to 1 h
  EXPECT_EQ(backoff(p, 1), std::chrono::seconds(30));
  EXPECT_EQ(backoff(p, 2), std::chrono::seconds(60));
  EXPECT_EQ(backoff(p, 5), std::chrono::seconds(480));
  EXPECT_EQ(backoff(p, 8), std::chrono::seconds(3600));
  EXPECT_EQ(backoff(p, 200), std::chrono::seconds(3600));
}
