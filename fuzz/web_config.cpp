// The --web.config.file text (exporter-toolkit format): a WebConfig or a
// ConfigError, nothing else. The file is named as if in tests/fixtures, so
// the seeds' relative certificate paths (tls/server.pem) load for real.
#include <string>

#include "config/config.h"
#include "fuzz_support.h"
#include "http/web_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)cc::http::ParseWebConfig(std::string(cc::fuzz::Text(data, size)), CC_FIXTURES "/web.yml");
  } catch (const cc::ConfigError&) {
    // The one way to refuse a web configuration; any other exception escapes and is a finding.
  }
  return 0;
}
