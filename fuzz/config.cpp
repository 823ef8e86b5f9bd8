// The daemon configuration (YAML text) with every vendor's keys: a Config or
// a ConfigError, nothing else (docs/design.md "Configuration").
#include <string>

#include "collectors/registry.h"
#include "config/config.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)cc::ParseConfig(std::string(cc::fuzz::Text(data, size)), "/nonexistent/fuzz.yaml", cc::AllVendorKeys());
  } catch (const cc::ConfigError&) {
    // The one way to refuse a configuration; any other exception escapes and is a finding.
  }
  return 0;
}
