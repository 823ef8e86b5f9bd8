// Placeholder until the huawei_cec simulator lands: owns no routes.

#include "tools/sim/vendor_sim.h"

namespace cc::sim {
namespace {

class HuaweiCecSim final : public VendorSim {
 public:
  std::string_view name() const override { return "huawei_cec"; }
  std::string Describe() const override { return ""; }
  bool Owns(const http::Request&) const override { return false; }
  http::Response Handle(const http::Request&) override { return JsonError(404, "not simulated yet"); }
  void Advance(std::chrono::milliseconds) override {}
  void SetPaused(bool) override {}
  std::string StateJson() const override { return "{}"; }
  std::optional<http::Response> Control(std::string_view, const http::Request&) override { return std::nullopt; }
};

}  // namespace

std::unique_ptr<VendorSim> MakeHuaweiCecSim(const SimOptions& options) {
  CheckSettings(options, "huawei_cec", {});
  return std::make_unique<HuaweiCecSim>();
}

}  // namespace cc::sim
