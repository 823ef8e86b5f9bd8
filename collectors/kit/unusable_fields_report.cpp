#include "collectors/kit/unusable_fields_report.h"

#include <algorithm>

#include "common/log.h"

namespace cc::kit {

std::string FieldList(UnusableFields fields, std::size_t max_bytes) {
  std::sort(fields.begin(), fields.end());
  fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
  std::string out;
  for (const std::string& f : fields) {
    if (out.size() >= max_bytes) break;
    out += (out.empty() ? "" : " ") + f;
  }
  if (out.size() > max_bytes) out.replace(max_bytes, std::string::npos, "...");
  return out;
}

bool UnusableFieldsReport::Report(const PollContext& ctx, std::string_view collector, UnusableFields fields,
                                  Clock::time_point now) {
  const std::size_t count = [&] {
    std::sort(fields.begin(), fields.end());
    return static_cast<std::size_t>(std::unique(fields.begin(), fields.end()) - fields.begin());
  }();
  std::string list = FieldList(std::move(fields), kMaxFieldBytes);
  if (list == logged_) return false;
  // A set that changes on every poll (a row index in the names) is worth one
  // line per interval, not one per poll; the first change and the recovery
  // are always logged.
  const bool recovered = list.empty();
  if (!recovered && !logged_.empty() && now - logged_at_ < kMinInterval) return false;
  logged_ = std::move(list);
  logged_at_ = now;
  if (recovered) {
    log::Info("all fields understood again",
              {{"vendor", ctx.target.vendor}, {"target", ctx.target.name}, {"collector", collector}});
  } else {
    log::Warn("fields not understood, their series are skipped", {{"vendor", ctx.target.vendor},
                                                                  {"target", ctx.target.name},
                                                                  {"collector", collector},
                                                                  {"count", count},
                                                                  {"fields", logged_}});
  }
  return true;
}

}  // namespace cc::kit
