#pragma once
// One simulated vendor: its model, its API routes, its part of /_sim/state
// and its own control routes. main.cpp owns the clock, the listeners, the
// faults and pause; every vendor gets the same ticks.
//
// Thread safety: every method may be called from any thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"

namespace cc::sim {

struct SimOptions {
  int queues = 3;  // queues / skills / campaigns per vendor
  int agents = 5;  // agents per queue
  std::uint64_t seed = 1;
  // This vendor's `--set VENDOR.KEY=VALUE` flags, by KEY.
  std::map<std::string, std::string> settings;
};

class VendorSim {
 public:
  virtual ~VendorSim() = default;

  // The `vendor:` name of the exporter's config; also the key in /_sim/state
  // and the prefix of this vendor's control routes (/_sim/NAME/ROUTE).
  virtual std::string_view name() const = 0;
  // Route lines for the simulator's landing page.
  virtual std::string Describe() const = 0;

  // Whether the request is for this vendor's API (faults apply to those).
  virtual bool Owns(const http::Request& req) const = 0;
  virtual http::Response Handle(const http::Request& req) = 0;

  // Moves the model's clock; nothing moves while paused.
  virtual void Advance(std::chrono::milliseconds dt) = 0;
  virtual void SetPaused(bool paused) = 0;

  // This vendor's value in /_sim/state (a JSON object, plain numbers).
  virtual std::string StateJson() const = 0;
  // POST /_sim/NAME/ROUTE; nullopt: no such route (404).
  virtual std::optional<http::Response> Control(std::string_view route, const http::Request& req) = 0;
};

// A JSON response (the body gets a trailing newline) and a JSON error.
http::Response JsonResponse(unsigned status, std::string body);
http::Response JsonError(unsigned status, std::string_view message);

// The value of an integer setting in [min, max], `fallback` when absent;
// throws std::invalid_argument naming VENDOR.KEY when malformed.
std::int64_t IntSetting(const SimOptions& options, std::string_view vendor, const std::string& key,
                        std::int64_t fallback, std::int64_t min, std::int64_t max);
std::string StringSetting(const SimOptions& options, const std::string& key, std::string fallback);
// Throws std::invalid_argument naming the first setting not in `known`.
void CheckSettings(const SimOptions& options, std::string_view vendor, const std::vector<std::string_view>& known);

// Every simulated vendor, in a fixed order. `settings` is keyed by vendor
// name; throws std::invalid_argument on an unknown vendor or setting.
std::vector<std::unique_ptr<VendorSim>> MakeVendorSims(
    SimOptions common, const std::map<std::string, std::map<std::string, std::string>>& settings);

// One factory per vendor (tools/sim/<vendor>/sim.cpp), in the vendor's namespace.
namespace mixcall {
std::unique_ptr<VendorSim> MakeSim(const SimOptions& options);
}  // namespace mixcall
namespace huawei_cec {
std::unique_ptr<VendorSim> MakeSim(const SimOptions& options);
}  // namespace huawei_cec
namespace yunhu {
std::unique_ptr<VendorSim> MakeSim(const SimOptions& options);
}  // namespace yunhu
namespace ucontact {
std::unique_ptr<VendorSim> MakeSim(const SimOptions& options);
}  // namespace ucontact

}  // namespace cc::sim
