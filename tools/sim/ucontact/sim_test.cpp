// Unit tests of the uContact simulator: rendering against seed 004's field
// lists, form decoding, sessions, the routes and the model.

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "config/url.h"
#include "tools/sim/sim_test_support.h"
#include "tools/sim/ucontact/api.h"
#include "tools/sim/ucontact/auth.h"
#include "tools/sim/ucontact/model.h"

namespace cc::sim::ucontact {
namespace {

using namespace cc::sim::test;

using std::chrono::milliseconds;
using std::chrono::seconds;

UcontactCampaignView SampleCampaign() {
  UcontactCampaignView c;
  c.name = "Ventas->Soporte";
  c.strategy = "fewestcalls";
  c.threshold = 15;
  c.wrapup = 5;
  c.callers = 2;
  c.longest_hold = 31;
  c.hold_avg = 12;
  c.talk_avg = 95;
  c.offered = 47;
  c.completed = 40;
  c.abandoned = 5;
  c.completed_in_sl = 37;
  c.abandoned_in_sl = 2;
  c.talk_total = 3725;
  c.talk_calls = 39;
  c.hold_total = 400;
  c.agents = {
      {"SIP/1010", "Daniel", 0, kUcUnavailable, false, false, "[]", 3, 1541158302, 612},
      {"SIP/1001", "Santiago", 1, kUcNotInUse, false, false, "", 7, 0, 5},
      {"SIP/1002", "Lucía", 2, kUcNotInUse, true, false, "Break", 1, 1541158000, 60},
      {"SIP/1003", "Martín", 0, kUcInUse, true, true, "Break", 9, 1541158100, 20},
      {"SIP/1004", "Sofía", 0, kUcOnHold, false, true, "[]", 2, 1541158200, 3},
      {"SIP/1005", "Mateo", 0, kUcWrapUp, false, false, "[]", 4, 1541158250, 1},
  };
  return c;
}

TEST(UcontactSimApiTest, RendersTheSeedsFieldsInTheSeedsOrder) {
  const std::vector<UcontactCampaignView> campaigns{SampleCampaign()};
  auto seed_summary = JsonAt(ReadSeed("004_b21717d26e245d47.txt"), R"([ { "queue": "Power<-")");
  auto summary = Parse(RenderQueueSummary(campaigns, 1541158302, "1982468278_6312"));
  ASSERT_TRUE(summary.IsArray());
  ASSERT_EQ(summary.Size(), 2u);
  EXPECT_EQ(Keys(summary[0]), Keys(seed_summary[0]));
  EXPECT_EQ(Keys(summary[1]), Keys(seed_summary[seed_summary.Size() - 1]));  // the completion element
  EXPECT_STREQ(summary[1]["dateReceived"].GetString(), "Nov 2, 2018 11:31:42 AM");

  auto seed_status =
      JsonAt(ReadSeed("004_b21717d26e245d47.txt"), R"({ "test->": { "campaign": "test->", "availables": 1)");
  auto status = Parse(RenderCampaignStatus(campaigns, "Ventas->Soporte", 1541158302, "1982468278_8979"));
  ASSERT_TRUE(status.IsObject());
  EXPECT_EQ(Keys(status["Ventas->Soporte"]), Keys(seed_status["test->"]));
  EXPECT_EQ(Keys(status["SIP/1010"]), Keys(seed_status["SIP/1010"]));
  // Same JSON types as the seed, field by field (Gson: some numbers are strings).
  for (const auto& [ours, theirs] : {std::pair{"Ventas->Soporte", "test->"}, std::pair{"SIP/1010", "SIP/1010"}}) {
    for (const auto& m : seed_status[theirs].GetObject()) {
      const auto& mine = status[ours][m.name.GetString()];
      EXPECT_EQ(mine.GetType() == rapidjson::kTrueType ? rapidjson::kFalseType : mine.GetType(),
                m.value.GetType() == rapidjson::kTrueType ? rapidjson::kFalseType : m.value.GetType())
          << m.name.GetString();
    }
  }
  const auto& c = status["Ventas->Soporte"];
  EXPECT_STREQ(c["talked"].GetString(), "01:02:05-39");
  EXPECT_STREQ(c["hold"].GetString(), "00:06:40-40");
  EXPECT_STREQ(c["servicelevel"].GetString(), "92.5");
  EXPECT_STREQ(c["servicelevel2"].GetString(), "86.7");  // (37 + 2) / 45
  EXPECT_STREQ(c["abandonedlevel"].GetString(), "11");   // 5 / 45
  EXPECT_STREQ(c["slevelthreshold"].GetString(), "15");
  EXPECT_EQ(c["acd"].GetInt(), 95);  // 3725 / 39
  EXPECT_EQ(c["totalcalls"].GetInt(), 47);
  // Daniel unavailable, Santiago available, Lucía paused, Martín busy+paused, Sofía busy, Mateo wrap-up.
  EXPECT_EQ(c["availables"].GetInt(), 1);
  EXPECT_EQ(c["notavailables"].GetInt(), 1);
  EXPECT_EQ(c["paused"].GetInt(), 1);
  EXPECT_EQ(c["busy"].GetInt(), 1);
  EXPECT_EQ(c["busypaused"].GetInt(), 1);
  EXPECT_EQ(c["onwrapup"].GetInt(), 1);
  EXPECT_EQ(c["totalagents"].GetInt(), 6);
  EXPECT_EQ(c["logged"].GetInt(), 5);
  EXPECT_STREQ(status["SIP/1010"]["server"].GetString(), "00:10:12");
  EXPECT_STREQ(status["SIP/1002"]["name"].GetString(), "Lucía");
  EXPECT_TRUE(status["SIP/1003"]["paused"].GetBool());
  EXPECT_EQ(status["SIP/1004"]["incall"].GetInt(), 1);
  EXPECT_EQ(summary[0]["loggedIn"].GetInt(), 5);
  EXPECT_EQ(summary[0]["available"].GetInt(), 1);
  EXPECT_EQ(summary[0]["longestHoldTime"].GetInt(), 31);

  // All campaigns: statistics only, no agents; an unknown name: an empty map.
  auto all = Parse(RenderCampaignStatus(campaigns, "", 1541158302, "1"));
  EXPECT_EQ(Keys(all), std::vector<std::string>{"Ventas->Soporte"});
  EXPECT_EQ(RenderCampaignStatus(campaigns, "Ventas->", 1541158302, "1"), "{}");
}

TEST(UcontactSimApiTest, Formats) {
  EXPECT_EQ(FormatDurationCount(0, 0), "00:00:00-0");
  EXPECT_EQ(FormatDurationCount(360000 + 61, 2), "100:01:01-2");
  EXPECT_EQ(FormatPercent(0, 0), "0.0");
  EXPECT_EQ(FormatPercent(2, 3), "66.7");
  EXPECT_DOUBLE_EQ(PercentRatio(2, 3), 0.667);
  EXPECT_EQ(GsonDate(1541199909), "Nov 2, 2018 11:05:09 PM");
  EXPECT_EQ(GsonDate(1541116800), "Nov 2, 2018 12:00:00 AM");
  // The example token of the vendor notes is base64 of "user:session-UUID".
  EXPECT_EQ(Base64("Admin:9835c525-3567-4b82-a0af-ccd23e08c707"),
            "QWRtaW46OTgzNWM1MjUtMzU2Ny00YjgyLWEwYWYtY2NkMjNlMDhjNzA3");
  EXPECT_EQ(Base64("ab"), "YWI=");
  EXPECT_EQ(Base64("a"), "YQ==");
}

TEST(UcontactSimApiTest, FormValues) {
  auto v = FindFormValue("user=sim&queue=Ventas-%3ESoporte", "queue");
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->valid);
  EXPECT_EQ(v->value, "Ventas->Soporte");
  v = FindFormValue("queue=Cobros+%26+Pagos-%3E", "queue");
  ASSERT_TRUE(v && v->valid);
  EXPECT_EQ(v->value, "Cobros & Pagos->");
  v = FindFormValue("queue=", "queue");
  ASSERT_TRUE(v && v->valid);
  EXPECT_EQ(v->value, "");
  EXPECT_FALSE(FindFormValue("user=sim", "queue"));
  for (const char* bad : {"queue=Ventas->Soporte", "queue=in<-out", "queue=a%3", "queue=a%G1", "queue=a b"}) {
    v = FindFormValue(bad, "queue");
    ASSERT_TRUE(v) << bad;
    EXPECT_FALSE(v->valid) << bad;
  }
}

TEST(UcontactSimSessionsTest, LoginExpiryAndEnd) {
  UcontactAuthOptions o;
  o.lifetime = seconds(10);
  UcontactSessions s(o);
  EXPECT_FALSE(s.Login("sim", "wrong"));
  EXPECT_FALSE(s.Login("other", "sim-password"));
  auto token = s.Login("sim", "sim-password");
  ASSERT_TRUE(token);
  EXPECT_TRUE(token->starts_with(Base64("sim:").substr(0, 4)));
  EXPECT_TRUE(s.Authorize("Basic " + *token));
  EXPECT_TRUE(s.Authorize("basic " + *token));
  EXPECT_FALSE(s.Authorize("Bearer " + *token));
  EXPECT_FALSE(s.Authorize(*token));
  EXPECT_FALSE(s.Authorize(""));
  auto c = s.Counters();
  EXPECT_EQ(c.logins, 1u);
  EXPECT_EQ(c.login_failures, 2u);
  EXPECT_EQ(c.unauthorized, 3u);
  EXPECT_EQ(c.live_sessions, 1u);

  // Use does not extend the lifetime: it ends 10 s after login.
  s.Advance(seconds(9));
  EXPECT_TRUE(s.Authorize("Basic " + *token));
  s.Advance(seconds(1));
  EXPECT_FALSE(s.Authorize("Basic " + *token));
  EXPECT_EQ(s.Counters().live_sessions, 0u);

  auto second = s.Login("sim", "sim-password");
  ASSERT_TRUE(second);
  EXPECT_NE(*second, *token);
  s.ExpireAll();
  EXPECT_FALSE(s.Authorize("Basic " + *second));

  auto third = s.Login("sim", "sim-password");
  EXPECT_FALSE(s.End("Basic " + *third, "sim", *second));  // another session's token
  EXPECT_FALSE(s.End("Basic " + *third, "nobody", *third));
  EXPECT_TRUE(s.End("Basic " + *third, "sim", *third));
  EXPECT_FALSE(s.Authorize("Basic " + *third));
  c = s.Counters();
  EXPECT_EQ(c.end_sessions, 1u);
  EXPECT_EQ(c.logins, 3u);
  EXPECT_EQ(c.live_sessions, 0u);
}

TEST(UcontactSimSessionsTest, IdleTimeout) {
  UcontactAuthOptions o;
  o.idle_timeout = seconds(5);
  UcontactSessions s(o);
  auto token = s.Login("sim", "sim-password");
  ASSERT_TRUE(token);
  for (int i = 0; i < 4; ++i) {
    s.Advance(seconds(4));
    EXPECT_TRUE(s.Authorize("Basic " + *token)) << i;
  }
  s.Advance(seconds(5));
  EXPECT_FALSE(s.Authorize("Basic " + *token));
}

http::Request Post(const std::string& resource, const std::string& body, const std::string& token = "") {
  http::Request r;
  r.method = "POST";
  r.path = std::string(kUcontactBase) + resource;
  r.target = r.path;
  r.body = body;
  if (!token.empty()) r.headers.emplace_back("authorization", "Basic " + token);
  return r;
}

TEST(UcontactSimApiTest, Routes) {
  UcontactModel model(UcontactOptions{3, 2, 5});
  model.Advance(seconds(300));
  UcontactSessions sessions(UcontactAuthOptions{});

  auto refused = HandleUcontactApi(Post("auth/getUserToken", "user=sim&password=nope"), model, sessions, "1");
  EXPECT_EQ(refused.status, 200u);
  EXPECT_EQ(refused.body, "[0]");
  auto login = HandleUcontactApi(Post("auth/getUserToken", "user=sim&password=sim-password"), model, sessions, "1");
  ASSERT_EQ(login.status, 200u);
  auto arr = Parse(login.body);
  ASSERT_TRUE(arr.IsArray());
  const std::string token = arr[arr.Size() - 1].GetString();

  EXPECT_EQ(HandleUcontactApi(Post("Supervisor/queuesummary", ""), model, sessions, "1").status, 401u);
  EXPECT_EQ(HandleUcontactApi(Post("Supervisor/queuesummary", "", "bm9wZQ"), model, sessions, "1").status, 401u);
  auto get = Post("Supervisor/queuesummary", "", token);
  get.method = "GET";
  EXPECT_EQ(HandleUcontactApi(get, model, sessions, "1").status, 405u);
  EXPECT_EQ(HandleUcontactApi(Post("Supervisor/nothing", "", token), model, sessions, "1").status, 404u);

  auto qs = HandleUcontactApi(Post("Supervisor/queuesummary", "", token), model, sessions, "7_1");
  ASSERT_EQ(qs.status, 200u);
  auto summary = Parse(qs.body);
  ASSERT_EQ(summary.Size(), 4u);
  EXPECT_STREQ(summary[1]["queue"].GetString(), "Ventas->Soporte");
  EXPECT_FALSE(summary[3].HasMember("queue"));
  EXPECT_STREQ(summary[3]["internalActionId"].GetString(), "7_1");

  auto one = HandleUcontactApi(Post("Supervisor/campaignstatus", "queue=in%3C-out", token), model, sessions, "1");
  ASSERT_EQ(one.status, 200u);
  auto status = Parse(one.body);
  EXPECT_EQ(Keys(status), (std::vector<std::string>{"in<-out", "SIP/1005", "SIP/1006"}));
  EXPECT_STREQ(status["SIP/1005"]["queue"].GetString(), "in<-out");
  auto all = Parse(HandleUcontactApi(Post("Supervisor/campaignstatus", "queue=", token), model, sessions, "1").body);
  EXPECT_EQ(Keys(all), (std::vector<std::string>{"Soporte<-", "Ventas->Soporte", "in<-out"}));
  EXPECT_EQ(HandleUcontactApi(Post("Supervisor/campaignstatus", "queue=in<-out", token), model, sessions, "1").status,
            404u);
  auto unknown = HandleUcontactApi(Post("Supervisor/campaignstatus", "queue=nope-%3E", token), model, sessions, "1");
  EXPECT_EQ(unknown.status, 200u);
  EXPECT_EQ(unknown.body, "{}");

  // Base64 has "+", "/" and "=": the token must be form-encoded like any value.
  const std::string end_form = FormEncode({{"user", "sim"}, {"token", token}});
  EXPECT_EQ(HandleUcontactApi(Post("auth/EndSession", end_form), model, sessions, "1").status, 401u);
  EXPECT_EQ(
      HandleUcontactApi(Post("auth/EndSession", "user=sim&token=" + token.substr(1), token), model, sessions, "1").body,
      "0");
  auto end = HandleUcontactApi(Post("auth/EndSession", end_form, token), model, sessions, "1");
  EXPECT_EQ(end.status, 200u);
  EXPECT_EQ(end.body, "1");
  EXPECT_EQ(HandleUcontactApi(Post("Supervisor/queuesummary", "", token), model, sessions, "1").status, 401u);
  const auto c = sessions.Counters();
  EXPECT_EQ(c.logins, 1u);
  EXPECT_EQ(c.login_failures, 1u);
  EXPECT_EQ(c.end_sessions, 1u);
  EXPECT_EQ(c.unauthorized, 4u);
}

TEST(UcontactSimModelTest, SameSeedSameHistory) {
  auto run = [](std::uint64_t seed) {
    UcontactModel m(UcontactOptions{3, 4, seed});
    for (int i = 0; i < 2400; ++i) m.Advance(milliseconds(250));
    return RenderUcontactState(m.Campaigns(), {});
  };
  EXPECT_EQ(run(3), run(3));
  EXPECT_NE(run(3), run(4));
}

TEST(UcontactSimModelTest, CountersGrowAndAgentsMoveThroughEveryStatus) {
  UcontactModel m(UcontactOptions{3, 5, 11});
  std::vector<UcontactCampaignView> prev = m.Campaigns();
  std::set<int> statuses;
  bool paused_idle = false, busy_paused = false;
  for (int i = 0; i < 4 * 3600; ++i) {  // an hour in 250 ms ticks
    m.Advance(milliseconds(250));
    if (i % 20 != 0) continue;
    auto now = m.Campaigns();
    for (std::size_t k = 0; k < now.size(); ++k) {
      const auto& c = now[k];
      EXPECT_GE(c.completed, prev[k].completed);
      EXPECT_GE(c.abandoned, prev[k].abandoned);
      EXPECT_GE(c.offered, prev[k].offered);
      EXPECT_GE(c.offered, c.completed + c.abandoned);
      EXPECT_LE(c.completed_in_sl, c.completed);
      const UcontactCounts n = CountAgents(c);
      EXPECT_EQ(n.availables + n.notavailables + n.paused + n.busy + n.busypaused + n.onwrapup, n.totalagents);
      for (const auto& a : c.agents) {
        statuses.insert(a.status);
        if (a.status == kUcNotInUse && a.paused) paused_idle = true;
        if (a.paused && a.incall) busy_paused = true;
        EXPECT_EQ(a.incall, a.status == kUcInUse || a.status == kUcOnHold) << a.location;
        if (a.calls_taken > 0 && a.status == kUcNotInUse) {
          EXPECT_GE(a.last_call, kUcEpochStart);
        }
      }
    }
    prev = std::move(now);
  }
  EXPECT_EQ(statuses, (std::set<int>{kUcNotInUse, kUcInUse, kUcUnavailable, kUcRinging, kUcOnHold, kUcWrapUp}));
  EXPECT_TRUE(paused_idle);
  EXPECT_TRUE(busy_paused);
  for (const auto& c : prev) EXPECT_GT(c.completed, 10u) << c.name;
}

TEST(UcontactSimModelTest, PauseRemoveAndSetAgent) {
  UcontactModel m(UcontactOptions{2, 3, 2});
  m.Advance(seconds(60));
  m.SetPaused(true);
  const std::string before = RenderUcontactState(m.Campaigns(), {});
  m.Advance(seconds(60));
  EXPECT_EQ(RenderUcontactState(m.Campaigns(), {}), before);
  m.SetPaused(false);

  EXPECT_TRUE(m.RemoveAgent("SIP/1002"));
  EXPECT_FALSE(m.RemoveAgent("SIP/1002"));
  for (const auto& c : m.Campaigns()) {
    for (const auto& a : c.agents) EXPECT_NE(a.location, "SIP/1002");
  }
  EXPECT_EQ(m.Campaigns()[0].agents.size(), 2u);

  ASSERT_TRUE(m.SetAgent("SIP/1004", kUcNotInUse, true, seconds(30)));
  EXPECT_FALSE(m.SetAgent("SIP/9999", kUcNotInUse, true, seconds(30)));
  m.Advance(seconds(20));
  auto a = m.Campaigns()[1].agents[0];
  EXPECT_EQ(a.location, "SIP/1004");
  EXPECT_EQ(a.status, kUcNotInUse);
  EXPECT_TRUE(a.paused);
  m.Advance(seconds(11));  // the forced state is over: back to idle, unpaused
  EXPECT_FALSE(m.Campaigns()[1].agents[0].paused);
}

TEST(UcontactSimApiTest, StateAgreesWithTheApi) {
  UcontactModel model(UcontactOptions{3, 4, 9});
  model.Advance(seconds(900));
  const auto campaigns = model.Campaigns();
  auto state = Parse(RenderUcontactState(campaigns, {}));
  auto summary = Parse(RenderQueueSummary(campaigns, model.EpochNow(), "1"));
  ASSERT_EQ(state["campaigns"].Size(), 3u);
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    const auto& s = state["campaigns"][i];
    const std::string name = s["name"].GetString();
    SCOPED_TRACE(name);
    auto status = Parse(RenderCampaignStatus(campaigns, name, model.EpochNow(), "1"));
    const auto& c = status[name.c_str()];
    EXPECT_EQ(summary[i]["callers"].GetInt(), s["callers"].GetInt());
    EXPECT_EQ(summary[i]["holdTime"].GetInt(), s["hold_avg_seconds"].GetInt());
    EXPECT_EQ(summary[i]["talkTime"].GetInt(), s["talk_avg_seconds"].GetInt());
    EXPECT_EQ(summary[i]["longestHoldTime"].GetInt(), s["longest_hold_seconds"].GetInt());
    EXPECT_EQ(summary[i]["loggedIn"].GetInt(), s["counts"]["logged"].GetInt());
    EXPECT_EQ(c["completed"].GetUint64(), s["completed"].GetUint64());
    EXPECT_EQ(c["totalcalls"].GetUint64(), s["offered"].GetUint64());
    EXPECT_DOUBLE_EQ(std::stod(c["servicelevel"].GetString()) / 100, s["service_level_ratio"].GetDouble());
    EXPECT_EQ(std::stoi(c["abandonedlevel"].GetString()), s["abandonedlevel"].GetInt());
    EXPECT_EQ(c["strategy"].GetString(), std::string(s["strategy"].GetString()));
    for (const auto& a : s["agents"].GetArray()) {
      const auto& e = status[a["location"].GetString()];
      ASSERT_TRUE(e.IsObject());
      EXPECT_EQ(e["status"].GetInt(), a["status"].GetInt());
      EXPECT_EQ(e["paused"].GetBool(), a["paused"].GetBool());
      EXPECT_EQ(e["callsTaken"].GetUint64(), a["calls_taken"].GetUint64());
      EXPECT_EQ(e["lastCall"].GetInt64(), a["last_call"].GetInt64());
    }
  }
}

}  // namespace
}  // namespace cc::sim::ucontact
