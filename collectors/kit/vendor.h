#pragma once
// What a vendor plugs in (docs/adding-a-vendor.md): its name, a reader of its
// own configuration keys, and a builder of its collectors. collectors/registry.cpp
// lists every VendorDef.

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "collectors/kit/collector.h"
#include "config/config.h"

namespace cc {

struct VendorDef {
  // The `vendor:` value of a target; also the name of its folder.
  std::string_view name;
  // Reads the vendor's own keys of one target into its options (a type derived
  // from VendorOptions). Runs at load time; throws ConfigError via node.Fail.
  VendorKeys::Read read;
  // Builds the target's collectors from TargetConfig::options (which `read`
  // made). Runs when the target starts: no I/O, no throw. The collectors of a
  // target share whatever state this creates (a session).
  std::function<std::vector<std::shared_ptr<Collector>>(const TargetConfig&)> build;

  VendorKeys Keys() const { return VendorKeys{name, read}; }
};

// The configuration side of `vendors`, for the config loader.
inline std::vector<VendorKeys> KeysOf(std::span<const VendorDef> vendors) {
  std::vector<VendorKeys> keys;
  for (const VendorDef& v : vendors) keys.push_back(v.Keys());
  return keys;
}

// The options `read` made for `target`. A mismatch is a programming error
// (std::bad_cast).
template <class Options>
const Options& OptionsOf(const TargetConfig& target) {
  if (!target.options) throw std::bad_cast();
  return dynamic_cast<const Options&>(*target.options);
}

}  // namespace cc
