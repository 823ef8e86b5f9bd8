#pragma once
// A live uContact call centre: Asterisk queues ("campaigns", named with
// uContact's direction arrows) whose callers arrive, wait, are rung to a free
// member, talk (sometimes on hold), and leave the agent in wrap-up; or hang up
// after their patience. Agents pause, unregister and come back. Driven by a
// seeded RNG and a simulated clock, so the same seed and the same Advance()
// calls give the same state.
//
// Thread safety: every public method locks one mutex; use from any thread.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace cc::sim::ucontact {

// uContact / Asterisk member status codes (docs/vendors/api/ucontact.md, seed 004).
inline constexpr int kUcNotInUse = 1;
inline constexpr int kUcInUse = 2;
inline constexpr int kUcBusy = 3;
inline constexpr int kUcUnavailable = 5;
inline constexpr int kUcRinging = 6;
inline constexpr int kUcOnHold = 8;
inline constexpr int kUcWrapUp = 9;

// Simulated wall clock: time 0 of the model is this epoch second.
inline constexpr std::int64_t kUcEpochStart = 1718000000;  // 2024-06-10

struct UcontactOptions {
  int campaigns = 3;
  int agents_per_campaign = 5;  // locations SIP/1001, SIP/1002, … (distinct per campaign)
  std::uint64_t seed = 1;
};

struct UcontactAgentView {
  std::string location;  // "SIP/1001"
  std::string name;
  int penalty = 0;
  int status = kUcNotInUse;
  bool paused = false;
  bool incall = false;
  std::string paused_reason;  // "[]" / "" when not paused, as in the seed
  std::uint64_t calls_taken = 0;
  std::int64_t last_call = 0;      // epoch seconds of the last call's end; 0 = never
  std::int64_t state_seconds = 0;  // in the current status
};

struct UcontactCampaignView {
  std::string name;  // e.g. "Ventas->Soporte"
  std::string strategy;
  int threshold = 0;              // service level threshold, seconds
  int wrapup = 0;                 // wrap-up after each call, seconds
  int callers = 0;                // waiting, including ones being rung
  std::int64_t longest_hold = 0;  // current longest wait, seconds
  std::int64_t hold_avg = 0;      // Asterisk's exponential average of waits, seconds
  std::int64_t talk_avg = 0;      // the same for talk time
  std::uint64_t offered = 0, completed = 0, abandoned = 0;
  std::uint64_t completed_in_sl = 0;      // answered within threshold
  std::uint64_t abandoned_in_sl = 0;      // abandoned within threshold
  std::int64_t talk_total = 0;            // seconds talked by finished calls
  std::uint64_t talk_calls = 0;           // finished calls
  std::int64_t hold_total = 0;            // seconds waited by answered calls
  std::vector<UcontactAgentView> agents;  // member order
};

class UcontactModel {
 public:
  explicit UcontactModel(const UcontactOptions& options);

  // Moves the simulated clock; nothing happens while paused.
  void Advance(std::chrono::milliseconds dt);
  void SetPaused(bool paused);

  // Removes the agent from its campaign; false if unknown.
  bool RemoveAgent(std::string_view location);
  // Forces an agent's status and pause flag for `hold_for` of simulated time
  // (then it becomes idle); false if unknown.
  bool SetAgent(std::string_view location, int status, bool paused, std::chrono::milliseconds hold_for);

  std::vector<UcontactCampaignView> Campaigns() const;
  std::int64_t EpochNow() const;  // simulated wall clock, epoch seconds

 private:
  enum class Activity { idle, paused, ringing, talking, wrapup, unavailable, forced };
  struct Agent {
    std::string location, name;
    int penalty = 0;
    bool plain_reason = false;  // renders an empty pausedreason as "" rather than "[]"
    Activity activity = Activity::idle;
    int status = kUcNotInUse;
    bool paused = false;
    bool on_hold = false;
    std::int64_t until_ms = 0;  // end of the current activity
    std::int64_t since_ms = 0;  // last status change
    std::uint64_t ring_call = 0;
    bool will_answer = false;
    std::uint64_t calls = 0;
    std::int64_t last_call_ms = -1;
    std::int64_t talk_started_ms = 0;
  };
  struct Caller {
    std::uint64_t id = 0;
    std::int64_t arrived_ms = 0;
    std::int64_t patience_ms = 0;
    std::string ringing;  // location being rung, or ""
  };
  struct Campaign {
    std::string name, strategy;
    int threshold = 0, wrapup = 0;
    double arrivals_per_second = 0;
    std::vector<Agent> agents;
    std::vector<Caller> waiting;
    std::size_t next_member = 0;
    std::int64_t hold_avg = 0, talk_avg = 0;
    std::uint64_t offered = 0, completed = 0, abandoned = 0, completed_in_sl = 0, abandoned_in_sl = 0;
    std::int64_t talk_total = 0, hold_total = 0;
    std::uint64_t talk_calls = 0;
  };

  void Step(std::int64_t dt_ms);
  void StepAgent(Campaign& c, Agent& a, std::int64_t dt_ms);
  void StepCallers(Campaign& c, std::int64_t dt_ms);
  void Distribute(Campaign& c);
  Agent* PickAgent(Campaign& c);
  void SetStatus(Agent& a, Activity activity, int status);
  void EndCall(Campaign& c, Agent& a);

  double Uniform();
  double Exponential(double mean);
  bool Chance(double mean_seconds_between, std::int64_t dt_ms);
  static std::int64_t Ms(double seconds) { return static_cast<std::int64_t>(seconds * 1000.0); }

  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  bool paused_ = false;
  std::int64_t now_ms_ = 0;
  std::uint64_t next_call_id_ = 1;
  std::vector<Campaign> campaigns_;
};

}  // namespace cc::sim::ucontact
