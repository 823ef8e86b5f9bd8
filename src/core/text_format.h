#pragma once
// Writing the Prometheus text exposition format, version 0.0.4, directly into
// a string: the one writer for vendor series and the exporter's own health
// series. Pure functions, thread-safe.
//
// Rules (Prometheus "Exposition formats", text format): HELP text escapes
// `\` and newline; label values escape `\`, `"` and newline; values are Go
// float syntax, here the shortest text that reads back as the same double,
// with +Inf, -Inf and NaN spelled so. Label values must be UTF-8: invalid
// sequences (also overlong forms and surrogates, which Prometheus refuses) are
// replaced by U+FFFD.

#include <cstdint>
#include <string>
#include <string_view>

#include "model/snapshot.h"

namespace cc::text_format {

// "# HELP <name> <help>\n# TYPE <name> gauge|counter\n".
void AppendHeader(std::string& out, const MetricDef& def);

// `v` between quotes, escaped and UTF-8-repaired.
void AppendLabelValue(std::string& out, std::string_view v);

// 3, 1700000000, 0.875, 1e+21, +Inf, -Inf, NaN: whole numbers below 1e15 as
// integers, others in the shortest form that reads back as the same double.
void AppendValue(std::string& out, double v);

// `name{target="…",k="v",…} value\n`, labels in the order given. An empty
// `target` writes no target label; no labels at all writes `name value`.
// Returns a 64-bit hash of the label set as written (names and escaped, repaired
// values; `target` left out) that does not depend on the labels' order: two
// samples Prometheus would take for one series hash alike. Different sets may
// hash alike too (rarely): confirm on the sets.
std::uint64_t AppendSample(std::string& out, std::string_view name, std::string_view target, const Labels& labels,
                           double value);

// Repairs invalid UTF-8 with U+FFFD; valid input is returned unchanged.
std::string ValidUtf8(std::string_view s);

}  // namespace cc::text_format
