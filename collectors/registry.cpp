#include "collectors/registry.h"

#include "collectors/mixcall/collector.h"

namespace cc {

std::span<const VendorDef> AllVendors() {
  static const VendorDef kVendors[] = {
      mixcall::Vendor(),
  };
  return kVendors;
}

}  // namespace cc
