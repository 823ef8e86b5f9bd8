#pragma once
// Every vendor the exporter knows; adding a vendor adds one line in
// registry.cpp (docs/adding-a-vendor.md). The lists are built once and never
// change: thread-safe.

#include <span>

#include "collectors/kit/vendor.h"

namespace cc {

std::span<const VendorDef> AllVendors();
// The configuration side of AllVendors(), for the config loader.
std::span<const VendorKeys> AllVendorKeys();

}  // namespace cc
