#include "core/exposition.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include "core/text_format.h"
#include "model/metrics.h"

namespace cc {
namespace {

using text_format::ValidUtf8;

TEST(ExpositionTest, RendersFamiliesWithTargetLabelFirst) {
  Snapshot snap;
  snap.Add(metrics::queue_calls_waiting, {{"queue", "90"}}, 4);
  snap.Add(metrics::queue_calls_answered_total, {{"queue", "90"}}, 17);
  snap.Add(metrics::queue_max_calls_waiting, {{"queue", "90"}}, std::numeric_limits<double>::infinity());

  Rendered r = Render(snap, "hq");
  ASSERT_EQ(r.families.size(), 3u);
  EXPECT_EQ(r.series, 3u);

  const auto& waiting = r.families.at("callcenter_queue_calls_waiting");
  EXPECT_EQ(waiting.header,
            "# HELP callcenter_queue_calls_waiting Calls waiting in the queue (mixcall: wait; huawei_cec: "
            "queueSize; ucontact: callers). Cached from the last poll.\n"
            "# TYPE callcenter_queue_calls_waiting gauge\n");
  EXPECT_EQ(waiting.series, "callcenter_queue_calls_waiting{target=\"hq\",queue=\"90\"} 4\n");

  const auto& answered = r.families.at("callcenter_queue_calls_answered_total");
  EXPECT_NE(answered.header.find("# TYPE callcenter_queue_calls_answered_total counter\n"), std::string::npos);
  EXPECT_EQ(answered.series, "callcenter_queue_calls_answered_total{target=\"hq\",queue=\"90\"} 17\n");

  EXPECT_EQ(r.families.at("callcenter_queue_max_calls_waiting").series,
            "callcenter_queue_max_calls_waiting{target=\"hq\",queue=\"90\"} +Inf\n");
}

TEST(ExpositionTest, EscapesLabelValues) {
  Snapshot snap;
  snap.Add(metrics::queue_info, {{"queue", "1"}, {"name", "a \"b\"\\c\nd"}, {"strategy", ""}}, 1);
  Rendered r = Render(snap, "t");
  EXPECT_EQ(r.families.at("callcenter_queue_info").series,
            "callcenter_queue_info{target=\"t\",queue=\"1\",name=\"a \\\"b\\\"\\\\c\\nd\",strategy=\"\"} 1\n");
}

TEST(ExpositionTest, RepairsInvalidUtf8) {
  EXPECT_EQ(ValidUtf8("sales"), "sales");
  EXPECT_EQ(ValidUtf8("\xE8\xAE\xB0\xE5\xBF\x86"), "\xE8\xAE\xB0\xE5\xBF\x86");  // 记忆
  EXPECT_EQ(ValidUtf8("a\xB0z"), "a\xEF\xBF\xBDz");                              // GBK byte
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(ValidUtf8("end\xE8"), "end\xEF\xBF\xBD");                            // truncated sequence
}

TEST(ExpositionTest, DropsDuplicateSeriesKeepingTheFirst) {
  Snapshot snap;
  snap.Add(metrics::agent_status_code, {{"agent", "6103"}}, 1);
  snap.Add(metrics::agent_status_code, {{"agent", "6104"}}, 2);
  snap.Add(metrics::agent_status_code, {{"agent", "6103"}}, 3);
  Rendered r = Render(snap, "t");
  EXPECT_EQ(r.duplicates_dropped, 1u);
  EXPECT_EQ(r.series, 2u);
  EXPECT_EQ(r.families.at("callcenter_agent_status_code").series,
            "callcenter_agent_status_code{target=\"t\",agent=\"6103\"} 1\n"
            "callcenter_agent_status_code{target=\"t\",agent=\"6104\"} 2\n");
}

// A runaway label value (a 1 MB queue id) costs only the series that carry it, whichever
// label it is in; a value at the limit is kept, and 0 means no limit.
TEST(ExpositionTest, DropsSeriesWithALabelValueOverTheLimit) {
  const std::string huge(1 << 20, 'q');
  Snapshot snap;
  snap.Add(metrics::queue_calls_waiting, {{"queue", huge}}, 7);
  snap.Add(metrics::queue_calls_waiting, {{"queue", "90"}}, 3);
  snap.Add(metrics::queue_member_info, {{"queue", "90"}, {"agent", std::string(16, 'a')}}, 1);
  snap.Add(metrics::queue_member_info, {{"queue", "90"}, {"agent", std::string(17, 'b')}}, 1);
  snap.Add(metrics::queue_member_info, {{"queue", huge}, {"agent", "6101"}}, 1);

  Rendered r = Render(snap, "t", {.label_value_length_limit = 16});
  EXPECT_EQ(r.series, 2u);
  EXPECT_EQ(r.too_long_dropped, 3u);
  EXPECT_EQ(r.too_long_label, "queue");  // families render in name order: calls_waiting first
  EXPECT_EQ(r.families.at("callcenter_queue_calls_waiting").series,
            "callcenter_queue_calls_waiting{target=\"t\",queue=\"90\"} 3\n");
  EXPECT_EQ(r.families.at("callcenter_queue_member_info").series,
            "callcenter_queue_member_info{target=\"t\",queue=\"90\",agent=\"aaaaaaaaaaaaaaaa\"} 1\n");

  Rendered unlimited = Render(snap, "t", {.label_value_length_limit = 0});
  EXPECT_EQ(unlimited.series, 5u);
  EXPECT_EQ(unlimited.too_long_dropped, 0u);
}

// agent_labels: callcenter_agent_info keeps `agent` and the chosen labels, whatever else the
// vendor put there (an unknown label too); other families keep their own `name`. A label
// left out is absent, and an over-long one that is left out no longer costs the series.
TEST(ExpositionTest, AgentInfoKeepsOnlyTheChosenDescriptiveLabels) {
  Snapshot snap;
  snap.Add(metrics::agent_info,
           {{"agent", "1002"}, {"name", "座席1002"}, {"phone", "71002"}, {"group", "3"}, {"media", "pc_phone"}}, 1);
  snap.Add(metrics::agent_info, {{"agent", "1003"}, {"name", std::string(40, 'n')}, {"email", "x@example.com"}}, 1);
  snap.Add(metrics::queue_info, {{"queue", "1"}, {"name", "sales"}}, 1);
  auto info = [&](const std::vector<std::string>* keep) {
    return Render(snap, "t", {.label_value_length_limit = 32, .agent_labels = keep})
        .families.at("callcenter_agent_info")
        .series;
  };
  const std::vector<std::string> none, phone_group{"phone", "group"}, name{"name"};
  EXPECT_EQ(info(&none),
            "callcenter_agent_info{target=\"t\",agent=\"1002\"} 1\n"
            "callcenter_agent_info{target=\"t\",agent=\"1003\"} 1\n");
  EXPECT_EQ(info(&phone_group),
            "callcenter_agent_info{target=\"t\",agent=\"1002\",phone=\"71002\",group=\"3\"} 1\n"
            "callcenter_agent_info{target=\"t\",agent=\"1003\"} 1\n");
  EXPECT_EQ(info(&name), "callcenter_agent_info{target=\"t\",agent=\"1002\",name=\"座席1002\"} 1\n");
  EXPECT_EQ(info(nullptr),
            "callcenter_agent_info{target=\"t\",agent=\"1002\",name=\"座席1002\",phone=\"71002\",group=\"3\","
            "media=\"pc_phone\"} 1\n");
  const Rendered r = Render(snap, "t", {.agent_labels = &none});
  EXPECT_EQ(r.families.at("callcenter_queue_info").series,
            "callcenter_queue_info{target=\"t\",queue=\"1\",name=\"sales\"} 1\n");
  EXPECT_EQ(r.duplicates_dropped, 0u);
}

// Two entries of one agent that differ only in labels left out are one series, not two
// series with the same labels (which Prometheus would refuse).
TEST(ExpositionTest, AgentInfoEntriesThatDifferOnlyInLeftOutLabelsAreOneSeries) {
  Snapshot snap;
  snap.Add(metrics::agent_info, {{"agent", "7"}, {"name", "A"}, {"media", "pc_phone"}}, 1);
  snap.Add(metrics::agent_info, {{"agent", "7"}, {"name", "B"}, {"media", "pc_phone"}}, 1);
  const std::vector<std::string> media{"media"};
  const Rendered r = Render(snap, "t", {.agent_labels = &media});
  EXPECT_EQ(r.families.at("callcenter_agent_info").series,
            "callcenter_agent_info{target=\"t\",agent=\"7\",media=\"pc_phone\"} 1\n");
  EXPECT_EQ(r.series, 1u);
}

TEST(ExpositionTest, AgentStateHelperEmitsEveryStateOnce) {
  Snapshot snap;
  metrics::AddAgentState(snap, "7", AgentState::on_break);
  Rendered r = Render(snap, "t");
  const std::string& s = r.families.at("callcenter_agent_state").series;
  EXPECT_NE(s.find("callcenter_agent_state{target=\"t\",agent=\"7\",state=\"break\"} 1\n"), std::string::npos);
  EXPECT_NE(s.find("callcenter_agent_state{target=\"t\",agent=\"7\",state=\"available\"} 0\n"), std::string::npos);
  EXPECT_EQ(r.series, kAllAgentStates.size());
}

TEST(ExpositionTest, DuplicatesAreFoundInAnyLabelOrderAndAfterRepair) {
  Snapshot snap;
  snap.Add(metrics::queue_member_info, {{"queue", "1"}, {"agent", "a"}}, 1);
  snap.Add(metrics::queue_member_info, {{"agent", "a"}, {"queue", "1"}}, 1);
  snap.Add(metrics::queue_member_info, {{"queue", "1"}, {"agent", "b\xB0"}}, 1);
  snap.Add(metrics::queue_member_info, {{"queue", "1"}, {"agent", "b\xB1"}}, 1);  // same once repaired
  Rendered r = Render(snap, "t");
  EXPECT_EQ(r.duplicates_dropped, 2u);
  EXPECT_EQ(r.series, 2u);
}

// The duplicate check trusts equal hashes only after comparing the sets; unequal hashes it
// trusts alone, so sets Prometheus takes for one series must hash alike.
TEST(ExpositionTest, LabelSetHashIgnoresOrderAndSeesRepairs) {
  auto hash = [](const Labels& labels) {
    std::string out;
    return text_format::AppendSample(out, "m", "t", labels, 1);
  };
  EXPECT_EQ(hash({{"queue", "1"}, {"agent", "a"}}), hash({{"agent", "a"}, {"queue", "1"}}));
  EXPECT_EQ(hash({{"agent", "b\xB0"}}), hash({{"agent", "b\xB1"}}));  // both "b\uFFFD"
  EXPECT_NE(hash({{"queue", "1"}, {"agent", "a"}}), hash({{"queue", "a"}, {"agent", "1"}}));
  EXPECT_NE(hash({{"agent", "a"}}), hash({{"agent", "a"}, {"queue", ""}}));
  // The hashes of 200,000 different sets, as a site has (agent × state), do not meet.
  std::set<std::uint64_t> seen;
  for (int agent = 0; agent < 20000; ++agent) {
    for (int state = 0; state < 10; ++state) {
      seen.insert(hash({{"agent", std::to_string(agent)}, {"state", std::to_string(state)}}));
    }
  }
  EXPECT_EQ(seen.size(), 200000u);
}

// The text of a family is kept as long as it is served: its buffer is at most an eighth
// over its size, whether the reservation made from the first lines' length was too short
// or too long. (What the reservation saves, copies and a doubled peak, is measured in
// bench/memory.sh, not here.)
TEST(ExpositionTest, SeriesTextIsKeptInABufferOfAboutItsSize) {
  for (const bool long_first : {false, true}) {
    Snapshot snap;
    for (int i = 0; i < 5000; ++i) {
      const bool long_line = (i < 64) == long_first;
      snap.Add(metrics::queue_weight, {{"queue", std::to_string(i) + std::string(long_line ? 60 : 2, 'q')}}, i);
    }
    const Rendered r = Render(snap, "site");
    const std::string& series = r.families.at(std::string(metrics::queue_weight.name)).series;
    EXPECT_EQ(r.series, 5000u);
    EXPECT_LE(series.capacity(), series.size() + series.size() / 8) << "long first lines: " << long_first;
  }
}

// Every target's family of one name points at the same header text.
TEST(ExpositionTest, HeadersAreSharedAcrossRenders) {
  Snapshot snap;
  snap.Add(metrics::queue_weight, {{"queue", "1"}}, 1);
  const Rendered a = Render(snap, "a");
  const Rendered b = Render(snap, "b");
  const std::string name(metrics::queue_weight.name);
  EXPECT_EQ(a.families.at(name).header.data(), b.families.at(name).header.data());
  EXPECT_EQ(a.families.at(name).header.substr(0, 31), "# HELP callcenter_queue_weight ");
}

TEST(ExpositionTest, ValuesAreShortestRoundTripText) {
  auto text = [](double v) {
    std::string out;
    text_format::AppendValue(out, v);
    return out;
  };
  EXPECT_EQ(text(3), "3");
  EXPECT_EQ(text(-0.5), "-0.5");
  EXPECT_EQ(text(0.1), "0.1");
  EXPECT_EQ(text(1e21), "1e+21");
  EXPECT_EQ(text(1700000000), "1700000000");
  EXPECT_EQ(text(-0.0), "0");
  EXPECT_EQ(text(1764500000.123), "1764500000.123");
  EXPECT_EQ(text(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(text(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(text(std::nan("")), "NaN");
  EXPECT_EQ(std::stod(text(0.1 + 0.2)), 0.1 + 0.2);
}

// A series as Prometheus sees it: name, labels by name, value.
using Series = std::tuple<std::string, std::map<std::string, std::string>, std::string>;

// Reads exposition text of the shapes both writers produce (no timestamps).
std::multiset<Series> ParseText(const std::string& text) {
  std::multiset<Series> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    const std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line[0] == '#') continue;
    std::size_t i = line.find_first_of("{ ");
    Series s{line.substr(0, i), {}, {}};
    if (line[i] == '{') {
      ++i;
      while (line[i] != '}') {
        const std::size_t eq = line.find('=', i);
        std::string name = line.substr(i, eq - i), value;
        for (i = eq + 2; line[i] != '"'; ++i) {
          if (line[i] == '\\')
            value += line[++i] == 'n' ? '\n' : line[i];
          else
            value += line[i];
        }
        std::get<1>(s)[name] = value;
        i += line[i + 1] == ',' ? 2 : 1;
      }
      ++i;
    }
    const double v = std::stod(line.substr(i + 1));
    std::get<2>(s) = std::isnan(v) ? "NaN" : std::to_string(v);
    out.insert(std::move(s));
  }
  return out;
}

std::string Serialized(const Snapshot& snap, std::string_view target) {
  std::vector<prometheus::MetricFamily> families;
  for (const auto& [name, family] : snap.families()) {
    prometheus::MetricFamily mf{
        std::string(family.def->name),
        std::string(family.def->help),
        family.def->type == MetricType::counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge,
        {}};
    for (const Sample& s : family.samples) {
      prometheus::ClientMetric m;
      m.label.push_back({"target", ValidUtf8(target)});
      for (const auto& [k, v] : s.labels) m.label.push_back({k, ValidUtf8(v)});
      (family.def->type == MetricType::counter ? m.counter.value : m.gauge.value) = s.value;
      mf.metric.push_back(std::move(m));
    }
    families.push_back(std::move(mf));
  }
  return prometheus::TextSerializer().Serialize(families);
}

std::string Joined(const Rendered& r) {
  std::string out;
  for (const auto& [name, f] : r.families) (out += f.header) += f.series;
  return out;
}

// Random snapshots: the writer's text is what prometheus-cpp's serializer
// writes, series for series and value for value, and promtool accepts it.
TEST(ExpositionTest, MatchesPrometheusCppSeriesForSeriesOnRandomSnapshots) {
  std::mt19937 rng(20261130);
  const std::string alphabet[] = {"a", "9", " ", "\"", "\\", "\n", "\xE4\xB8\xAD", "\xB0", "{", "=", ","};
  const double values[] = {0,
                           -1,
                           0.1,
                           1e300,
                           4294967295,
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(),
                           std::nan(""),
                           1.5e-7};
  const MetricDef* defs[] = {&metrics::queue_calls_waiting, &metrics::queue_calls_answered_total, &metrics::agent_state,
                             &metrics::queue_info};
  for (int round = 0; round < 200; ++round) {
    Snapshot snap;
    std::set<std::pair<const MetricDef*, std::string>> used;
    for (int i = 0; i < 20; ++i) {
      std::string value;
      for (int k = std::uniform_int_distribution(0, 6)(rng); k > 0; --k) value += alphabet[rng() % std::size(alphabet)];
      const MetricDef* def = defs[rng() % std::size(defs)];
      // Distinct after repair: duplicates are tested on their own above.
      if (!used.insert({def, ValidUtf8(value)}).second) continue;
      snap.Add(*def, {{"queue", value}}, values[rng() % std::size(values)]);
    }
    const Rendered r = Render(snap, "t\"1");
    ASSERT_EQ(r.duplicates_dropped, 0u);
    EXPECT_EQ(ParseText(Joined(r)), ParseText(Serialized(snap, "t\"1"))) << Joined(r);
  }
  // Families repeat across rounds: promtool wants each once, so check one round's text.
  const Rendered one = [&] {
    Snapshot snap;
    snap.Add(metrics::queue_info, {{"queue", "a\"b\\c\nd\xB0"}, {"name", "\xE4\xB8\xAD"}, {"strategy", ""}}, 1);
    snap.Add(metrics::queue_max_calls_waiting, {{"queue", "x"}}, std::numeric_limits<double>::infinity());
    snap.Add(metrics::queue_calls_answered_total, {{"queue", "x"}}, 1e21);
    return Render(snap, "hq");
  }();
  const std::string file = ::testing::TempDir() + "/exposition_promtool.prom";
  std::ofstream(file) << Joined(one);
  const int rc = std::system(("promtool check metrics < " + file + " > " + file + ".out 2>&1").c_str());
  std::ifstream in(file + ".out");
  const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << report << Joined(one);
}

}  // namespace
}  // namespace cc
