// Unit tests of the Huawei CEC simulator: the platform-side auth-v2
// verifier (against the notes' vectors §2.3), the IP lock-out, the model and
// the rendering (against the seeds' own examples).

#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tools/sim/huawei_cec/api.h"
#include "tools/sim/huawei_cec/auth.h"
#include "tools/sim/huawei_cec/model.h"
#include "tools/sim/sim_test_support.h"
#include "tools/sim/vendor_sim.h"

namespace cc::sim::huawei_cec {
namespace {

using namespace cc::sim::test;

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::string_view kPathA = "/rest/cmsapp/v1/openapi/skill/currentcallstateinfo";
constexpr std::string_view kBodyA = R"({"ccId":1,"vdn":170,"skillIds":[1,2]})";
constexpr std::string_view kAuthA =
    "auth-v2/globalaktest/2018-07-02T02:42:49Z/host/f87014e45b001cd7ef0aac5f4f8aad74decd4beedb630cf49e22854a5dd1f490";
constexpr std::int64_t kOrigin = 1700000100000;  // a multiple of 5 minutes

SignedParts VectorA() {
  return SignedParts{
      .method = "POST", .path = kPathA, .query = {}, .headers = {{"host", "10.22.26.181:28080"}}, .body = kBodyA};
}

http::Request RequestA() {
  http::Request r;
  r.method = "POST";
  r.path = std::string(kPathA);
  r.target = r.path;
  r.headers = {{"host", "10.22.26.181:28080"},
               {"content-type", "application/json;charset=UTF-8"},
               {"authorization", std::string(kAuthA)}};
  r.body = std::string(kBodyA);
  r.remote = "127.0.0.1:40000";
  return r;
}

std::chrono::system_clock::time_point VectorTime() { return *ParseTimestamp("2018-07-02T02:42:49Z"); }

std::string Timestamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

TEST(HuaweiCecAuthTest, VectorAPostWithBody) {
  EXPECT_EQ(CanonicalRequestOf(VectorA()),
            "POST\n/rest/cmsapp/v1/openapi/skill/currentcallstateinfo\nhost\nhost:10.22.26.181%3A28080\n"
            "%7B%22ccId%22%3A1%2C%22vdn%22%3A170%2C%22skillIds%22%3A%5B1%2C2%5D%7D");
  EXPECT_EQ(ExpectedAuthorization("globalaktest", "testsecretkey", "2018-07-02T02:42:49Z", VectorA()), kAuthA);
}

TEST(HuaweiCecAuthTest, VectorBGetWithQueryAndTwoHeaders) {
  const SignedParts b{.method = "GET",
                      .path = "/rest/cmsapp/v1/openapi/skillgroups/1/170",
                      .query = {{"b", "x y"}, {"a", "1"}},
                      .headers = {{"host", "10.22.26.181:28080"}, {"content-type", "application/json; charset=UTF-8"}},
                      .body = ""};
  EXPECT_EQ(CanonicalRequestOf(b),
            "GET\n/rest/cmsapp/v1/openapi/skillgroups/1/170\na=1&b=x%20y\ncontent-type;host\n"
            "content-type:application%2Fjson%3B%20charset%3DUTF-8\nhost:10.22.26.181%3A28080\n");
  EXPECT_EQ(ExpectedAuthorization("globalaktest", "testsecretkey", "2018-07-02T02:42:49Z", b),
            "auth-v2/globalaktest/2018-07-02T02:42:49Z/content-type;host/"
            "98412904dfc33c0f432bd5021010fd9cbfdbbb724d180f9eab07590b6960d7db");
}

TEST(HuaweiCecAuthTest, PercentEncodesEveryByteButUnreserved) {
  EXPECT_EQ(PercentEncode("Az09-._~ /:é"), "Az09-._~%20%2F%3A%C3%A9");
}

TEST(HuaweiCecAuthTest, VerifiesARequestAsReceived) {
  const auto t = VectorTime();
  EXPECT_EQ(VerifyAuthV2(RequestA(), "globalaktest", "testsecretkey", t, seconds(900)), AuthVerdict::ok);
  EXPECT_EQ(VerifyAuthV2(RequestA(), "globalaktest", "testsecretkey", t + seconds(899), seconds(900)), AuthVerdict::ok);
  EXPECT_EQ(VerifyAuthV2(RequestA(), "globalaktest", "wrongsecret", t, seconds(900)), AuthVerdict::bad_signature);
  EXPECT_EQ(VerifyAuthV2(RequestA(), "otherak", "testsecretkey", t, seconds(900)), AuthVerdict::unknown_key);
  EXPECT_EQ(VerifyAuthV2(RequestA(), "globalaktest", "testsecretkey", t + seconds(901), seconds(900)),
            AuthVerdict::bad_timestamp);
  EXPECT_EQ(VerifyAuthV2(RequestA(), "globalaktest", "testsecretkey", t - seconds(901), seconds(900)),
            AuthVerdict::bad_timestamp);
  EXPECT_EQ(VerifyAuthV2(RequestA(), "globalaktest", "testsecretkey", t + seconds(86400 * 365), seconds(0)),
            AuthVerdict::ok);

  auto other_host = RequestA();
  other_host.headers[0].second = "10.22.26.181";  // port dropped: not what was signed
  EXPECT_EQ(VerifyAuthV2(other_host, "globalaktest", "testsecretkey", t, seconds(900)), AuthVerdict::bad_signature);
  auto other_body = RequestA();
  other_body.body = R"({"ccId":1,"vdn":170,"skillIds":[1,2,3]})";
  EXPECT_EQ(VerifyAuthV2(other_body, "globalaktest", "testsecretkey", t, seconds(900)), AuthVerdict::bad_signature);
  auto other_path = RequestA();
  other_path.path = "/rest/cmsapp/v1/openapi/skill/totalskillstatusex3";
  EXPECT_EQ(VerifyAuthV2(other_path, "globalaktest", "testsecretkey", t, seconds(900)), AuthVerdict::bad_signature);
}

TEST(HuaweiCecAuthTest, RejectsMissingAndMalformedHeaders) {
  const auto t = VectorTime();
  auto with = [&](std::string auth) {
    auto r = RequestA();
    r.headers[2].second = std::move(auth);
    return VerifyAuthV2(r, "globalaktest", "testsecretkey", t, seconds(900));
  };
  auto none = RequestA();
  none.headers.pop_back();
  EXPECT_EQ(VerifyAuthV2(none, "globalaktest", "testsecretkey", t, seconds(900)), AuthVerdict::missing);
  const std::string sig = std::string(kAuthA.substr(kAuthA.rfind('/') + 1));
  EXPECT_EQ(with("Bearer abc"), AuthVerdict::malformed);
  EXPECT_EQ(with("auth-v2/globalaktest/2018-07-02T02:42:49Z/host"), AuthVerdict::malformed);
  EXPECT_EQ(with("auth-v2/globalaktest/2018-07-02T02:42:49Z/host/" + sig.substr(1)), AuthVerdict::malformed);
  EXPECT_EQ(with("auth-v3/globalaktest/2018-07-02T02:42:49Z/host/" + sig), AuthVerdict::malformed);
  EXPECT_EQ(with("auth-v2/globalaktest/2018-07-02 02:42:49/host/" + sig), AuthVerdict::bad_timestamp);
  EXPECT_EQ(with("auth-v2/globalaktest/2018-07-02T02:42:49Z/content-type/" + sig), AuthVerdict::host_not_signed);
  EXPECT_EQ(with("auth-v2/globalaktest/2018-07-02T02:42:49Z/host;x-missing/" + sig), AuthVerdict::header_missing);
}

TEST(HuaweiCecAuthTest, ParsesBothTimestampForms) {
  auto plain = ParseTimestamp("2021-08-31T09:38:50Z");
  auto millis = ParseTimestamp("2021-08-31T09:38:50.872Z");
  ASSERT_TRUE(plain && millis);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(plain->time_since_epoch()).count(), 1630402730000);
  EXPECT_EQ(*millis - *plain, milliseconds(872));
  EXPECT_FALSE(ParseTimestamp("2021-08-31T09:38:50"));
  EXPECT_FALSE(ParseTimestamp("2021-13-31T09:38:50Z"));
  EXPECT_FALSE(ParseTimestamp("2021-08-31T09:38:5xZ"));
}

TEST(HuaweiCecAuthTest, LocksAnIpAfterConsecutiveFailures) {
  IpLockout lock(3, seconds(10));
  const auto t0 = IpLockout::Clock::time_point{} + seconds(1000);
  EXPECT_FALSE(lock.Fail("10.0.0.1", t0));
  EXPECT_FALSE(lock.Fail("10.0.0.1", t0));
  lock.Succeed("10.0.0.1");  // a good request resets the count
  EXPECT_FALSE(lock.Fail("10.0.0.1", t0));
  EXPECT_FALSE(lock.Fail("10.0.0.1", t0));
  EXPECT_FALSE(lock.Locked("10.0.0.1", t0));
  EXPECT_TRUE(lock.Fail("10.0.0.1", t0));
  EXPECT_TRUE(lock.Locked("10.0.0.1", t0 + seconds(9)));
  EXPECT_FALSE(lock.Locked("10.0.0.2", t0 + seconds(9)));
  EXPECT_FALSE(lock.Locked("10.0.0.1", t0 + seconds(10)));
  EXPECT_FALSE(lock.Fail("10.0.0.1", t0 + seconds(10)));  // counting from zero again
  EXPECT_EQ(ClientIp("127.0.0.1:5000"), "127.0.0.1");
  EXPECT_EQ(ClientIp("[::1]:5000"), "::1");
}

HuaweiCecView Simulate(std::uint64_t seed, int minutes, int skills = 3, int agents = 6) {
  HuaweiCecModel m(HuaweiCecOptions{skills, agents, seed, kOrigin});
  for (int t = 0; t < minutes * 60 * 4; ++t) m.Advance(milliseconds(250));
  return m.View();
}

std::string Json(const HuaweiCecView& v) { return RenderHuaweiCecState(v, HuaweiVdn{}, HuaweiAuthCounters{}); }

TEST(HuaweiCecModelTest, SameSeedSameHistory) {
  EXPECT_EQ(Json(Simulate(5, 12)), Json(Simulate(5, 12)));
  EXPECT_NE(Json(Simulate(5, 12)), Json(Simulate(6, 12)));
}

TEST(HuaweiCecModelTest, CountsAndCodesAgreeWithTheAgents) {
  // status ↔ CTI pairs of the §3.1 table.
  const std::map<int, std::set<int>> cti_of{{2, {0}}, {4, {1}}, {7, {2, 3, 4, 5}}, {5, {6}},
                                            {3, {7}}, {8, {8}}, {0, {9}}};
  std::set<int> statuses;
  for (int minutes : {3, 17, 41}) {
    const auto v = Simulate(3, minutes);
    ASSERT_EQ(v.skills.size(), 3u);
    ASSERT_EQ(v.agents.size(), 18u);
    EXPECT_EQ(v.now_ms, kOrigin + minutes * 60000);
    int approved = 0, on = 0, requested = 0;
    for (const auto& a : v.agents) {
      statuses.insert(a.status);
      ASSERT_TRUE(cti_of.contains(a.status)) << a.workno;
      EXPECT_TRUE(cti_of.at(a.status).contains(a.cti_status)) << a.workno << " " << a.status << "/" << a.cti_status;
      EXPECT_EQ(a.login_ms.has_value(), a.status != 2) << a.workno;
      if (a.login_ms) {
        EXPECT_LE(*a.login_ms, v.now_ms);
      }
      EXPECT_GE(a.state_seconds, 0);
      EXPECT_EQ(a.status == 8, a.break_phase == HuaweiBreakPhase::on_break) << a.workno;
      EXPECT_EQ(a.blocked_reason.has_value(),
                a.break_phase == HuaweiBreakPhase::requested || a.break_phase == HuaweiBreakPhase::approved);
      approved += a.break_phase == HuaweiBreakPhase::approved;
      on += a.break_phase == HuaweiBreakPhase::on_break;
      requested += a.break_phase == HuaweiBreakPhase::requested;
    }
    EXPECT_EQ(v.breaks_approved, approved);
    EXPECT_EQ(v.breaks_on, on);
    EXPECT_EQ(v.breaks_requested, requested);
    for (const auto& s : v.skills) {
      int logged = 0, idle = 0;
      for (const auto& a : v.agents) {
        const bool member = std::find(a.skills.begin(), a.skills.end(), s.id) != a.skills.end();
        EXPECT_EQ(member, std::find(s.agents.begin(), s.agents.end(), a.workno) != s.agents.end());
        logged += member && a.status != 2;
        idle += member && a.status == 4;
      }
      EXPECT_EQ(s.logged_on, logged);
      EXPECT_EQ(s.available, idle);
      EXPECT_LE(s.queue_size, s.max_queue_size);
      EXPECT_EQ(s.queue_size == 0, s.longest_call_id == kHuaweiNoCall);
      if (s.queue_size == 0) {
        EXPECT_EQ(s.queue_time_seconds, 0);
      }
      // The current window began at the last 5-minute boundary.
      EXPECT_EQ(s.window.start_ms, v.now_ms / kHuaweiWindowMs * kHuaweiWindowMs);
      EXPECT_LE(s.window.answered_within_20s, s.window.answered);
    }
  }
  EXPECT_GE(statuses.size(), 5u);
}

TEST(HuaweiCecModelTest, WindowRestartsAtEachFiveMinuteBoundary) {
  HuaweiCecModel m(HuaweiCecOptions{2, 8, 11, kOrigin});
  std::int64_t offered_before = 0, start_before = 0;
  bool restarted = false;
  std::int64_t most = 0;
  for (int t = 0; t < 40 * 60 * 4; ++t) {
    m.Advance(milliseconds(250));
    const auto v = m.View();
    const auto& w = v.skills[0].window;
    most = std::max(most, w.offered);
    if (w.start_ms != start_before && t > 0) {
      EXPECT_EQ(w.start_ms - start_before, kHuaweiWindowMs);
      EXPECT_LE(w.offered, 1);  // counting from zero again
      restarted = restarted || offered_before > 0;
    } else if (t > 0) {
      EXPECT_GE(w.offered, offered_before);  // grows within a window
    }
    offered_before = w.offered;
    start_before = w.start_ms;
  }
  EXPECT_TRUE(restarted);
  EXPECT_GT(most, 3);
}

TEST(HuaweiCecModelTest, BreaksPassThroughEveryPhaseAndReason) {
  HuaweiCecModel m(HuaweiCecOptions{3, 6, 2, kOrigin});
  std::set<HuaweiBreakPhase> phases;
  std::set<int> reasons;
  for (int t = 0; t < 120 * 60 * 4; ++t) {
    m.Advance(milliseconds(250));
    if (t % 20 != 0) continue;
    for (const auto& a : m.View().agents) {
      phases.insert(a.break_phase);
      if (a.blocked_reason) reasons.insert(*a.blocked_reason);
    }
  }
  EXPECT_EQ(phases.size(), 4u);
  EXPECT_TRUE(reasons.contains(0));                         // awaiting approval
  EXPECT_TRUE(reasons.contains(1));                         // approved, agent still busy
  EXPECT_TRUE(reasons.contains(2) || reasons.contains(4));  // a rest quota full
}

TEST(HuaweiCecModelTest, PauseFreezesAndRemovedAgentsVanish) {
  HuaweiCecModel m(HuaweiCecOptions{2, 3, 1, kOrigin});
  m.Advance(milliseconds(60000));
  m.SetPaused(true);
  const std::string before = Json(m.View());
  m.Advance(milliseconds(60000));
  EXPECT_EQ(Json(m.View()), before);
  EXPECT_TRUE(m.RemoveAgent(1001));  // in skills 1 and 2
  EXPECT_FALSE(m.RemoveAgent(1001));
  const auto v = m.View();
  EXPECT_EQ(v.agents.size(), 5u);
  for (const auto& s : v.skills) EXPECT_EQ(std::count(s.agents.begin(), s.agents.end(), 1001), 0);
  EXPECT_EQ(RenderHuaweiSkillAgents(v, 2, 1, HuaweiGeneration::current).find("1001"), std::string::npos);
}

TEST(HuaweiCecApiTest, LegacyAgentRowsHaveTheSeedsFieldsAndEnvelope) {
  const auto seed = JsonAt(ReadSeed("001_6d149480b931e652.txt"), "响应消息");
  ASSERT_TRUE(seed.IsObject() && seed["resultDatas"].IsArray());
  const auto v = Simulate(1, 5);
  auto legacy = Parse(RenderHuaweiSkillAgents(v, 1, 1, HuaweiGeneration::legacy));
  EXPECT_EQ(Keys(legacy), Keys(seed));
  ASSERT_GT(legacy["resultDatas"].Size(), 0u);
  EXPECT_EQ(Keys(legacy["resultDatas"][0]), Keys(seed["resultDatas"][0]));

  auto current = Parse(RenderHuaweiSkillAgents(v, 1, 1, HuaweiGeneration::current));
  EXPECT_EQ(Keys(current), (std::vector<std::string>{"result", "resultCode", "resultDatas", "resultDesc"}));
  EXPECT_EQ(Keys(current["resultDesc"][0]),
            (std::vector<std::string>{"workNo", "name", "status", "ctiStatus", "groupId", "mediaType", "vdnId",
                                      "phoneNumber", "currentStateTime", "loginDate"}));
  EXPECT_TRUE(current["resultDesc"] == current["resultDatas"]);
  // Skill 1: agents 1001-1006; signed-out ones carry the sentinel.
  for (const auto& row : current["resultDesc"].GetArray()) {
    EXPECT_GE(row["workNo"].GetInt(), 1001);
    EXPECT_LE(row["workNo"].GetInt(), 1006);
    if (row["status"].GetInt() == 2) {
      EXPECT_EQ(row["loginDate"].GetInt64(), kHuaweiNoneMs);
    }
  }
}

TEST(HuaweiCecApiTest, CallStatsHaveSeed003sShape) {
  const auto seed = JsonAt(ReadSeed("003_f24357f75bc5c490.txt"), "响应参数:");
  ASSERT_TRUE(seed.IsObject() && seed["resultDesc"].IsArray());
  auto ours = Parse(RenderHuaweiCallStats(Simulate(1, 7), {1, 2}));
  EXPECT_EQ(Keys(ours), Keys(seed));
  ASSERT_EQ(ours["resultDesc"].Size(), 2u);
  EXPECT_EQ(Keys(ours["resultDesc"][1]), Keys(seed["resultDesc"][1]));
  EXPECT_EQ(ours["resultDesc"][1]["id"].GetInt(), 2);
  EXPECT_EQ(ours["resultDesc"][1]["startTime"].GetInt64(), kOrigin + 5 * 60000);
}

TEST(HuaweiCecApiTest, RestInfoInBothGenerations) {
  const auto v = Simulate(2, 30);
  ASSERT_GT(v.breaks_on + v.breaks_approved + v.breaks_requested, 0);
  auto legacy = Parse(RenderHuaweiRestInfo(v, HuaweiGeneration::legacy));
  EXPECT_EQ(Keys(legacy), (std::vector<std::string>{"result", "resultDatas"}));
  const auto& d = legacy["resultDatas"];
  EXPECT_EQ(Keys(d), (std::vector<std::string>{"allowrestnum", "onrestnum", "waitrestnum", "agentsrestdetails"}));
  EXPECT_EQ(d["onrestnum"].GetInt(), v.breaks_on);
  ASSERT_EQ(d["agentsrestdetails"].Size(), static_cast<unsigned>(v.breaks_on + v.breaks_approved + v.breaks_requested));
  EXPECT_EQ(Keys(d["agentsrestdetails"][0]),
            (std::vector<std::string>{"agentname", "workno", "cantrestreason", "begintime", "restduration"}));
  auto current = Parse(RenderHuaweiRestInfo(v, HuaweiGeneration::current));
  EXPECT_EQ(current["resultCode"].GetString(), std::string("0100000"));
  EXPECT_EQ(Keys(current["resultDesc"]),
            (std::vector<std::string>{"allowRestNum", "onRestNum", "waitRestNum", "agentsRestDetails"}));
}

http::Request Call(std::string path, std::string body, std::string method = "POST") {
  http::Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.target = r.path;
  r.body = std::move(body);
  return r;
}

std::string CodeOf(const http::Response& res) {
  auto d = Parse(res.body);
  if (d.HasMember("resultCode")) return d["resultCode"].GetString();
  return d.HasMember("result") ? d["result"].GetString() : "";
}

TEST(HuaweiCecApiTest, RequestsAreValidatedLikeThePlatform) {
  const auto v = Simulate(1, 1);
  const HuaweiVdn vdn{1, 7};
  const std::string base = "/rest/cmsapp/v1/openapi/";
  auto post = [&](const std::string& path, const std::string& body) {
    return HandleHuaweiCecApi(Call(base + path, body), v, vdn);
  };
  // Both body envelopes, numbers as strings, skillIds as the Postman string form.
  EXPECT_EQ(CodeOf(post("skill/agentbyconfigedskill", R"({"queryParam":{"ccId":1,"vdn":7,"skillId":2}})")), "0100000");
  EXPECT_EQ(CodeOf(post("skill/agentbyconfigedskill", R"({"ccId":"1","vdn":"7","skillId":"2"})")), "0100000");
  EXPECT_EQ(CodeOf(post("skill/totalskillstatusex3", R"({"ccId":1,"vdn":7,"skillIds":[1,3]})")), "0100000");
  EXPECT_EQ(CodeOf(post("skill/currentcallstateinfo", R"({"queryParam":{"ccId":1,"vdn":7,"skillIds":"[1]"}})")),
            "0100000");
  EXPECT_EQ(CodeOf(post("agentgroup/agentrestinfo", R"({"queryParam":{"ccId":1,"vdn":7}})")), "0");
  // Wrong VDN / ccId, unknown skills, bad JSON: the error envelope of the generation.
  auto wrong = post("skill/totalskillstatusex3", R"({"ccId":1,"vdn":8,"skillIds":[1]})");
  EXPECT_EQ(wrong.status, 200u);
  EXPECT_EQ(Parse(wrong.body)["resultDesc"].GetString(), std::string("Invalid parameter"));
  EXPECT_EQ(CodeOf(wrong), "0100002");
  EXPECT_EQ(CodeOf(post("agentgroup/agentbyconfigedskill", R"({"queryParam":{"ccId":2,"vdn":7,"skillId":1}})")),
            "0100002");
  EXPECT_EQ(Keys(Parse(post("agentgroup/agentrestinfo", R"({"queryParam":{"ccId":1}})").body)),
            (std::vector<std::string>{"result", "resultDesc"}));
  EXPECT_EQ(CodeOf(post("skill/agentbyconfigedskill", R"({"queryParam":{"ccId":1,"vdn":7,"skillId":4}})")), "0100002");
  EXPECT_EQ(CodeOf(post("skill/currentcallstateinfo", R"({"ccId":1,"vdn":7,"skillIds":[1,99]})")), "0100002");
  EXPECT_EQ(CodeOf(post("skill/currentcallstateinfo", R"({"ccId":1,"vdn":7,"skillIds":[]})")), "0100002");
  EXPECT_EQ(CodeOf(post("skill/currentcallstateinfo", "{\"ccId\":1,")), "0100002");
  EXPECT_EQ(HandleHuaweiCecApi(Call(base + "skill/nothing", "{}"), v, vdn).status, 404u);
  EXPECT_EQ(HandleHuaweiCecApi(Call(base + "skill/totalskillstatusex3", "", "GET"), v, vdn).status, 405u);
}

TEST(HuaweiCecApiTest, AtMostAThousandSkillIdsPerRequest) {
  HuaweiCecModel m(HuaweiCecOptions{1001, 0, 1, kOrigin});
  const auto v = m.View();
  auto body = [](int n) {
    std::string ids;
    for (int i = 1; i <= n; ++i) ids += (i > 1 ? "," : "") + std::to_string(i);
    return R"({"ccId":1,"vdn":1,"skillIds":[)" + ids + "]}";
  };
  const std::string path = "/rest/cmsapp/v1/openapi/skill/totalskillstatusex3";
  auto ok = Parse(HandleHuaweiCecApi(Call(path, body(1000)), v, HuaweiVdn{}).body);
  EXPECT_EQ(ok["resultDesc"].Size(), 1000u);
  EXPECT_EQ(CodeOf(HandleHuaweiCecApi(Call(path, body(1001)), v, HuaweiVdn{})), "0100002");
}

TEST(HuaweiCecApiTest, SkillListingInBothBodyFormsFollowsAddedAndRetiredQueues) {
  HuaweiCecModel m(HuaweiCecOptions{3, 2, 1, kOrigin});
  ASSERT_TRUE(m.AddSkill(4711, 53, "社交客服"));
  EXPECT_FALSE(m.AddSkill(4711, 5, "again"));
  EXPECT_FALSE(m.AddSkill(10001, 5, "too big"));
  ASSERT_TRUE(m.RemoveSkill(2));
  EXPECT_FALSE(m.RemoveSkill(2));
  EXPECT_FALSE(m.HasSkill(2));
  EXPECT_TRUE(m.HasSkill(4711));
  m.Advance(milliseconds(60000));
  const auto v = m.View();
  const std::string path = "/rest/cmsapp/v1/openapi/configures/skills";
  auto listing = Parse(HandleHuaweiCecApi(Call(path, R"({"ccId":1,"vdn":1})"), v, HuaweiVdn{}).body);
  ASSERT_EQ(CodeOf(HandleHuaweiCecApi(Call(path, R"({"queryParam":{"ccId":1,"vdn":1}})"), v, HuaweiVdn{})), "0100000");
  ASSERT_TRUE(listing["resultDesc"].IsArray());
  EXPECT_TRUE(listing["resultDesc"] == listing["resultDatas"]);
  std::vector<std::string> rows;
  for (const auto& q : listing["resultDesc"].GetArray()) {
    EXPECT_EQ(Keys(q), (std::vector<std::string>{"id", "mediaType", "submediaType", "name"}));
    rows.push_back(std::to_string(q["id"].GetInt()) + "/" + std::to_string(q["mediaType"].GetInt()) + "/" +
                   q["name"].GetString());
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"1/5/Hotline 1", "3/5/VIP 3", "4711/53/社交客服"}));
  // A retired queue is gone everywhere: its id is an invalid parameter; its agents stay in their other skills.
  EXPECT_EQ(CodeOf(HandleHuaweiCecApi(
                Call("/rest/cmsapp/v1/openapi/skill/totalskillstatusex3", R"({"ccId":1,"vdn":1,"skillIds":[1,2]})"), v,
                HuaweiVdn{})),
            "0100002");
  EXPECT_EQ(v.agents.size(), 6u);
  for (const auto& a : v.agents) EXPECT_EQ(std::count(a.skills.begin(), a.skills.end(), 2), 0) << a.workno;
  // One form only: the other is refused as the platform refuses a body it does not take.
  const HuaweiVdn flat_only{.listing_forms = HuaweiBodyForms::flat};
  EXPECT_EQ(CodeOf(HandleHuaweiCecApi(Call(path, R"({"queryParam":{"ccId":1,"vdn":1}})"), v, flat_only)), "0100002");
  EXPECT_EQ(CodeOf(HandleHuaweiCecApi(Call(path, R"({"ccId":1,"vdn":1})"), v, flat_only)), "0100000");
  const HuaweiVdn wrapped_only{.listing_forms = HuaweiBodyForms::query_param};
  EXPECT_EQ(CodeOf(HandleHuaweiCecApi(Call(path, R"({"ccId":1,"vdn":1})"), v, wrapped_only)), "0100002");
}

// The whole VendorSim: signature check, lock-out, counters, control routes.
class HuaweiCecSimTest : public ::testing::Test {
 protected:
  std::unique_ptr<VendorSim> sim_ = MakeSim(
      SimOptions{2, 3, 1, {{"access_key", "ak1"}, {"secret_key", "sk1"}, {"lock_after", "3"}, {"lock_s", "600"}}});

  http::Request Signed(const std::string& secret, std::string host = "127.0.0.1:9") {
    http::Request r =
        Call("/rest/cmsapp/v1/openapi/skill/totalskillstatusex3", R"({"ccId":1,"vdn":1,"skillIds":[1,2]})");
    r.headers = {{"host", host}};
    const SignedParts parts{.method = r.method, .path = r.path, .query = {}, .headers = r.headers, .body = r.body};
    r.headers.emplace_back("authorization",
                           ExpectedAuthorization("ak1", secret, Timestamp(std::chrono::system_clock::now()), parts));
    r.remote = "127.0.0.1:5555";
    return r;
  }
  const rapidjson::Value& Auth() {
    state_ = Parse(sim_->StateJson());
    return state_["auth"];
  }
  rapidjson::Document state_;
};

TEST_F(HuaweiCecSimTest, SignedRequestsPassBadOnesGet401ThenTheIpIsLocked) {
  ASSERT_TRUE(sim_->Owns(Signed("sk1")));
  auto good = sim_->Handle(Signed("sk1"));
  EXPECT_EQ(good.status, 200u);
  EXPECT_EQ(CodeOf(good), "0100000");
  auto bad = sim_->Handle(Signed("nope"));
  EXPECT_EQ(bad.status, 401u);
  EXPECT_EQ(Parse(bad.body)["error"].GetString(), std::string("Unauthorized"));
  EXPECT_EQ(bad.body.find("sk1"), std::string::npos);
  auto moved = Signed("sk1");
  moved.headers[0].second = "127.0.0.1:10";  // Host differs from the signed one
  EXPECT_EQ(sim_->Handle(moved).status, 401u);
  EXPECT_EQ(Auth()["unauthorized"].GetUint64(), 2u);
  EXPECT_EQ(Auth()["locks"].GetUint64(), 0u);
  EXPECT_EQ(sim_->Handle(Signed("nope")).status, 401u);  // the third in a row locks
  EXPECT_EQ(Auth()["locks"].GetUint64(), 1u);
  auto locked = sim_->Handle(Signed("sk1"));
  EXPECT_EQ(locked.status, 403u);
  EXPECT_EQ(Parse(locked.body)["status"].GetInt(), 403);
  EXPECT_EQ(Auth()["forbidden"].GetUint64(), 1u);
  EXPECT_EQ(Auth()["requests"].GetUint64(), 5u);
  EXPECT_EQ(Auth()["ok"].GetUint64(), 1u);
  EXPECT_EQ(Auth()["last_failure"].GetString(), std::string("bad_signature"));
  ASSERT_TRUE(sim_->Control("unlock", Call("/_sim/huawei_cec/unlock", "")));
  EXPECT_EQ(sim_->Handle(Signed("sk1")).status, 200u);
}

TEST_F(HuaweiCecSimTest, RemoveAgentAndSettings) {
  auto res = sim_->Control("remove_agent", [] {
    http::Request r = Call("/_sim/huawei_cec/remove_agent", "");
    r.query = "workno=1002";
    return r;
  }());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200u);
  auto after = Parse(sim_->StateJson());
  ASSERT_EQ(after["agents"].Size(), 5u);
  for (const auto& a : after["agents"].GetArray()) EXPECT_NE(a["workno"].GetInt(), 1002);
  EXPECT_FALSE(sim_->Control("nope", Call("/_sim/huawei_cec/nope", "")));
  EXPECT_THROW(MakeSim(SimOptions{1, 1, 1, {{"secret", "x"}}}), std::invalid_argument);
  EXPECT_THROW(MakeSim(SimOptions{1, 1, 1, {{"cc_id", "0"}}}), std::invalid_argument);
  EXPECT_THROW(MakeSim(SimOptions{1, 1, 1, {{"access_key", "a/b"}}}), std::invalid_argument);
  auto add = [&](const std::string& query) {
    http::Request r = Call("/_sim/huawei_cec/add_skill", "");
    r.query = query;
    return sim_->Control("add_skill", r)->status;
  };
  EXPECT_EQ(add("id=905&media=51&name=%E7%BD%91%E9%A1%B5"), 200u);
  EXPECT_EQ(add("id=905"), 409u);
  EXPECT_EQ(add("id=x"), 400u);
  http::Request remove = Call("/_sim/huawei_cec/remove_skill", "");
  remove.query = "id=1";
  EXPECT_EQ(sim_->Control("remove_skill", remove)->status, 200u);
  EXPECT_EQ(sim_->Control("remove_skill", remove)->status, 404u);
  std::vector<std::string> skills;
  const auto listed = Parse(sim_->StateJson());
  for (const auto& q : listed["skills"].GetArray()) {
    skills.push_back(std::to_string(q["id"].GetInt()) + "/" + std::to_string(q["media_type"].GetInt()) + "/" +
                     q["description"].GetString());
  }
  EXPECT_EQ(skills, (std::vector<std::string>{"2/51/售后服务 2", "905/51/网页"}));
  EXPECT_THROW(MakeSim(SimOptions{1, 1, 1, {{"listing_forms", "xml"}}}), std::invalid_argument);
  auto other = MakeSim(SimOptions{1, 1, 1, {{"cc_id", "9"}, {"vdn", "170"}}});
  auto state = Parse(other->StateJson());
  EXPECT_EQ(state["cc_id"].GetInt(), 9);
  EXPECT_EQ(state["vdn"].GetInt(), 170);
}

}  // namespace
}  // namespace cc::sim::huawei_cec
