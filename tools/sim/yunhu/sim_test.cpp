// Unit tests of the yunhu simulator: rendering against seed 002, the model,
// the token store and the PhalApi entry point.

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tools/sim/sim_test_support.h"
#include "tools/sim/vendor_sim.h"
#include "tools/sim/yunhu/api.h"
#include "tools/sim/yunhu/auth.h"
#include "tools/sim/yunhu/model.h"

namespace cc::sim::yunhu {
namespace {

using namespace cc::sim::test;

using std::chrono::milliseconds;
using std::chrono::seconds;

// The example answer of seed 002, without its line breaks (it has no other
// whitespace outside strings).
std::string SeedAnswer() {
  const std::string doc = ReadSeed("002_d3df3fbb87510ba1.txt");
  const auto start = doc.find("{\n\"ret\": 200");
  const auto end = doc.find("\"msg\": \"\"\n}", start);
  if (start == std::string::npos || end == std::string::npos) return {};
  std::string out;
  for (char c : doc.substr(start, end + 11 - start)) {
    if (c != '\n') out += c;
  }
  return out;
}

// `s` with the space after every ':' and ',' outside strings removed, the
// way the seed's pretty-printed example differs from json_encode().
std::string Minify(const std::string& s) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"' && (i == 0 || s[i - 1] != '\\')) in_string = !in_string;
    if (!in_string && s[i] == ' ' && i > 0 && (s[i - 1] == ':' || s[i - 1] == ',')) continue;
    out += s[i];
  }
  return out;
}

http::Request Form(const std::string& body, const std::string& path = "/api/yunhu") {
  http::Request r;
  r.method = "POST";
  r.target = r.path = path;
  r.body = body;
  return r;
}

// Default credentials; tokens never revoked at random.
YunhuAuthOptions Steady() {
  YunhuAuthOptions o;
  o.token_invalid_rate = 0;
  return o;
}

// A model with queues, agents, counters and one API, as the simulator wires them.
struct Api {
  explicit Api(YunhuAuthOptions o = Steady(), int warm_minutes = 10)
      : model(YunhuOptions{3, 4, 5}), auth(std::move(o)) {
    for (int i = 0; i < warm_minutes * 240; ++i) model.Advance(milliseconds(250));
  }
  rapidjson::Document Call(const std::string& body) {
    return Parse(HandleYunhuApi(Form(body), model, auth, calls).body);
  }
  std::string Login() {
    auto d = Call("service=App.Sip_Auth.Login&appid=sim-appid&accesskey=sim-accesskey");
    EXPECT_EQ(d["ret"].GetInt(), 200);
    return d["data"]["result"]["token"].GetString();
  }
  void Advance(milliseconds dt) {
    model.Advance(dt);
    auth.Advance(dt);
  }
  YunhuModel model;
  YunhuAuth auth;
  YunhuCalls calls;
};

TEST(YunhuApiTest, RendersTheSeedExampleByteForByte) {
  const std::string seed = SeedAnswer();
  ASSERT_FALSE(seed.empty());
  YunhuMemberView m;
  m.queuename = "queue-1";
  m.seatsname = "9026004_9026004_autocall-9026";
  m.extnumber = "100001";
  m.status = m.state = kYunhuWaiting;
  m.last_answer_s = 1580907816;  // 2020-02-05 21:03:36 +08:00
  m.last_assign_s = 1580907814;
  m.state_change_s = 1580907809;
  m.answered = 1;
  EXPECT_EQ(RenderQueueSipStatus({YunhuQueueView{"queue-1", {m}}}, 1581488746), Minify(seed));
}

TEST(YunhuApiTest, FormatsBeijingWallClockTime) {
  EXPECT_EQ(FormatLocalTime(kYunhuEpochSeconds, kYunhuUtcOffsetSeconds), "2020-02-05 21:00:00");
  EXPECT_EQ(FormatLocalTime(1580907816, kYunhuUtcOffsetSeconds), "2020-02-05 21:03:36");
  EXPECT_EQ(FormatLocalTime(1582991999, kYunhuUtcOffsetSeconds), "2020-02-29 23:59:59");  // a leap year
  EXPECT_EQ(FormatLocalTime(1583078399, kYunhuUtcOffsetSeconds), "2020-03-01 23:59:59");
  EXPECT_EQ(FormatLocalTime(0, 0), "1970-01-01 00:00:00");
}

TEST(YunhuModelTest, SameSeedSameHistoryAndCountersOnlyGrow) {
  YunhuModel a(YunhuOptions{3, 4, 11}), b(YunhuOptions{3, 4, 11}), c(YunhuOptions{3, 4, 12});
  std::map<std::string, std::uint64_t> answered, missed;
  std::set<int> states;
  for (int step = 0; step < 4 * 60 * 30; ++step) {
    for (YunhuModel* m : {&a, &b, &c}) m->Advance(milliseconds(250));
    if (step % 40 != 0) continue;
    for (const auto& q : a.Queues()) {
      for (const auto& r : q.members) {
        const std::string key = q.queuename + "/" + r.extnumber;
        EXPECT_GE(r.answered, answered[key]) << key;
        EXPECT_GE(r.missed, missed[key]) << key;
        answered[key] = r.answered;
        missed[key] = r.missed;
        states.insert(r.state);
        if (r.last_answer_s) {
          EXPECT_LE(*r.last_answer_s, a.NowUnixSeconds());
        }
        EXPECT_LE(r.state_change_s, a.NowUnixSeconds());
      }
    }
  }
  YunhuAuth auth{YunhuAuthOptions{}};
  YunhuCalls calls;
  EXPECT_EQ(RenderYunhuState(a.Queues(), 0, auth, calls), RenderYunhuState(b.Queues(), 0, auth, calls));
  EXPECT_NE(RenderYunhuState(a.Queues(), 0, auth, calls), RenderYunhuState(c.Queues(), 0, auth, calls));
  EXPECT_EQ(a.NowUnixSeconds(), kYunhuEpochSeconds + 30 * 60);
  // Half an hour visits waiting, ringing and talking at least.
  EXPECT_TRUE(states.contains(kYunhuWaiting));
  EXPECT_TRUE(states.contains(kYunhuReceiving));
  EXPECT_TRUE(states.contains(kYunhuTalking));
  std::uint64_t total = 0;
  for (const auto& [key, n] : answered) total += n;
  EXPECT_GT(total, 20u);
}

TEST(YunhuModelTest, SharedMembersLongOfflineAgentsAndBothNumberStyles) {
  YunhuModel m(YunhuOptions{3, 4, 5});
  for (int i = 0; i < 240 * 10; ++i) m.Advance(milliseconds(250));
  const auto queues = m.Queues();
  ASSERT_EQ(queues.size(), 3u);
  EXPECT_EQ(queues[0].queuename, "queue-1");
  EXPECT_EQ(queues[2].queuename, "queue-3");
  ASSERT_EQ(queues[1].members.size(), 5u);
  // The last extension of queue-1 also serves queue-2.
  EXPECT_EQ(queues[1].members.back().extnumber, "100004");
  EXPECT_EQ(queues[2].members.back().extnumber, "100008");
  EXPECT_EQ(queues[0].members[0].seatsname, "100001_100001_autocall-9026");
  std::set<bool> styles;
  bool offline_never_assigned = false;
  for (const auto& q : queues) {
    for (const auto& r : q.members) {
      styles.insert(r.numbers_as_strings);
      if (r.extnumber == "100007") {  // every seventh extension starts unregistered for hours
        EXPECT_EQ(r.state, 0);
        EXPECT_EQ(r.status, kYunhuNotRegistered);
        offline_never_assigned = !r.last_answer_s && !r.last_assign_s;
      }
    }
  }
  EXPECT_TRUE(offline_never_assigned);
  EXPECT_EQ(styles.size(), 2u);

  EXPECT_TRUE(m.RemoveAgent("100004"));
  EXPECT_FALSE(m.RemoveAgent("100004"));
  for (const auto& q : m.Queues()) {
    for (const auto& r : q.members) EXPECT_NE(r.extnumber, "100004");
  }
}

TEST(YunhuModelTest, NothingMovesWhilePaused) {
  YunhuModel m(YunhuOptions{2, 3, 1});
  m.Advance(seconds(60));
  m.SetPaused(true);
  YunhuAuth auth{YunhuAuthOptions{}};
  YunhuCalls calls;
  const std::string before = RenderYunhuState(m.Queues(), m.NowUnixSeconds(), auth, calls);
  for (int i = 0; i < 100; ++i) m.Advance(seconds(1));
  EXPECT_EQ(RenderYunhuState(m.Queues(), m.NowUnixSeconds(), auth, calls), before);
}

TEST(YunhuApiTest, LoginAndQueueSipStatus) {
  Api api;
  const std::string token = api.Login();
  EXPECT_EQ(token.size(), 32u);
  auto d = api.Call("service=App.Sip_Queue.GetQueueSipStatus&token=" + token);
  ASSERT_EQ(d["ret"].GetInt(), 200);
  EXPECT_EQ(d["data"]["status"].GetInt(), 0);
  EXPECT_EQ(d["data"]["reqtime"].GetInt64(), api.model.NowUnixSeconds());
  const auto& rows = d["data"]["result"];
  ASSERT_EQ(rows.Size(), 4u + 5u + 5u);
  std::set<std::string> time_texts;
  for (const auto& r : rows.GetArray()) {
    for (const char* f :
         {"queuename", "seatsname", "extnumber", "lastanswertime", "lastassigntime", "seatschangetime"}) {
      EXPECT_TRUE(r[f].IsString()) << f;
    }
    for (const char* f : {"status", "state", "noanswercount", "callsanswered"}) EXPECT_TRUE(r[f].IsInt()) << f;
    for (const char* f : {"externalcallscount", "wrapuptime", "maxnoanswer"}) {
      EXPECT_TRUE(r[f].IsInt() || r[f].IsString()) << f;
    }
    time_texts.insert(r["lastanswertime"].GetString());
  }
  EXPECT_TRUE(time_texts.contains(""));  // 100007 never answered
  // Ten simulated minutes after the epoch, 2020-02-05 21:00:00 in Beijing.
  for (const std::string& t : time_texts) {
    EXPECT_TRUE(t.empty() || t.starts_with("2020-02-05 21:0") || t == "2020-02-05 21:10:00") << t;
  }

  auto one = api.Call("service=App.Sip_Queue.GetQueueSipStatus&queuename=queue-2&token=" + token);
  ASSERT_EQ(one["data"]["result"].Size(), 5u);
  for (const auto& r : one["data"]["result"].GetArray()) EXPECT_STREQ(r["queuename"].GetString(), "queue-2");
  auto ext = api.Call("service=App.Sip_Queue.GetQueueSipStatus&extnumber=100001%2C100002&token=" + token);
  EXPECT_EQ(ext["data"]["result"].Size(), 2u);
  auto waiting = api.Call("service=App.Sip_Queue.GetQueueSipStatus&state=2&token=" + token);
  for (const auto& r : waiting["data"]["result"].GetArray()) EXPECT_EQ(r["state"].GetInt(), kYunhuWaiting);
  auto unknown = api.Call("service=App.Sip_Queue.GetQueueSipStatus&queuename=nope&token=" + token);
  EXPECT_EQ(unknown["ret"].GetInt(), 200);
  EXPECT_EQ(unknown["data"]["status"].GetInt(), 1);
  EXPECT_EQ(unknown["data"]["errors"]["code"].GetInt(), 1211);
  EXPECT_EQ(api.Call("service=App.Sip_Queue.GetQueueSipStatus&state=9&token=" + token)["ret"].GetInt(), 400);
}

TEST(YunhuApiTest, RefusesWrongCredentialsMissingTokensAndDeniedIps) {
  Api api;
  auto wrong = api.Call("service=App.Sip_Auth.Login&appid=sim-appid&accesskey=nope");
  EXPECT_EQ(wrong["ret"].GetInt(), 601);
  EXPECT_TRUE(wrong["data"].IsArray());
  EXPECT_EQ(api.Call("service=App.Sip_Auth.Login&appid=other&accesskey=sim-accesskey")["ret"].GetInt(), 601);
  EXPECT_EQ(api.Call("service=App.Sip_Queue.GetQueueSipStatus")["ret"].GetInt(), 600);
  EXPECT_EQ(api.Call("service=App.Sip_Queue.GetQueueSipStatus&token=forged")["ret"].GetInt(), 600);
  EXPECT_EQ(api.Call("service=App.Nope.Nothing")["ret"].GetInt(), 400);
  api.auth.SetDenyIp(true);
  EXPECT_EQ(api.Call("service=App.Sip_Auth.Login&appid=sim-appid&accesskey=sim-accesskey")["ret"].GetInt(), 604);
  const auto c = api.auth.Counters();
  EXPECT_EQ(c.login_refused, 2u);
  EXPECT_EQ(c.ret_600_unknown, 2u);
  EXPECT_EQ(c.ret_604, 1u);
  EXPECT_EQ(c.logins, 0u);
  EXPECT_EQ(api.calls.ret_600(), 2u);
}

TEST(YunhuApiTest, TokensExpireAfterTheirLifetimeAndOnRequest) {
  YunhuAuthOptions o = Steady();
  o.token_ttl = seconds(30);
  Api api(o);
  const std::string body = "service=App.Sip_Queue.GetQueueSipStatus&token=";
  const std::string a = api.Login(), b = api.Login();
  EXPECT_NE(a, b);
  EXPECT_EQ(api.Call(body + a)["ret"].GetInt(), 200);  // both valid side by side
  EXPECT_EQ(api.Call(body + b)["ret"].GetInt(), 200);
  api.Advance(seconds(29));
  EXPECT_EQ(api.Call(body + a)["ret"].GetInt(), 200);
  api.Advance(seconds(1));
  EXPECT_EQ(api.Call(body + a)["ret"].GetInt(), 600);
  EXPECT_EQ(api.auth.Counters().ret_600_expired, 1u);

  const std::string c = api.Login();
  EXPECT_EQ(api.auth.valid_tokens(), 1u);
  api.auth.ExpireAll();
  EXPECT_EQ(api.auth.valid_tokens(), 0u);
  EXPECT_EQ(api.Call(body + c)["ret"].GetInt(), 600);
  const std::string d = api.Login();
  EXPECT_EQ(api.Call("service=App.Sip_Auth.Logout&token=" + d)["data"]["status"].GetInt(), 0);
  EXPECT_EQ(api.Call(body + d)["ret"].GetInt(), 600);
  EXPECT_EQ(api.auth.IssuedTokens(), (std::vector<std::string>{a, b, c, d}));
}

TEST(YunhuApiTest, RejectTokensRefusesEvenAFreshTokenUntilSwitchedOff) {
  Api api(Steady());
  const std::string body = "service=App.Sip_Queue.GetQueueSipStatus&token=";
  api.auth.SetRejectTokens(true);
  for (int i = 0; i < 3; ++i) {
    const std::string t = api.Login();
    EXPECT_FALSE(t.empty()) << "logins still succeed";
    EXPECT_EQ(api.Call(body + t)["ret"].GetInt(), 600);
  }
  EXPECT_EQ(api.auth.Counters().ret_600_rejected, 3u);
  EXPECT_EQ(api.auth.Counters().logins, 3u);
  api.auth.SetRejectTokens(false);
  EXPECT_EQ(api.Call(body + api.Login())["ret"].GetInt(), 200);
}

TEST(YunhuApiTest, RandomRevocationSparesAFreshTokensFirstRequest) {
  YunhuAuthOptions o;
  o.token_invalid_rate = 1.0;
  Api api(o);
  const std::string body = "service=App.Sip_Queue.GetQueueSipStatus&token=";
  for (int i = 0; i < 5; ++i) {
    const std::string t = api.Login();
    EXPECT_EQ(api.Call(body + t)["ret"].GetInt(), 200);
    EXPECT_EQ(api.Call(body + t)["ret"].GetInt(), 600);
  }
  EXPECT_EQ(api.auth.Counters().ret_600_random, 5u);

  // At a small rate, some requests of a long-lived token are refused, not all.
  o.token_invalid_rate = 0.2;
  Api some(o);
  int refused = 0;
  std::string t = some.Login();
  for (int i = 0; i < 200; ++i) {
    if (some.Call(body + t)["ret"].GetInt() == 600) {
      ++refused;
      t = some.Login();
    }
  }
  EXPECT_GT(refused, 10);
  EXPECT_LT(refused, 80);
}

TEST(YunhuApiTest, CountsEveryServiceIncludingWriteApisAndBills) {
  Api api;
  const std::string t = api.Login();
  for (const char* s :
       {"App.Sip_Queue.SetSeatsStatus", "App.Sip_Queue.SipSignIn", "App.Sip_Cdr.GetBill", "App.Sip_Call.Dial"}) {
    auto d = api.Call(std::string("service=") + s + "&token=" + t);
    EXPECT_EQ(d["ret"].GetInt(), 200) << s;
    EXPECT_EQ(d["data"]["status"].GetInt(), 0) << s;
  }
  EXPECT_TRUE(api.Call("service=App.Sip_Extgroup.GetGroupExt&token=" + t)["data"].IsArray());
  EXPECT_EQ(api.Call("service=App.Sip_Queue.GetQueueSipStatus&token=" + t)["ret"].GetInt(), 200);
  api.Call("service=App.\xff\x01&token=" + t);
  auto bill =
      Parse(HandleYunhuApi(Form("appid=sim-appid&accesskey=sim-accesskey", "/api/cdrs"), api.model, api.auth, api.calls)
                .body);
  EXPECT_EQ(bill["code"].GetInt(), 1);
  auto calls = api.calls.Get();
  EXPECT_EQ(calls["App.Sip_Auth.Login"], 1u);
  EXPECT_EQ(calls["App.Sip_Queue.SetSeatsStatus"], 1u);
  EXPECT_EQ(calls["App.Sip_Cdr.GetBill"], 1u);
  EXPECT_EQ(calls["App.Sip_Call.Dial"], 1u);
  EXPECT_EQ(calls["/api/cdrs"], 1u);
  EXPECT_EQ(calls["App.??"], 1u);
  auto state = Parse(RenderYunhuState(api.model.Queues(), api.model.NowUnixSeconds(), api.auth, api.calls));
  EXPECT_EQ(state["calls"]["App.Sip_Queue.SipSignIn"].GetUint64(), 1u);
  EXPECT_EQ(state["auth"]["logins"].GetUint64(), 1u);
  EXPECT_STREQ(state["auth"]["tokens"][0].GetString(), t.c_str());
}

TEST(YunhuSimTest, StateCarriesTimesAsTextAndUnixSeconds) {
  auto sim = MakeSim(SimOptions{2, 3, 9, {}});
  sim->Advance(seconds(300));
  auto state = Parse(sim->StateJson());
  EXPECT_EQ(state["epoch_s"].GetInt64(), kYunhuEpochSeconds);
  EXPECT_EQ(state["now_s"].GetInt64(), kYunhuEpochSeconds + 300);
  int with_times = 0;
  for (const auto& q : state["queues"].GetArray()) {
    for (const auto& m : q["members"].GetArray()) {
      for (const char* f : {"lastanswertime", "lastassigntime", "seatschangetime"}) {
        const auto& unix_s = m[(std::string(f) + "_unix").c_str()];
        if (unix_s.IsNull()) {
          EXPECT_STREQ(m[f].GetString(), "");
        } else {
          ++with_times;
          EXPECT_EQ(m[f].GetString(), FormatLocalTime(unix_s.GetInt64(), kYunhuUtcOffsetSeconds));
        }
      }
    }
  }
  EXPECT_GT(with_times, 6);
}

TEST(YunhuSimTest, SettingsAndControlRoutes) {
  EXPECT_THROW(MakeSim(SimOptions{1, 1, 1, {{"nope", "1"}}}), std::invalid_argument);
  EXPECT_THROW(MakeSim(SimOptions{1, 1, 1, {{"token_invalid_rate", "1.5"}}}), std::invalid_argument);
  EXPECT_THROW(MakeSim(SimOptions{1, 1, 1, {{"token_invalid_rate", "x"}}}), std::invalid_argument);
  EXPECT_THROW(MakeSim(SimOptions{1, 1, 1, {{"token_ttl_s", "0"}}}), std::invalid_argument);
  EXPECT_THROW(MakeSim(SimOptions{1, 1, 1, {{"deny_ip", "maybe"}}}), std::invalid_argument);
  auto sim = MakeSim(SimOptions{
      2,
      3,
      1,
      {{"appid", "A1"}, {"accesskey", "K1"}, {"token_ttl_s", "60"}, {"token_invalid_rate", "0.25"}, {"deny_ip", "1"}}});
  auto state = Parse(sim->StateJson());
  EXPECT_STREQ(state["auth"]["appid"].GetString(), "A1");
  EXPECT_EQ(state["auth"]["token_ttl_s"].GetInt(), 60);
  EXPECT_DOUBLE_EQ(state["auth"]["token_invalid_rate"].GetDouble(), 0.25);
  EXPECT_TRUE(state["auth"]["deny_ip"].GetBool());

  const auto login = Form("service=App.Sip_Auth.Login&appid=A1&accesskey=K1");
  EXPECT_TRUE(sim->Owns(login));
  EXPECT_TRUE(sim->Owns(Form("", "/api/yunhu/index.php")));
  EXPECT_FALSE(sim->Owns(Form("", "/admin/")));
  EXPECT_EQ(Parse(sim->Handle(login).body)["ret"].GetInt(), 604);
  http::Request off;
  off.query = "on=0";
  EXPECT_EQ(sim->Control("deny_ip", off)->status, 200u);
  EXPECT_EQ(Parse(sim->Handle(login).body)["ret"].GetInt(), 200);
  EXPECT_EQ(Parse(sim->Control("expire_tokens", {})->body)["expired"].GetInt(), 1);
  http::Request remove;
  remove.query = "extnumber=100002";
  EXPECT_EQ(sim->Control("remove_agent", remove)->status, 200u);
  EXPECT_EQ(sim->Control("remove_agent", remove)->status, 404u);
  EXPECT_FALSE(sim->Control("nope", {}));
  const auto after = Parse(sim->StateJson());
  for (const auto& q : after["queues"].GetArray()) {
    for (const auto& m : q["members"].GetArray()) EXPECT_STRNE(m["extnumber"].GetString(), "100002");
  }
}

}  // namespace
}  // namespace cc::sim::yunhu
