#pragma once

#include <string>
#include <vector>

#include "core/health.h"

namespace cc {

// The HTML of `GET /`: every target and collector with its state, last
// success and last error, and links to the other endpoints.
std::string RenderLandingPage(const std::vector<CollectorStatus>& status, const std::string& telemetry_path,
                              const std::string& version);

std::string HtmlEscape(std::string_view s);

}  // namespace cc
