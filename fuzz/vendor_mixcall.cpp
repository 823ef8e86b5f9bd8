// MixCall queueinfo bytes → queues → snapshot → exposition text.
#include <string>
#include <vector>

#include "collectors/mixcall/parse.h"
#include "fuzz_support.h"
#include "render_checked.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cc::mixcall;
  const std::string_view body = cc::fuzz::Text(data, size);
  std::vector<std::string> repairs;
  auto queues = ParseQueues(body, &repairs);
  if (queues.ok()) {
    const std::vector<std::string> wanted{"90"};
    for (bool agents : {true, false}) cc::fuzz::RenderChecked(BuildSnapshot(*queues, ParseOptions{agents}));
    KeepQueues(*queues, wanted);
    cc::fuzz::RenderChecked(BuildSnapshot(*queues, ParseOptions{}));
  }
  (void)ParseWaitSeconds(body);
  (void)StrategyName(body);
  (void)QueueInfoTarget(body, body);
  return 0;
}
