// uContact answers (login token, queuesummary, campaignstatus) → models →
// snapshots → exposition text.
#include "collectors/ucontact/parse.h"
#include "fuzz_support.h"
#include "render_checked.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cc::ucontact;
  using cc::fuzz::RenderChecked;
  const std::string_view body = cc::fuzz::Text(data, size);
  UnusableFields unusable;
  (void)ParseToken(body);
  if (auto queues = ParseQueueSummary(body, &unusable); queues.ok()) RenderChecked(BuildQueueSummarySnapshot(*queues));
  for (std::string_view asked : {"", "Sales->"}) {
    if (auto status = ParseCampaignStatus(body, asked, &unusable); status.ok()) {
      for (bool agents : {true, false}) RenderChecked(BuildCampaignSnapshot(*status, ParseOptions{agents}));
    }
  }
  (void)ParseDurationCount(body);
  (void)ResourceTarget(body, "Supervisor/queuesummary");
  return 0;
}
