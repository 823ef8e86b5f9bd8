#pragma once
// Snapshot → prometheus-cpp MetricFamily → exposition text, done once per poll
// (not per scrape). The text is kept per family so that a scrape can merge the
// families of all targets with one HELP/TYPE each.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

#include "model/snapshot.h"

namespace cc {

struct RenderedFamily {
  std::string header;  // "# HELP …\n# TYPE …\n"
  std::string series;  // the sample lines, each ending in '\n'
};

struct Rendered {
  std::map<std::string, RenderedFamily, std::less<>> families;
  std::size_t series = 0;
  std::size_t duplicates_dropped = 0;  // same labels twice in one family
};

// Adds `target` as the first label of every sample. Label values that are not
// valid UTF-8 are repaired (U+FFFD), duplicate series are dropped.
Rendered Render(const Snapshot& snapshot, std::string_view target);

// One family as prometheus-cpp sees it (exposed for tests and tools).
prometheus::MetricFamily ToMetricFamily(const FamilySamples& family, std::string_view target);

// Repairs invalid UTF-8 with U+FFFD; valid input is returned unchanged.
std::string ValidUtf8(std::string_view s);

// Splits serialized text of ONE family into its header and its series lines.
RenderedFamily SplitFamilyText(const std::string& text);

}  // namespace cc
