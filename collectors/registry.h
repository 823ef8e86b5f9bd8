#pragma once

#include <span>

#include "core/collector.h"

namespace cc {

// Every vendor the exporter knows; adding a vendor adds one line in registry.cpp.
std::span<const VendorDef> AllVendors();

}  // namespace cc
