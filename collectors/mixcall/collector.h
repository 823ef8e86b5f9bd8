#pragma once

#include "core/collector.h"

namespace cc::mixcall {

// vendor: mixcall — collector `queueinfo` (see docs/vendors/api/mixcall.md).
VendorDef Vendor();

}  // namespace cc::mixcall
