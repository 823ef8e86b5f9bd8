#include "core/build_info.h"

namespace cc {
namespace {

std::string Compiler() {
#if defined(__clang__)
  return "clang " + std::string(__clang_version__).substr(0, std::string_view(__clang_version__).find(' '));
#elif defined(__GNUC__)
  return "gcc " + std::string(__VERSION__).substr(0, std::string_view(__VERSION__).find(' '));
#else
  return "unknown";
#endif
}

}  // namespace

std::vector<std::pair<std::string, std::string>> BuildInfo::Fields() const {
  return {{"version", version},       {"revision", revision}, {"branch", branch},
          {"build_date", build_date}, {"compiler", compiler}, {"platform", platform}};
}

const BuildInfo& ThisBuild() {
  static const BuildInfo build{CC_VERSION, CC_REVISION, CC_BRANCH, CC_BUILD_DATE, Compiler(), CC_PLATFORM};
  return build;
}

std::string VersionText(const BuildInfo& b) {
  return "callcenter_exporter, version " + b.version + " (branch: " + b.branch + ", revision: " + b.revision +
         ")\n  build date:       " + b.build_date + "\n  compiler:         " + b.compiler +
         "\n  platform:         " + b.platform + "\n";
}

}  // namespace cc
