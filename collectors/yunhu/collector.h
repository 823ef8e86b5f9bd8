#pragma once

#include "collectors/kit/vendor.h"

namespace cc::yunhu {

// vendor: yunhu — collector `queue_sip_status` (see docs/vendors/api/yunhu.md).
VendorDef Vendor();

}  // namespace cc::yunhu
