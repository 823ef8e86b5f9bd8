// What one poll costs beside parsing its body and nothing else: a MixCall
// `queueinfo` body (a file, e.g. fetched from the simulator by bench/scale.sh)
// through the exporter's pipeline (ParseQueues → BuildSnapshot → Render with the
// gzip pieces, as core/scheduler.cpp does) against a bare RapidJSON DOM parse of the
// same bytes, the floor of any JSON exporter. Google Benchmark, MB/s of body.
//
//   poll_pipeline_bench BODY_FILE [--benchmark_… flags]

#include <benchmark/benchmark.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "collectors/mixcall/parse.h"
#include "core/exposition.h"

namespace cc {
namespace {

std::string& Body() {
  static std::string body;
  return body;
}

void BM_RapidJsonDom(benchmark::State& state) {
  for (auto _ : state) {
    rapidjson::Document doc;
    doc.Parse(Body().data(), Body().size());
    if (doc.HasParseError()) state.SkipWithError("the body is not JSON");
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Body().size()));
}

// Parse only: the body into queues and agents (RapidJSON DOM underneath).
void BM_ParseQueues(benchmark::State& state) {
  for (auto _ : state) {
    auto queues = mixcall::ParseQueues(Body());
    if (!queues) state.SkipWithError("the body is not a queueinfo answer");
    benchmark::DoNotOptimize(queues);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Body().size()));
}

// The whole poll after the body has arrived; range(0) is the deflate level of the pieces.
void BM_PollPipeline(benchmark::State& state) {
  const int level = static_cast<int>(state.range(0));
  std::size_t series = 0, text = 0;
  for (auto _ : state) {
    auto queues = mixcall::ParseQueues(Body());
    if (!queues) {
      state.SkipWithError("the body is not a queueinfo answer");
      break;
    }
    const Snapshot snap = mixcall::BuildSnapshot(*queues, {});
    const Rendered rendered = Render(snap, "site", {.deflate_level = level});
    series = rendered.series;
    text = 0;
    for (const auto& [name, family] : rendered.families) text += family.header.size() + family.series.size();
    benchmark::DoNotOptimize(rendered);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Body().size()));
  state.counters["series"] = static_cast<double>(series);
  state.counters["text_bytes"] = static_cast<double>(text);
}

BENCHMARK(BM_RapidJsonDom)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseQueues)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PollPipeline)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cc

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: poll_pipeline_bench BODY_FILE [--benchmark_… flags]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  cc::Body().assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (cc::Body().empty()) {
    std::fprintf(stderr, "cannot read %s or it is empty\n", argv[1]);
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
