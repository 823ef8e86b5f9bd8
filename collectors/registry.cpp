#include "collectors/registry.h"

#include <vector>

#include "collectors/huawei_cec/collector.h"
#include "collectors/mixcall/collector.h"
#include "collectors/ucontact/collector.h"
#include "collectors/yunhu/collector.h"

namespace cc {

std::span<const VendorDef> AllVendors() {
  static const VendorDef kVendors[] = {
      mixcall::Vendor(),
      huawei_cec::Vendor(),
      yunhu::Vendor(),
      ucontact::Vendor(),
  };
  return kVendors;
}

std::span<const VendorKeys> AllVendorKeys() {
  static const std::vector<VendorKeys> kKeys = KeysOf(AllVendors());
  return kKeys;
}

}  // namespace cc
