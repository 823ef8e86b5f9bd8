#include "http/retry_after.h"

#include <gtest/gtest.h>

namespace cc::http {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;

// 1994-11-06T08:49:00Z, 37 s before the RFC's example date.
const std::chrono::system_clock::time_point kRfcNow = std::chrono::system_clock::from_time_t(784111740);

TEST(RetryAfterTest, DelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("30", kRfcNow), 30s);
  EXPECT_EQ(ParseRetryAfter("0", kRfcNow), 0s);
  EXPECT_EQ(ParseRetryAfter(" 120\t", kRfcNow), 120s);  // OWS around a field value
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999", kRfcNow), seconds(2147483647)) << "saturates, never wraps";
}

TEST(RetryAfterTest, AllThreeHttpDateForms) {
  // RFC 9110 §5.6.7's example, in its three forms: 37 s after kRfcNow.
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kRfcNow), 37s);
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", kRfcNow), 37s);
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", kRfcNow), 37s);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 09:49:00 GMT", kRfcNow), 3600s);
}

TEST(RetryAfterTest, ADateInThePastIsNoWait) {
  EXPECT_EQ(ParseRetryAfter("Sat, 05 Nov 1994 08:49:37 GMT", kRfcNow), 0s);
}

TEST(RetryAfterTest, TwoDigitYearsMoreThanFiftyYearsAheadAreThePastCentury) {
  const auto now = std::chrono::system_clock::from_time_t(1798675200);  // 2026-12-31T00:00:00Z
  // 2076 is 50 years ahead: kept. 2077 would be 51: 1977, in the past.
  EXPECT_EQ(ParseRetryAfter("Thursday, 31-Dec-76 00:00:00 GMT", now),
            seconds(3376598400 - 1798675200));  // 2076-12-31T00:00:00Z
  EXPECT_EQ(ParseRetryAfter("Friday, 31-Dec-77 00:00:00 GMT", now), 0s);
  EXPECT_EQ(ParseRetryAfter("Friday, 01-Jan-27 00:00:10 GMT", now), 86410s);
}

TEST(RetryAfterTest, GarbageIsNoDelay) {
  for (const char* bad : {"", "  ", "-5", "1.5", "30s", "1e3", "+30", "soon", "30 seconds",
                          "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37", "2026-11-30T10:00:00Z",
                          "Sun, 06 Nov 1994 08:49:37 GMT trailing", "Sun, 32 Nov 1994 08:49:37 GMT"}) {
    EXPECT_EQ(ParseRetryAfter(bad, kRfcNow), std::nullopt) << '"' << bad << '"';
  }
}

}  // namespace
}  // namespace cc::http
