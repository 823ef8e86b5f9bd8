#pragma once

#include "collectors/kit/vendor.h"

namespace cc::ucontact {

// vendor: ucontact — collectors `queue_summary` and `campaign_status`
// (see docs/vendors/api/ucontact.md and docs/vendors/ucontact.md).
VendorDef Vendor();

}  // namespace cc::ucontact
