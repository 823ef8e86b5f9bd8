// Huawei CEC monitoring answers → each of the four models → snapshots →
// exposition text. One input goes through every parser: the fixtures of one
// are good mutations for the others (same envelope, shared field names).
#include <chrono>

#include "collectors/huawei_cec/parse.h"
#include "fuzz_support.h"
#include "render_checked.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cc::huawei_cec;
  using cc::fuzz::RenderChecked;
  const std::string_view body = cc::fuzz::Text(data, size);
  const SnapshotOptions options{.agent_metrics = true,
                                .now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000))};
  UnusableFields unusable;
  if (auto agents = ParseSkillAgents(body, &unusable); agents.ok()) {
    RenderChecked(BuildAgentsSnapshot({SkillAgents{"1", *agents}, SkillAgents{"2", *agents}}, options));
  }
  if (auto status = ParseSkillStatus(body, &unusable); status.ok()) RenderChecked(BuildSkillStatusSnapshot(*status));
  if (auto stats = ParseCallStats(body, &unusable); stats.ok()) RenderChecked(BuildCallStatsSnapshot(*stats));
  if (auto rest = ParseRestInfo(body, &unusable); rest.ok()) RenderChecked(BuildRestSnapshot(*rest, options));
  return 0;
}
