#include <stdexcept>

#include "tools/sim/vendor_sim.h"

namespace cc::sim {
namespace {

struct Factory {
  std::string_view vendor;
  std::unique_ptr<VendorSim> (*make)(const SimOptions&);
};

// One line per simulated vendor; the order is /_sim/state's.
constexpr Factory kFactories[] = {
    {"mixcall", mixcall::MakeSim},
    {"huawei_cec", huawei_cec::MakeSim},
    {"yunhu", yunhu::MakeSim},
    {"ucontact", ucontact::MakeSim},
};

}  // namespace

std::vector<std::unique_ptr<VendorSim>> MakeVendorSims(
    SimOptions common, const std::map<std::string, std::map<std::string, std::string>>& settings) {
  for (const auto& [vendor, values] : settings) {
    bool known = false;
    for (const auto& f : kFactories) known = known || f.vendor == vendor;
    if (!known) throw std::invalid_argument("unknown vendor \"" + vendor + "\" in --set");
  }
  std::vector<std::unique_ptr<VendorSim>> out;
  for (const auto& f : kFactories) {
    SimOptions options = common;
    auto it = settings.find(std::string(f.vendor));
    options.settings = it == settings.end() ? std::map<std::string, std::string>{} : it->second;
    out.push_back(f.make(options));
  }
  return out;
}

}  // namespace cc::sim
