#pragma once
// The MixCall HTTP interface over the model: `queueinfo` rendered the way the
// PHP original encodes it (every value a string, `"error":0` a number,
// non-ASCII as lower-case \uXXXX, "/" as "\/", an empty PHP array as `[]`),
// plus the model's state for /_sim/state in plain JSON numbers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"
#include "tools/sim/mixcall/model.h"

namespace cc::sim::mixcall {

inline constexpr std::string_view kMixcallFailure = R"({"result":"0","data":"","error":0})";

// MixCall's Chinese label for the queue's strategy, or the raw strategy name
// for queues rendered the way other MixCall versions do.
std::string RingtypeOf(const MixcallQueueView& q);
// Longest current wait as "MM:SS" (minutes may exceed 99).
std::string FormatMaxWaitTime(std::int64_t seconds);
// Asterisk's "SL:%2.1f%%" figure: answered within the threshold / answered.
std::string FormatServiceLevelPerf(std::uint64_t completed_in_sl, std::uint64_t completed);
// The ratio an exporter reads from FormatServiceLevelPerf: percent / 100.
double ServiceLevelRatio(std::uint64_t completed_in_sl, std::uint64_t completed);
// PHP json_encode() of one string (default flags).
std::string PhpJsonString(std::string_view utf8);

// The whole `queueinfo` body; `only_queue` empty means all queues, an unknown
// queue gives the failure envelope.
std::string RenderQueueInfo(const std::vector<MixcallQueueView>& queues, std::string_view only_queue);
// The value of "mixcall" in /_sim/state (shape in tools/sim/README.md).
std::string RenderMixcallState(const std::vector<MixcallQueueView>& queues);

// Whether a path belongs to the MixCall API (/admin/…).
bool IsMixcallPath(std::string_view path);
// GET /admin/?m=interface&c=api&a=…: queueinfo, anything else fails like the
// original. A `callback` parameter wraps the JSON as JSONP.
http::Response HandleMixcallApi(const http::Request& req, const MixcallModel& model);

}  // namespace cc::sim::mixcall
