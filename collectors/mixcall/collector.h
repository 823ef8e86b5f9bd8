#pragma once

#include "core/collector.h"

namespace cc::mixcall {

// vendor: mixcall — collector `queueinfo` (see ../shared/vendors/mixcall.md).
VendorDef Vendor();

}  // namespace cc::mixcall
