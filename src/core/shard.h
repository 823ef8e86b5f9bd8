#pragma once
// --shard=i/n (docs/design.md "Scale-out"): n exporters on one configuration
// split its targets between them, each polling and serving only its own, so
// that together they serve every target exactly once. A target belongs to
// shard HashMod(name, n) (core/stable_hash.h): Prometheus' hashmod of the
// name, so a Prometheus server that keeps `hashmod(__param_target, n) == i`
// (deploy/prometheus/prometheus-probe-sharded.yml) finds its targets on shard i.
//
// Plain values and pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "config/config.h"

namespace cc {

struct Shard {
  std::uint64_t index = 0;  // 0-based, < count
  std::uint64_t count = 1;  // >= 1; 1 (the default) serves every target

  bool sharded() const { return count > 1; }
  // The shard that serves `target` among `count`.
  std::uint64_t Of(std::string_view target) const;
  bool Serves(std::string_view target) const { return Of(target) == index; }
  std::string ToString() const;  // "i/n"
};

// "i/n", two decimal whole numbers with 0 <= i < n. Errors (Reason::parse)
// say what is wrong with `text`, for the command line's message.
Result<Shard> ParseShard(std::string_view text);

// `config` with only the targets `shard` serves, in their order.
Config TargetsOfShard(const Config& config, const Shard& shard);

}  // namespace cc
