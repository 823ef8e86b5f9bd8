#pragma once

#include <string>
#include <vector>

#include "core/health.h"

namespace cc {

// The HTML of `GET /`: every target and collector with its state, last
// success and last error, and links to the other endpoints. `scope`, if not
// empty, is a sentence on which of the configured targets this process serves
// (--shard), shown above the table.
std::string RenderLandingPage(const std::vector<CollectorStatus>& status, const std::string& telemetry_path,
                              const std::string& version, const std::string& scope = "");

std::string HtmlEscape(std::string_view s);

}  // namespace cc
