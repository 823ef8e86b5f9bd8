#pragma once
// Hashes whose values are part of the exporter's behaviour: they decide the
// phase at which each collector polls (Scheduler) and which --shard serves a
// target (core/shard.h). They must give the same value in every build, on
// every machine and in every release: a different value moves targets between
// replicas in production. std::hash promises none of that.
//
// Pure functions of their arguments; thread-safe.

#include <cstdint>
#include <string_view>

namespace cc {

// 64-bit FNV-1a of the bytes of `s` (offset basis 14695981039346656037, prime
// 1099511628211; draft-eastlake-fnv). The hash Prometheus spreads its scrape
// offsets with (Target.hash in scrape/target.go).
constexpr std::uint64_t Fnv1a64(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// Prometheus' relabel action `hashmod` on a source label of value `s`
// (model/relabel/relabel.go): the last 8 bytes of the MD5 (RFC 1321) of `s`,
// read big-endian, modulo `modulus`. Equal to what Prometheus computes, so a
// hashmod relabelling with the same modulus picks the same targets as
// --shard. `modulus` must be > 0.
std::uint64_t HashMod(std::string_view s, std::uint64_t modulus);

}  // namespace cc
