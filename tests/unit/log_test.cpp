#include "common/log.h"

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

TEST(LogTest, ParsesLevelsAndFormats) {
  EXPECT_EQ(ParseLevel("debug"), Level::debug);
  EXPECT_EQ(ParseFormat("json"), Format::json);
  EXPECT_THROW(ParseLevel("verbose"), std::invalid_argument);
  EXPECT_THROW(ParseFormat("xml"), std::invalid_argument);
}

}  // namespace
}  // namespace cc::log
