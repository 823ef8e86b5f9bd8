#pragma once

#include "collectors/kit/vendor.h"

namespace cc::mixcall {

// vendor: mixcall — collector `queueinfo` (see docs/vendors/mixcall.md).
VendorDef Vendor();

}  // namespace cc::mixcall
