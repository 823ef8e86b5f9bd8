#pragma once
// Snapshot → exposition text, done once per poll (not per scrape), with the
// text format writer (core/text_format.h). The text is kept per family so
// that a scrape can merge the families of all targets with one HELP/TYPE each.

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "model/snapshot.h"

namespace cc {

struct RenderedFamily {
  std::string header;  // "# HELP …\n# TYPE …\n"
  std::string series;  // the sample lines, each ending in '\n'
};

struct Rendered {
  std::map<std::string, RenderedFamily, std::less<>> families;
  std::size_t series = 0;
  std::size_t duplicates_dropped = 0;  // same label set twice in one family
};

// Adds `target` as the first label of every sample. Label values that are not
// valid UTF-8 are repaired (U+FFFD). A sample whose label set (in any order)
// was already written in its family is dropped and counted: Prometheus would
// refuse the whole scrape for it. Pure; thread-safe.
Rendered Render(const Snapshot& snapshot, std::string_view target);

}  // namespace cc
