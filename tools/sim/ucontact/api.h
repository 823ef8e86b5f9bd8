#pragma once
// The uContact Integra REST interface over the model and the sessions:
// routes under /Integra/resources/, answers shaped like seed 004 (Gson:
// counts as numbers; servicelevel, abandonedlevel, slevelthreshold as
// strings; talked/hold as "HH:MM:SS-N"), and the state for /_sim/state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"
#include "tools/sim/ucontact/auth.h"
#include "tools/sim/ucontact/model.h"

namespace cc::sim::ucontact {

inline constexpr std::string_view kUcontactBase = "/Integra/resources/";

// uContact's own per-campaign agent counts, derived from the members:
// each member is in exactly one of available, paused, busy, busypaused,
// onwrapup, notavailable.
struct UcontactCounts {
  int availables = 0, notavailables = 0, paused = 0, busy = 0, busypaused = 0, onwrapup = 0;
  int totalagents = 0, logged = 0;
};
UcontactCounts CountAgents(const UcontactCampaignView& c);

// "HH:MM:SS-N"; hours may exceed 99.
std::string FormatDurationCount(std::int64_t seconds, std::uint64_t count);
// Percent with one decimal, "0.0" when den is 0 (as in the seed).
std::string FormatPercent(std::uint64_t num, std::uint64_t den);
// The ratio an exporter reads from FormatPercent: percent / 100.
double PercentRatio(std::uint64_t num, std::uint64_t den);
// Whole percent of abandoned calls, "0" when none ended.
std::string FormatAbandonedLevel(const UcontactCampaignView& c);
// Average talk time of finished calls, whole seconds (the sim's reading of `acd`).
std::int64_t AverageCallDuration(const UcontactCampaignView& c);
// Gson's default date format, e.g. "Nov 2, 2018 11:31:42 AM" (UTC).
std::string GsonDate(std::int64_t epoch_seconds);

// One value of an application/x-www-form-urlencoded body: nullopt when
// absent; `valid` false when the raw value has characters a form encoder
// must escape (e.g. a raw "<") or a broken %-escape.
struct FormValue {
  bool valid = true;
  std::string value;  // decoded
};
std::optional<FormValue> FindFormValue(std::string_view body, std::string_view name);

std::string RenderQueueSummary(const std::vector<UcontactCampaignView>& campaigns, std::int64_t epoch_now,
                               std::string_view action_id);
// `only` empty: every campaign's statistics; else that campaign and its
// agents, or "{}" when unknown.
std::string RenderCampaignStatus(const std::vector<UcontactCampaignView>& campaigns, std::string_view only,
                                 std::int64_t epoch_now, std::string_view action_id);
// The value of "ucontact" in /_sim/state (shape in tools/sim/ucontact/README.md).
std::string RenderUcontactState(const std::vector<UcontactCampaignView>& campaigns, const UcontactAuthCounters& auth);

bool IsUcontactPath(std::string_view path);
// Every route of the API; `action_id` is the internalActionId to render.
http::Response HandleUcontactApi(const http::Request& req, const UcontactModel& model, UcontactSessions& sessions,
                                 std::string_view action_id);

}  // namespace cc::sim::ucontact
