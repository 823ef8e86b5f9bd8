#pragma once
// The one check every vendor fuzzer makes on a parser's output (links cc_fuzz_render).
#include <cstdlib>

#include "core/exposition.h"
#include "model/snapshot.h"

namespace cc::fuzz {

// A snapshot made from any bytes must render (UTF-8 repair, escaping, number
// text) and every sample must be written or counted as a duplicate.
inline void RenderChecked(const Snapshot& snapshot) {
  const Rendered rendered = Render(snapshot, "fuzz");
  if (rendered.series + rendered.duplicates_dropped != snapshot.SampleCount()) std::abort();
}

}  // namespace cc::fuzz
