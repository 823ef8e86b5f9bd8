// Placeholder until the ucontact simulator lands: owns no routes.

#include "tools/sim/vendor_sim.h"

namespace cc::sim {
namespace {

class UcontactSim final : public VendorSim {
 public:
  std::string_view name() const override { return "ucontact"; }
  std::string Describe() const override { return ""; }
  bool Owns(const http::Request&) const override { return false; }
  http::Response Handle(const http::Request&) override { return JsonError(404, "not simulated yet"); }
  void Advance(std::chrono::milliseconds) override {}
  void SetPaused(bool) override {}
  std::string StateJson() const override { return "{}"; }
  std::optional<http::Response> Control(std::string_view, const http::Request&) override { return std::nullopt; }
};

}  // namespace

std::unique_ptr<VendorSim> MakeUcontactSim(const SimOptions& options) {
  CheckSettings(options, "ucontact", {});
  return std::make_unique<UcontactSim>();
}

}  // namespace cc::sim
