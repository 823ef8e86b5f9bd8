#pragma once
// A live MixCall call centre: Asterisk app_queue queues whose callers arrive,
// wait, get answered by member agents or abandon, and whose agents ring, talk,
// hold, go DND or unregister. Everything is driven by a seeded RNG and a
// simulated clock advanced in ticks, so the same seed and the same sequence of
// Advance() calls give the same state.
//
// Thread safety: every public method locks one mutex; use from any thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace cc::sim::mixcall {

// Asterisk extension (hint) states used by the model.
inline constexpr int kExtIdle = 0;
inline constexpr int kExtInUse = 1;
inline constexpr int kExtUnavailable = 4;
inline constexpr int kExtRinging = 8;
inline constexpr int kExtOnHold = 16;
inline constexpr int kNoDnd = -1;

struct MixcallOptions {
  int queues = 3;            // numbered 90, 91, …
  int agents_per_queue = 5;  // extens 6101, 6102, … (distinct per queue)
  std::uint64_t seed = 1;
};

struct MixcallAgentView {
  std::string exten;
  int status = kExtIdle;  // Asterisk extension state
  int dnd = kNoDnd;       // -1 or busy-reason index 1..3
};

// A consistent copy of one queue, as `queue show` would print it.
struct MixcallQueueView {
  std::string queue;
  std::string name;
  std::string strategy;           // Asterisk strategy name
  bool chinese_ringtype = false;  // render ringtype as MixCall's Chinese label
  int max = -1;                   // -1: unlimited
  int wait = 0;                   // callers in the queue (including ones being rung)
  std::int64_t longest_wait_seconds = 0;
  std::int64_t holdtime = 0;  // mean wait of answered calls, whole seconds
  int weight = 0;
  std::uint64_t completed = 0;
  std::uint64_t abandoned = 0;
  std::uint64_t completed_in_sl = 0;     // answered within `servicelevel`
  int servicelevel = 0;                  // seconds
  std::vector<MixcallAgentView> agents;  // member order
};

class MixcallModel {
 public:
  explicit MixcallModel(const MixcallOptions& options);

  // Moves the simulated clock by `dt`; nothing happens while paused.
  void Advance(std::chrono::milliseconds dt);
  // Runs `duration` of simulated time in `step` ticks even when paused, so a
  // fresh simulator already has history (counters, averages).
  void Warmup(std::chrono::milliseconds duration, std::chrono::milliseconds step);

  void SetPaused(bool paused);
  bool paused() const;

  // Removes the agent from every queue; false if it was in none.
  bool RemoveAgent(std::string_view exten);
  enum class AddResult { added, already_member, no_such_queue, bad_exten };
  // Adds the agent to one queue (an exten may be a member of several).
  AddResult AddAgent(std::string_view queue, std::string_view exten);
  // Puts the agent on do-not-disturb `dnd` (a MixCall DND reason code, >= 0) for `duration`
  // of simulated time, whatever it is doing; false if there is no such agent.
  bool SetDnd(std::string_view exten, int dnd, std::chrono::milliseconds duration);

  std::vector<MixcallQueueView> Queues() const;
  // Simulated time since start.
  std::chrono::milliseconds now() const;

 private:
  enum class Activity { idle, ringing, talking, outbound, unavailable };
  struct Agent {
    Activity activity = Activity::idle;
    int status = kExtIdle;
    int dnd = kNoDnd;
    std::int64_t until_ms = 0;  // end of the current activity
    std::int64_t dnd_until_ms = 0;
    std::size_t ring_queue = 0;  // while ringing: the offered call
    std::uint64_t ring_call = 0;
    bool will_answer = false;
    std::int64_t last_call_end_ms = -1;
    std::uint64_t calls = 0;
  };
  struct Caller {
    std::uint64_t id = 0;
    std::int64_t arrived_ms = 0;
    std::int64_t patience_ms = 0;
    std::string ringing;  // exten being rung for this caller, or ""
  };
  struct Queue {
    std::string number, name, strategy;
    bool chinese_ringtype = false;
    int max = -1;
    int weight = 0;
    int servicelevel = 0;
    double arrivals_per_second = 0;
    std::vector<Caller> waiting;       // arrival order
    std::vector<std::string> members;  // exten, join order
    std::size_t next_member = 0;       // round-robin position
    std::uint64_t completed = 0, abandoned = 0, completed_in_sl = 0;
    double hold_total_seconds = 0;
  };

  void Step(std::int64_t dt_ms);
  void StepAgent(const std::string& exten, Agent& agent, std::int64_t dt_ms);
  void Answer(Agent& agent);
  void StepQueue(std::size_t index, std::int64_t dt_ms);
  void Distribute(std::size_t index);
  using AgentMap = std::map<std::string, Agent, std::less<>>;
  AgentMap::iterator PickAgent(Queue& queue);  // end(): nobody free
  Caller* FindCaller(Queue& queue, std::uint64_t id);

  double Uniform();  // [0, 1)
  double Exponential(double mean);
  // Whether an event that happens every `mean_seconds` on average happens within dt.
  bool Chance(double mean_seconds, std::int64_t dt_ms);
  static std::int64_t Ms(double seconds) { return static_cast<std::int64_t>(seconds * 1000.0); }

  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  bool paused_ = false;
  std::int64_t now_ms_ = 0;
  std::uint64_t next_call_id_ = 1;
  std::vector<Queue> queues_;
  AgentMap agents_;  // ordered: deterministic iteration
};

}  // namespace cc::sim::mixcall
