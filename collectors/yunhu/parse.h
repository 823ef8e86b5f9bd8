#pragma once
// Pure parsers and request builders for the yunhu `App.Sip_*` PhalApi API:
// bytes in, a model or a typed error out. No I/O.
//
// Every response is the PhalApi envelope {"ret":200,"data":{...},"msg":""};
// `ret` is the API's own status (600 token invalid, 601–604 not authorised),
// `data.status` 0/1 the call's success. ParseRows() turns one
// GetQueueSipStatus body into rows, BuildSnapshot() merges rows (one request
// per configured queue) into series.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "model/agent_state.h"
#include "model/snapshot.h"

namespace cc::yunhu {

inline constexpr int kRetOk = 200;
inline constexpr int kRetTokenInvalid = 600;  // log in again and retry once

// One row of GetQueueSipStatus: an agent (extension) in a queue. Optional
// numbers are absent when the field was missing, empty or unusable.
struct Row {
  std::string queue{};                       // queuename
  std::string agent{};                       // extnumber
  std::string seats_name{};                  // seatsname
  std::optional<double> status{};            // extension status code
  std::optional<double> state{};             // agent status code
  bool state_unreadable = false;             // `state` sent but not a number: state unknown
  std::optional<double> last_answer_time{};  // Unix seconds
  std::optional<double> last_assign_time{};
  std::optional<double> state_change_time{};
  std::optional<double> missed{};
  std::optional<double> answered{};
  std::optional<double> external_calls{};
  std::optional<double> wrap_up_seconds{};
};

struct Rows {
  std::vector<Row> rows;
  // Fields present but unusable ("result[0].lastanswertime"), and rows
  // skipped for lack of an id, so the collector can report what was dropped.
  std::vector<std::string> unusable_fields;
};

// The outcome of one API call: `ret` is the envelope's ret when the body had
// one (0 otherwise), so the caller can tell "token invalid" from other errors.
template <class T>
struct Reply {
  Result<T> result;
  int ret = 0;
};

// ret 600–604 → auth; other ret ≠ 200 or data.status ≠ 0 → vendor_error;
// anything not shaped like the envelope → parse. The token never appears in
// an error (the body is not echoed).
Reply<Secret> ParseLogin(std::string_view body);

// `utc_offset_seconds`: the platform's local time zone, for its wall-clock times.
Reply<Rows> ParseRows(std::string_view body, int utc_offset_seconds);

struct BuildOptions {
  bool agent_metrics = true;
  // Configured queues: each gets its callcenter_queue_agents zeros even
  // without rows. Empty: the queues are the ones that appear in rows.
  std::span<const std::string> queues{};
};

// Every series of docs/metrics.md for the rows. A (queue, agent) pair seen twice
// keeps its first row; per-agent series come from an agent's first row.
Snapshot BuildSnapshot(const std::vector<Row>& rows, const BuildOptions& options);

// Keeps only rows of `wanted` queues (all when empty): a server that ignores
// `queuename` returns every queue.
void KeepQueues(std::vector<Row>& rows, std::span<const std::string> wanted);

// The yunhu column of the Normalised agent states table: on `state`, and on
// `status` when state is 0 or absent.
AgentState MapAgentState(int code);
AgentState AgentStateOf(const Row& row);

// "YYYY-MM-DD HH:MM:SS" in the platform's local time → Unix seconds. nullopt
// on anything else; IsNeverTime() tells the "no time" spellings apart.
std::optional<double> ParseLocalTime(std::string_view text, int utc_offset_seconds);
bool IsNeverTime(std::string_view text);  // "", "0000-00-00 00:00:00", "0"

// "+08:00", "-03:30", "+0800", "+08", "Z" → seconds east of UTC.
std::optional<int> ParseUtcOffset(std::string_view text);

// application/x-www-form-urlencoded bodies (FormEncode in config/url.h).
std::string LoginBody(std::string_view appid, const Secret& accesskey);
// `queue` empty = all queues.
std::string QueueSipStatusBody(const Secret& token, std::string_view queue);

// Replaces every occurrence of each non-empty secret in `text`.
std::string Redact(std::string text, std::initializer_list<const Secret*> secrets);

}  // namespace cc::yunhu
