#pragma once
// The one "fields not understood" log line of every vendor: what a poll's
// FieldReaders recorded as unusable, logged when the set of fields changes
// (not on every poll), at most once per kMinInterval per collector while it
// keeps changing, and once more when every field is understood again.
// One report per collector; not thread-safe (the collector's strand).

#include <chrono>
#include <string>
#include <string_view>

#include "collectors/kit/collector.h"
#include "collectors/kit/field_reader.h"

namespace cc::kit {

class UnusableFieldsReport {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::minutes kMinInterval{5};
  static constexpr std::size_t kMaxFieldBytes = 400;  // of the field list in one line

  // After each successful poll, with everything its readers recorded (any
  // order, repeats allowed). Returns whether a line was logged.
  bool Report(const PollContext& ctx, std::string_view collector, UnusableFields fields,
              Clock::time_point now = Clock::now());

 private:
  std::string logged_;  // the field list last logged ("" = all understood)
  Clock::time_point logged_at_{};
};

// "a b c", sorted, without repeats, cut at `max_bytes` with "...".
std::string FieldList(UnusableFields fields, std::size_t max_bytes);

}  // namespace cc::kit
