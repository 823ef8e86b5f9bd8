#include "collectors/huawei_cec/listing.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "collectors/huawei_cec/parse.h"
#include "tests/unit/support/vendor_testing.h"

namespace cc::huawei_cec {
namespace {

std::string ListingFixture(const std::string& name) { return test::Fixture("huawei_cec", name); }

std::vector<std::int64_t> IdsOf(const std::vector<ListedSkill>& skills) {
  std::vector<std::int64_t> ids;
  for (const ListedSkill& s : skills) ids.push_back(s.id);
  return ids;
}

TEST(HuaweiCecListingTest, BodyFormsAsDocumented) {
  EXPECT_EQ(SkillListBody(1, 170, BodyForm::flat), R"({"ccId":1,"vdn":170})");
  EXPECT_EQ(SkillListBody(65535, 5000, BodyForm::query_param), R"({"queryParam":{"ccId":65535,"vdn":5000}})");
}

TEST(HuaweiCecListingTest, ParsesTheDocumentedExample) {
  auto skills = ParseSkillList(ListingFixture("skills_list.json"));
  ASSERT_TRUE(skills.ok()) << skills.error().message;
  ASSERT_EQ(skills->size(), 2u);
  EXPECT_EQ((*skills)[0].id, 1);
  EXPECT_EQ((*skills)[0].media_type, 1);
  EXPECT_EQ((*skills)[0].name, "Text chat 1");
  EXPECT_EQ((*skills)[1].id, 10);
  EXPECT_EQ((*skills)[1].name, "Text chat 2");
}

TEST(HuaweiCecListingTest, KeepsEveryUsableQueueAndReportsTheRest) {
  kit::UnusableFields unusable;
  auto skills = ParseSkillList(ListingFixture("skills_list_mixed.json"), &unusable);
  ASSERT_TRUE(skills.ok()) << skills.error().message;
  EXPECT_EQ(IdsOf(*skills), (std::vector<std::int64_t>{3, 205, 9999, 44, 45}));
  EXPECT_EQ((*skills)[0].name, "售前语音");
  EXPECT_EQ((*skills)[0].media_type, 5);  // the first of the two 3s
  EXPECT_EQ((*skills)[1].name, "网页客服");
  EXPECT_EQ((*skills)[1].media_type, 51);  // "51" as text
  EXPECT_EQ((*skills)[2].media_type, 53);
  EXPECT_EQ((*skills)[3].media_type, std::nullopt);  // "voice" is no code
  EXPECT_EQ((*skills)[3].name, "");
  EXPECT_EQ((*skills)[4].media_type, 77);
  EXPECT_EQ((*skills)[4].name, "");
  std::sort(unusable.begin(), unusable.end());
  unusable.erase(std::unique(unusable.begin(), unusable.end()), unusable.end());
  EXPECT_EQ(unusable, (kit::UnusableFields{"skill 44.mediaType", "skills[4].id", "skills[5].id"}));
}

TEST(HuaweiCecListingTest, LegacyEnvelopeAndSpelling) {
  auto skills = ParseSkillList(ListingFixture("skills_list_legacy.json"));
  ASSERT_TRUE(skills.ok()) << skills.error().message;
  ASSERT_EQ(skills->size(), 1u);
  EXPECT_EQ((*skills)[0].id, 7);
  EXPECT_EQ((*skills)[0].media_type, 5);
  EXPECT_EQ((*skills)[0].name, "Hotline");
}

TEST(HuaweiCecListingTest, ErrorEnvelopeIsVendorErrorWithItsCode) {
  std::string code;
  auto skills = ParseSkillList(ListingFixture("error_invalid_param.json"), nullptr, &code);
  ASSERT_FALSE(skills.ok());
  EXPECT_EQ(skills.error().reason, Reason::vendor_error);
  EXPECT_NE(skills.error().message.find("0100002 (Invalid parameter)"), std::string::npos) << skills.error().message;
  EXPECT_EQ(code, kInvalidParameterCode);

  code.clear();
  auto other = ParseSkillList(R"({"resultCode":"0101003","resultDesc":"insufficient permission"})", nullptr, &code);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().reason, Reason::vendor_error);
  EXPECT_EQ(code, "0101003");
}

TEST(HuaweiCecListingTest, WrongShapesAreParseErrors) {
  for (const char* body :
       {R"({"resultCode":"0100000","resultDesc":{"id":1}})", R"({"resultCode":"0100000","resultDesc":[1,2]})",
        R"({"resultCode":"0100000"})", "<html>busy</html>", ""}) {
    SCOPED_TRACE(body);
    std::string code;
    auto skills = ParseSkillList(body, nullptr, &code);
    ASSERT_FALSE(skills.ok());
    EXPECT_EQ(skills.error().reason, Reason::parse);
    EXPECT_EQ(code, "");
  }
}

TEST(HuaweiCecListingTest, MediaTypeNamesRoundTrip) {
  EXPECT_EQ(CallMediaName(5), "voice");
  EXPECT_EQ(CallMediaName(51), "web_chat");
  EXPECT_EQ(CallMediaName(12), "12");
  EXPECT_EQ(CallMediaName(-1), "-1");
  for (int code = 0; code <= 60; ++code) EXPECT_EQ(CallMediaCode(CallMediaName(code)), code) << code;
  EXPECT_EQ(CallMediaCode("53"), 53);
  EXPECT_EQ(CallMediaCode("Voice"), std::nullopt);
  EXPECT_EQ(CallMediaCode("-5"), std::nullopt);
  EXPECT_EQ(CallMediaCode(""), std::nullopt);
}

TEST(HuaweiCecListingTest, SelectsListedConfiguredAndByMediaType) {
  const std::vector<ListedSkill> listed{{3, 5, "a"}, {205, 51, "b"}, {9999, 5, "c"}, {44, std::nullopt, "d"}};
  EXPECT_EQ(SelectSkills(listed, {}, {}), (std::vector<std::int64_t>{3, 205, 9999, 44}));
  const std::vector<int> voice{5};
  EXPECT_EQ(SelectSkills(listed, {}, voice), (std::vector<std::int64_t>{3, 9999}));
  const std::vector<std::int64_t> configured{9999, 205, 8};
  EXPECT_EQ(SelectSkills(listed, configured, {}), configured);
  EXPECT_EQ(SelectSkills(listed, configured, voice), (std::vector<std::int64_t>{9999}));
  const std::vector<int> chat_and_voice{51, 5};
  EXPECT_EQ(SelectSkills(listed, configured, chat_and_voice), (std::vector<std::int64_t>{9999, 205}));
  EXPECT_EQ(SelectSkills({}, {}, {}), std::vector<std::int64_t>{});
}

TEST(HuaweiCecListingTest, QueueInfoTakesTheListedNameAndMedia) {
  std::vector<SkillStatus> status(3);
  status[0].skill = "3";
  status[0].description = "from status";
  status[1].skill = "44";
  status[1].description = "kept";
  status[2].skill = "8";
  status[2].description = "unlisted";
  const std::vector<ListedSkill> listed{{3, 5, "售前语音"}, {44, std::nullopt, ""}};
  const Snapshot snap = BuildSkillStatusSnapshot(status, listed);
  EXPECT_EQ(test::Value(snap, "callcenter_queue_info", {{"queue", "3"}, {"name", "售前语音"}, {"media", "voice"}}),
            1.0);
  EXPECT_EQ(test::Value(snap, "callcenter_queue_info", {{"queue", "44"}, {"name", "kept"}, {"media", ""}}), 1.0);
  EXPECT_EQ(test::Value(snap, "callcenter_queue_info", {{"queue", "8"}, {"name", "unlisted"}, {"media", ""}}), 1.0);
  EXPECT_EQ(test::Count(snap, "callcenter_queue_info"), 3u);
}

}  // namespace
}  // namespace cc::huawei_cec
