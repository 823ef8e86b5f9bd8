#pragma once
// Snapshot → exposition text, done once per poll (not per scrape), with the
// text format writer (core/text_format.h). The text is kept per family so
// that a scrape can merge the families of all targets with one HELP/TYPE each.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/gzip.h"
#include "model/snapshot.h"

namespace cc {

struct RenderedFamily {
  // "# HELP …\n# TYPE …\n", formatted once per process and shared by every target's
  // family of that name (a copy each was 5 MB at 1,000 targets); valid until exit.
  std::string_view header;
  std::string series;  // the sample lines, each ending in '\n'
  // `series` deflated once for every gzip scrape until the next poll (a piece of their
  // stream, http/gzip.h); none when that would not be shorter than `series` itself,
  // which a gzip scrape then copies into stored blocks.
  std::optional<DeflatePiece> series_deflated;
};

struct Rendered {
  std::map<std::string, RenderedFamily, std::less<>> families;
  std::size_t series = 0;
  std::size_t duplicates_dropped = 0;  // same label set twice in one family
  std::size_t too_long_dropped = 0;    // a label value over the length limit
  std::string too_long_label;          // the first such label's name, for the log
};

// What a target's configuration decides of its output (config.h PollSettings).
struct RenderOptions {
  // Bytes; 0: no limit.
  std::size_t label_value_length_limit = 0;
  // The descriptive labels callcenter_agent_info keeps (agent_labels); null: all.
  const std::vector<std::string>* agent_labels = nullptr;
  // zlib level of RenderedFamily::series_deflated; 0: none made. Level 6 would keep 11%
  // fewer bytes for about 4× level 1's time (bench/RESULTS.md, gzip_scrape.sh section).
  int deflate_level = 1;
};

// Adds `target` as the first label of every sample. Label values that are not
// valid UTF-8 are repaired (U+FFFD). callcenter_agent_info loses (not blanks)
// every label but `agent` that `options.agent_labels` does not name. A sample whose
// label set (in any order) was already written in its family is dropped and counted:
// Prometheus would refuse the whole scrape for it. So is a sample with a label value
// longer than `label_value_length_limit` bytes (Prometheus' scrape setting of that
// name fails the whole scrape instead): one runaway id must not be copied into every
// series of its row. Each family's series are also deflated (`deflate_level`). Pure;
// thread-safe.
Rendered Render(const Snapshot& snapshot, std::string_view target, const RenderOptions& options = {});

}  // namespace cc
