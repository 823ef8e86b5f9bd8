// Unit tests of the MixCall simulator: the model and the rendering (against
// seed 000's own queueinfo document).

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tools/sim/mixcall/api.h"
#include "tools/sim/mixcall/model.h"
#include "tools/sim/sim_test_support.h"

namespace cc::sim::mixcall {
namespace {

using namespace cc::sim::test;

using std::chrono::milliseconds;

std::string SeedQueueInfoJson() {
  const std::string doc = ReadSeed("000_0f1b7760676e328e.txt");
  auto start = doc.find(R"({"result":"1")");
  auto end = doc.find(R"("error":0})", start);
  if (start == std::string::npos || end == std::string::npos) return {};
  return doc.substr(start, end + 10 - start);
}

MixcallQueueView SeedQueue() {
  MixcallQueueView q;
  q.queue = "90";
  q.name = "sales";
  q.strategy = "rrmemory";
  q.chinese_ringtype = true;
  q.max = -1;
  q.holdtime = 3;
  q.weight = 0;
  q.abandoned = 3;
  q.completed = 3;
  q.completed_in_sl = 3;
  q.servicelevel = 60;
  q.agents = {{"6103", 0, -1}, {"6107", 0, -1}, {"6106", 0, -1}};
  return q;
}

std::vector<MixcallQueueView> Warm(std::uint64_t seed, int minutes = 20) {
  MixcallModel m(MixcallOptions{3, 5, seed});
  m.Warmup(std::chrono::minutes(minutes), milliseconds(250));
  return m.Queues();
}

bool SameState(const std::vector<MixcallQueueView>& a, const std::vector<MixcallQueueView>& b) {
  return RenderMixcallState(a) == RenderMixcallState(b);
}

TEST(MixcallApiTest, RendersSeedDocumentByteForByte) {
  const std::string seed = SeedQueueInfoJson();
  ASSERT_FALSE(seed.empty());
  EXPECT_EQ(RenderQueueInfo({SeedQueue()}, ""), seed);
  EXPECT_EQ(RenderQueueInfo({SeedQueue()}, "90"), seed);
}

TEST(MixcallApiTest, FormatsLikeAsteriskAndMixcall) {
  EXPECT_EQ(FormatServiceLevelPerf(7, 8), "87.5%");
  EXPECT_EQ(FormatServiceLevelPerf(3, 3), "100.0%");
  EXPECT_EQ(FormatServiceLevelPerf(0, 0), "0.0%");
  EXPECT_EQ(FormatServiceLevelPerf(1, 3), "33.3%");
  EXPECT_EQ(FormatServiceLevelPerf(2, 3), "66.7%");
  EXPECT_DOUBLE_EQ(ServiceLevelRatio(7, 8), 0.875);
  EXPECT_DOUBLE_EQ(ServiceLevelRatio(2, 3), 0.667);
  EXPECT_EQ(FormatMaxWaitTime(0), "00:00");
  EXPECT_EQ(FormatMaxWaitTime(65), "01:05");
  EXPECT_EQ(FormatMaxWaitTime(6000), "100:00");
  MixcallQueueView q = SeedQueue();
  q.strategy = "leastrecent";
  EXPECT_EQ(RingtypeOf(q), "最久未呼叫");
  q.chinese_ringtype = false;
  EXPECT_EQ(RingtypeOf(q), "leastrecent");
}

TEST(MixcallApiTest, PhpJsonStringEscapesLikeJsonEncode) {
  EXPECT_EQ(PhpJsonString("a/b\"c\\d\n"), R"("a\/b\"c\\d\n")");
  EXPECT_EQ(PhpJsonString("记"), R"("\u8bb0")");
  EXPECT_EQ(PhpJsonString("\xF0\x9F\x98\x80"), R"("\ud83d\ude00")");
  EXPECT_EQ(PhpJsonString(std::string("\x01", 1)), R"("\u0001")");
}

TEST(MixcallApiTest, EmptyAgentsAndNoQueuesRenderAsPhpLists) {
  MixcallQueueView q = SeedQueue();
  q.agents.clear();
  auto body = RenderQueueInfo({q}, "");
  EXPECT_NE(body.find(R"("servicelevelperf":"100.0%","agents":[]})"), std::string::npos) << body;
  EXPECT_EQ(RenderQueueInfo({}, ""), R"({"result":"1","data":[],"error":0})");
}

TEST(MixcallApiTest, UnknownQueueOrActionGivesFailureEnvelope) {
  MixcallModel model(MixcallOptions{2, 2, 1});
  http::Request req;
  req.path = "/admin/";
  req.query = "m=interface&c=api&a=queueinfo&queue=99";
  EXPECT_EQ(HandleMixcallApi(req, model).body, kMixcallFailure);
  req.query = "m=interface&c=api&a=dial";
  EXPECT_EQ(HandleMixcallApi(req, model).body, kMixcallFailure);
  req.query = "m=interface&c=api&a=queueinfo&queue=91";
  auto res = HandleMixcallApi(req, model);
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(
      res.body.rfind(R"({"result":"1","data":{"91":{"queue":"91","name":"support","ringtype":"ringall","max":"8")", 0),
      0u)
      << res.body;
  req.query += "&callback=cb_1";
  EXPECT_EQ(HandleMixcallApi(req, model).body.rfind("cb_1({\"result\":\"1\"", 0), 0u);
}

// /_sim/state must describe exactly what queueinfo shows.
TEST(MixcallApiTest, StateAgreesWithQueueInfo) {
  auto queues = Warm(7);
  rapidjson::Document api, state;
  ASSERT_FALSE(api.Parse(RenderQueueInfo(queues, "").c_str()).HasParseError());
  ASSERT_FALSE(state.Parse(RenderMixcallState(queues).c_str()).HasParseError());
  ASSERT_EQ(api["error"].GetInt(), 0);
  const auto& data = api["data"];
  const auto& list = state["queues"];
  ASSERT_EQ(list.Size(), 3u);
  for (const auto& s : list.GetArray()) {
    const auto& q = data[s["queue"].GetString()];
    EXPECT_EQ(std::string(q["name"].GetString()), s["name"].GetString());
    EXPECT_EQ(std::string(q["wait"].GetString()), std::to_string(s["wait"].GetInt()));
    EXPECT_EQ(std::string(q["max"].GetString()),
              s["max"].GetInt() < 0 ? std::string("unlimited") : std::to_string(s["max"].GetInt()));
    EXPECT_EQ(std::string(q["maxwaittime"].GetString()), FormatMaxWaitTime(s["longest_wait_seconds"].GetInt64()));
    EXPECT_EQ(std::string(q["holdtime"].GetString()), std::to_string(s["holdtime"].GetInt64()));
    EXPECT_EQ(std::string(q["completed"].GetString()), std::to_string(s["completed"].GetUint64()));
    EXPECT_EQ(std::string(q["abandoned"].GetString()), std::to_string(s["abandoned"].GetUint64()));
    std::string perf = q["servicelevelperf"].GetString();
    EXPECT_DOUBLE_EQ(std::stod(perf.substr(0, perf.size() - 1)) / 100.0, s["servicelevelperf_ratio"].GetDouble());
    ASSERT_TRUE(q["agents"].IsObject());
    EXPECT_EQ(q["agents"].MemberCount(), s["agents"].Size());
    for (const auto& a : s["agents"].GetArray()) {
      const auto& qa = q["agents"][a["exten"].GetString()];
      EXPECT_EQ(std::string(qa["status"].GetString()), std::to_string(a["status"].GetInt()));
      EXPECT_EQ(std::string(qa["dnd"].GetString()), std::to_string(a["dnd"].GetInt()));
    }
  }
}

TEST(MixcallModelTest, SameSeedSameHistory) {
  EXPECT_TRUE(SameState(Warm(42), Warm(42)));
  EXPECT_FALSE(SameState(Warm(42), Warm(43)));
}

TEST(MixcallModelTest, CountersGrowAndStatesStayValid) {
  MixcallModel m(MixcallOptions{4, 5, 3});
  const std::set<int> statuses{0, 1, 4, 8, 16};
  std::vector<MixcallQueueView> before = m.Queues();
  std::set<int> seen_status, seen_dnd;
  bool saw_waiting = false;
  for (int minute = 0; minute < 60; ++minute) {
    m.Warmup(std::chrono::minutes(1), milliseconds(250));
    auto now = m.Queues();
    ASSERT_EQ(now.size(), before.size());
    for (std::size_t i = 0; i < now.size(); ++i) {
      EXPECT_GE(now[i].completed, before[i].completed);
      EXPECT_GE(now[i].abandoned, before[i].abandoned);
      EXPECT_LE(now[i].completed_in_sl, now[i].completed);
      if (now[i].max >= 0) {
        EXPECT_LE(now[i].wait, now[i].max);
      }
      saw_waiting = saw_waiting || now[i].wait > 0;
      for (const auto& a : now[i].agents) {
        EXPECT_TRUE(statuses.count(a.status)) << a.status;
        EXPECT_TRUE(a.dnd == -1 || (a.dnd >= 1 && a.dnd <= 3)) << a.dnd;
        seen_status.insert(a.status);
        seen_dnd.insert(a.dnd);
      }
    }
    before = std::move(now);
  }
  // An hour of a busy centre shows every behaviour.
  EXPECT_EQ(seen_status, statuses);
  EXPECT_GT(seen_dnd.size(), 1u);
  EXPECT_TRUE(saw_waiting);
  for (const auto& q : before) {
    EXPECT_GT(q.completed, 0u);
    EXPECT_GT(q.abandoned, 0u);
    EXPECT_GT(q.holdtime, 0);
  }
}

TEST(MixcallModelTest, PauseFreezesTheModel) {
  MixcallModel m(MixcallOptions{3, 5, 1});
  m.Warmup(std::chrono::minutes(5), milliseconds(250));
  m.SetPaused(true);
  auto frozen = m.Queues();
  for (int i = 0; i < 400; ++i) m.Advance(milliseconds(250));
  EXPECT_TRUE(SameState(frozen, m.Queues()));
  m.SetPaused(false);
  for (int i = 0; i < 400; ++i) m.Advance(milliseconds(250));
  EXPECT_FALSE(SameState(frozen, m.Queues()));
}

TEST(MixcallModelTest, AddAndRemoveAgents) {
  MixcallModel m(MixcallOptions{2, 2, 1});
  auto queues = m.Queues();
  ASSERT_EQ(queues[0].agents.size(), 2u);
  EXPECT_EQ(queues[0].agents[0].exten, "6101");
  EXPECT_EQ(queues[1].agents[0].exten, "6103");

  EXPECT_EQ(m.AddAgent("90", "6199"), MixcallModel::AddResult::added);
  EXPECT_EQ(m.AddAgent("91", "6199"), MixcallModel::AddResult::added);
  EXPECT_EQ(m.AddAgent("91", "6199"), MixcallModel::AddResult::already_member);
  EXPECT_EQ(m.AddAgent("77", "6200"), MixcallModel::AddResult::no_such_queue);
  EXPECT_EQ(m.AddAgent("90", "61\"99"), MixcallModel::AddResult::bad_exten);
  queues = m.Queues();
  EXPECT_EQ(queues[0].agents.back().exten, "6199");
  EXPECT_EQ(queues[1].agents.back().exten, "6199");

  EXPECT_TRUE(m.RemoveAgent("6199"));
  EXPECT_TRUE(m.RemoveAgent("6101"));
  EXPECT_FALSE(m.RemoveAgent("6101"));
  queues = m.Queues();
  ASSERT_EQ(queues[0].agents.size(), 1u);
  EXPECT_EQ(queues[0].agents[0].exten, "6102");
  EXPECT_EQ(queues[1].agents.size(), 2u);
  // The model keeps running without them.
  m.Warmup(std::chrono::minutes(10), milliseconds(250));
  EXPECT_EQ(m.Queues()[0].agents.size(), 1u);
}

TEST(MixcallModelTest, DndIsSetForItsDurationThenCleared) {
  MixcallModel m(MixcallOptions{1, 2, 1});
  const auto dnd_of = [&m](std::string_view exten) {
    const auto queues = m.Queues();
    for (const auto& a : queues[0].agents) {
      if (a.exten == exten) return a.dnd;
    }
    return -99;
  };
  // 7: a reason code the model never picks by itself (it uses 1..3).
  EXPECT_FALSE(m.SetDnd("6199", 7, std::chrono::seconds(10)));
  ASSERT_TRUE(m.SetDnd("6101", 7, std::chrono::seconds(10)));
  EXPECT_EQ(dnd_of("6101"), 7);
  for (int i = 0; i < 36; ++i) m.Advance(milliseconds(250));  // 9 s
  EXPECT_EQ(dnd_of("6101"), 7);
  for (int i = 0; i < 8; ++i) m.Advance(milliseconds(250));  // 11 s
  EXPECT_NE(dnd_of("6101"), 7);
}

// The demo's size (3 queues of 6, offered 0.6-0.9 Erlang per agent): busy agents seldom
// idle, yet DND (and so callcenter_agent_busy_reason_code) is there in nearly every
// minute, and agents in a call set it too. Several seeds: a property of the model.
TEST(MixcallModelTest, DndIsCommonWhileQueuesAreBusy) {
  for (int seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(seed);
    MixcallModel m(MixcallOptions{3, 6, static_cast<std::uint64_t>(seed)});
    m.Warmup(std::chrono::minutes(10), milliseconds(250));
    int minutes_with_dnd = 0, dnd_in_call = 0;
    for (int minute = 0; minute < 120; ++minute) {
      m.Warmup(std::chrono::minutes(1), milliseconds(250));
      bool any = false;
      for (const auto& q : m.Queues()) {
        for (const auto& a : q.agents) {
          any = any || a.dnd != kNoDnd;
          dnd_in_call += a.dnd != kNoDnd && a.status == kExtInUse;
        }
      }
      minutes_with_dnd += any;
    }
    EXPECT_GE(minutes_with_dnd, 100);  // 5 in 6 (45-67 of 120 when only idle agents set it)
    EXPECT_GT(dnd_in_call, 0);
  }
}

}  // namespace
}  // namespace cc::sim::mixcall
