#include "tools/sim/vendor_sim.h"

#include <charconv>
#include <stdexcept>

namespace cc::sim {

http::Response JsonResponse(unsigned status, std::string body) {
  http::Response res;
  res.status = status;
  res.content_type = "application/json";
  res.body = std::move(body) + "\n";
  return res;
}

http::Response JsonError(unsigned status, std::string_view message) {
  return JsonResponse(status, R"({"error":")" + std::string(message) + "\"}");
}

std::int64_t IntSetting(const SimOptions& options, std::string_view vendor, const std::string& key,
                        std::int64_t fallback, std::int64_t min, std::int64_t max) {
  auto it = options.settings.find(key);
  if (it == options.settings.end()) return fallback;
  const std::string& v = it->second;
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || ptr != v.data() + v.size() || out < min || out > max) {
    throw std::invalid_argument(std::string(vendor) + "." + key + " must be an integer in " + std::to_string(min) +
                                ".." + std::to_string(max));
  }
  return out;
}

std::string StringSetting(const SimOptions& options, const std::string& key, std::string fallback) {
  auto it = options.settings.find(key);
  return it == options.settings.end() ? fallback : it->second;
}

void CheckSettings(const SimOptions& options, std::string_view vendor, const std::vector<std::string_view>& known) {
  for (const auto& [key, value] : options.settings) {
    bool ok = false;
    for (auto k : known) ok = ok || k == key;
    if (!ok) throw std::invalid_argument("unknown setting " + std::string(vendor) + "." + key);
  }
}

}  // namespace cc::sim
