#pragma once
// What a vendor plugs in: a name and a builder of its collectors. Kept free of
// Asio so the config loader can use it without the HTTP stack.

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace cc {

class Collector;
class ConfigNode;
struct TargetConfig;

struct VendorDef {
  std::string_view name;
  // Reads the vendor's own keys of a target (queues, auth, …) from `node` and
  // builds its collectors. Throws ConfigError (via node.Fail) on bad input.
  std::function<std::vector<std::shared_ptr<Collector>>(const TargetConfig&, ConfigNode& node)> build;
};

}  // namespace cc
