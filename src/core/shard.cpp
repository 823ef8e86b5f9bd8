#include "core/shard.h"

#include <algorithm>
#include <charconv>

#include "core/stable_hash.h"

namespace cc {
namespace {

// A decimal whole number, nothing else (no sign, no space, no overflow).
bool ParseNumber(std::string_view s, std::uint64_t& out) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::uint64_t Shard::Of(std::string_view target) const { return HashMod(target, count); }

std::string Shard::ToString() const { return std::to_string(index) + "/" + std::to_string(count); }

Result<Shard> ParseShard(std::string_view text) {
  const auto slash = text.find('/');
  Shard shard;
  if (slash == std::string_view::npos || !ParseNumber(text.substr(0, slash), shard.index) ||
      !ParseNumber(text.substr(slash + 1), shard.count)) {
    return MakeError(Reason::parse, "\"" + std::string(text) + "\" is not I/N (two whole numbers, e.g. 0/3)");
  }
  if (shard.count == 0) return MakeError(Reason::parse, "N must be at least 1, got " + shard.ToString());
  if (shard.index >= shard.count) {
    return MakeError(Reason::parse, "I must be below N (shards are numbered 0 to N-1), got " + shard.ToString());
  }
  return shard;
}

Config TargetsOfShard(const Config& config, const Shard& shard) {
  Config out;
  out.file = config.file;
  out.global = config.global;
  for (const TargetConfig& t : config.targets) {
    if (shard.Serves(t.name)) out.targets.push_back(t);
  }
  return out;
}

}  // namespace cc
