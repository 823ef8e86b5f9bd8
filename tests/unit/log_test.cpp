#include "common/log.h"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace cc::log {
namespace {

TEST(LogTest, LogfmtQuotesValuesThatNeedIt) {
  EXPECT_EQ(FormatLine(Format::logfmt, Level::warn, "T", "poll failed",
                       {{"target", "hq"}, {"err", "connect 1.2.3.4:80: refused"}, {"empty", ""}}),
            "ts=T level=warn msg=\"poll failed\" target=hq err=\"connect 1.2.3.4:80: refused\" empty=\"\"");
  EXPECT_EQ(FormatLine(Format::logfmt, Level::info, "T", "x", {{"q", "say \"hi\"\nnext"}}),
            "ts=T level=info msg=x q=\"say \\\"hi\\\"\\nnext\"");
}

TEST(LogTest, JsonEscapes) {
  EXPECT_EQ(FormatLine(Format::json, Level::error, "T", "m", {{"k", "a\"b\\c\n\x01"}}),
            "{\"ts\":\"T\",\"level\":\"error\",\"msg\":\"m\",\"k\":\"a\\\"b\\\\c\\n\\u0001\"}");
}

TEST(LogTest, NumbersAreJsonNumbersAndUnquotedInLogfmt) {
  const std::size_t count = 4500;
  const unsigned status = 429;
  const std::int64_t negative = -7;
  const std::uint64_t big = 18446744073709551615ull;
  EXPECT_EQ(FormatLine(Format::json, Level::warn, "T", "m",
                       {{"failures", count},
                        {"status", status},
                        {"n", negative},
                        {"big", big},
                        {"seconds", 12.5},
                        {"nan", std::numeric_limits<double>::quiet_NaN()},
                        {"text", "42"}}),
            "{\"ts\":\"T\",\"level\":\"warn\",\"msg\":\"m\",\"failures\":4500,\"status\":429,\"n\":-7,"
            "\"big\":18446744073709551615,\"seconds\":12.5,\"nan\":\"nan\",\"text\":\"42\"}");
  EXPECT_EQ(FormatLine(Format::logfmt, Level::info, "T", "m", {{"failures", count}, {"seconds", 0.1}}),
            "ts=T level=info msg=m failures=4500 seconds=0.1");
}

TEST(LogTest, ParsesLevelsAndFormats) {
  EXPECT_EQ(ParseLevel("debug"), Level::debug);
  EXPECT_EQ(ParseFormat("json"), Format::json);
  EXPECT_THROW(ParseLevel("verbose"), std::invalid_argument);
  EXPECT_THROW(ParseFormat("xml"), std::invalid_argument);
}

}  // namespace
}  // namespace cc::log
