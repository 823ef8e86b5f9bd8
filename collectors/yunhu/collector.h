#pragma once

#include "core/collector.h"

namespace cc::yunhu {

// vendor: yunhu — collector `queue_sip_status` (see ../shared/vendors/yunhu.md).
VendorDef Vendor();

}  // namespace cc::yunhu
