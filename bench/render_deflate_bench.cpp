// What keeping gzip pieces costs a poll: Render() of ~100,000 series with
// deflate_level 0 (no pieces: the baseline), 1 and 6, and the bytes kept per series.
// Google Benchmark; built with -DCC_BUILD_BENCH=ON (bench/README.md).

#include <benchmark/benchmark.h>

#include <string>

#include "core/exposition.h"
#include "model/metrics.h"

namespace cc {
namespace {

// 70 queues of 100 agents, the shape of the simulator's MixCall site in
// bench/gzip_scrape.sh: 9 state series per agent and a few more per agent and queue.
Snapshot SiteSnapshot() {
  Snapshot snap;
  for (int q = 0; q < 70; ++q) {
    const std::string queue = std::to_string(9000 + q);
    snap.Add(metrics::queue_calls_waiting, {{"queue", queue}}, q % 7);
    snap.Add(metrics::queue_longest_wait_seconds, {{"queue", queue}}, q * 3.5);
    for (int a = 0; a < 100; ++a) {
      const std::string agent = std::to_string(100000 + q * 100 + a);
      const auto state = kAllAgentStates[(q + a) % kAllAgentStates.size()];
      metrics::AddAgentState(snap, agent, state);
      snap.Add(metrics::agent_info, {{"agent", agent}, {"group", "g" + queue}, {"media", "voice"}}, 1);
      snap.Add(metrics::agent_status_code, {{"agent", agent}}, (q + a) % 9);
      snap.Add(metrics::agent_state_since_timestamp_seconds, {{"agent", agent}}, 1764561600 + q * 100 + a);
      snap.Add(metrics::queue_member_info, {{"queue", queue}, {"agent", agent}}, 1);
      snap.Add(metrics::queue_member_in_call, {{"queue", queue}, {"agent", agent}}, a % 2);
    }
  }
  return snap;
}

void BM_Render(benchmark::State& state) {
  static const Snapshot snap = SiteSnapshot();
  const auto level = static_cast<int>(state.range(0));
  Rendered last;
  for (auto _ : state) {
    Rendered r = Render(snap, "site", {.deflate_level = level});
    benchmark::DoNotOptimize(r);
    last = std::move(r);
  }
  double text = 0, kept = 0, pieces = 0;
  for (const auto& [name, family] : last.families) {
    text += static_cast<double>(family.series.size());
    if (family.series_deflated) {
      // The heap bytes and the optional's own; the text's capacity is the baseline's too.
      kept += static_cast<double>(family.series_deflated->data.capacity() + sizeof(DeflatePiece));
      ++pieces;
    }
  }
  const auto series = static_cast<double>(last.series);
  state.counters["series"] = series;
  state.counters["text_B_per_series"] = text / series;
  state.counters["kept_B_per_series"] = kept / series;
  state.counters["pieces"] = pieces;
}
BENCHMARK(BM_Render)->Arg(0)->Arg(1)->Arg(6)->Unit(benchmark::kMillisecond)->MinTime(2);

}  // namespace
}  // namespace cc

BENCHMARK_MAIN();
