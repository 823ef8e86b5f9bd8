// yunhu PhalApi answers (login, GetQueueSipStatus) → rows → snapshot →
// exposition text, and the wall-clock time and zone readers.
#include <string>
#include <vector>

#include "collectors/yunhu/parse.h"
#include "fuzz_support.h"
#include "render_checked.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cc::yunhu;
  const std::string_view body = cc::fuzz::Text(data, size);
  (void)ParseLogin(body);
  for (int offset : {0, 8 * 3600, -(3 * 3600 + 1800)}) {
    auto reply = ParseRows(body, offset);
    if (!reply.result.ok()) continue;
    auto& rows = reply.result->rows;
    cc::fuzz::RenderChecked(BuildSnapshot(rows, BuildOptions{}));
    const std::vector<std::string> queues{"queue-1", ""};
    KeepQueues(rows, queues);
    cc::fuzz::RenderChecked(BuildSnapshot(rows, BuildOptions{.agent_metrics = false, .queues = queues}));
  }
  (void)ParseLocalTime(body, 8 * 3600);
  (void)IsNeverTime(body);
  (void)ParseUtcOffset(body);
  return 0;
}
