// Compiled by the VendorsCannotIncludeTheCore test, which expects it to fail:
// a vendor library links the kit, and the daemon core's headers must be out
// of its reach (cmake/Layering.cmake). The kit's own headers must resolve.
#include "collectors/kit/vendor.h"
#include "core/app.h"
