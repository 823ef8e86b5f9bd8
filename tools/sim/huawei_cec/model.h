#pragma once
// A live Huawei CEC VDN as CC-CMS reports it: skill queues whose calls
// arrive (after some IVR time), wait, are answered or lost; agents that sign
// in and out, answer, talk, wrap up, set busy, study, and ask for breaks that
// are awaiting approval, blocked by the VDN or skill rest quota, approved
// while still busy, then taken; and the per-skill statistics of the current
// five-minute window (seed 003), restarting at each 5-minute boundary.
//
// A seeded RNG and a simulated clock advanced in ticks: the same seed and
// the same Advance() calls give the same history. Times are kept on the
// model clock (ms since start) and turned into epoch ms on output, with an
// origin that is a multiple of 5 minutes so window starts fall on :00/:05.
//
// Thread safety: every public method locks one mutex.

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace cc::sim::huawei_cec {

// CC-CMS "none" values (docs/vendors/api/huawei_cec.md §1).
inline constexpr std::int64_t kHuaweiNoneMs = 4294967295000;
inline constexpr std::string_view kHuaweiNoCall = "4294967295-4294967295";
inline constexpr std::int64_t kHuaweiWindowMs = 5 * 60 * 1000;

struct HuaweiCecOptions {
  int skills = 3;            // skill ids 1..skills
  int agents_per_skill = 5;  // work numbers 1001… in a row, skill-major
  std::uint64_t seed = 1;
  // Epoch ms of model time 0 (a multiple of 5 minutes); 0: anchored at the
  // first View() so the model's "now" is within 5 minutes before the wall clock.
  std::int64_t origin_ms = 0;
};

enum class HuaweiBreakPhase { none, requested, approved, on_break };

struct HuaweiAgentView {
  int workno = 0;
  std::string name;
  std::optional<std::string> phone;  // null on the wire when absent
  int group = 0;
  int media_type = 0;                    // agent type table §4.3
  int status = 0;                        // the interface status (§3.1 table)
  int cti_status = 0;                    // CTI state (§4.2)
  std::int64_t state_seconds = 0;        // currentstatetime
  std::optional<std::int64_t> login_ms;  // epoch ms; nullopt: signed out (sentinel on the wire)
  std::vector<int> skills;               // configured skills
  HuaweiBreakPhase break_phase = HuaweiBreakPhase::none;
  std::optional<int> blocked_reason;  // cantrestreason, for requested/approved only
  std::int64_t break_begin_ms = 0;    // epoch ms: request/approval time, or break start
  std::int64_t break_requested_seconds = 0;
};

struct HuaweiWindowView {     // currentcallstateinfo
  std::int64_t start_ms = 0;  // epoch ms
  std::int64_t offered = 0, answered = 0, abandoned = 0, ended = 0, ivr_talk_seconds = 0, answered_within_20s = 0,
               wrapped_up = 0, wrap_up_seconds = 0;
};

struct HuaweiSkillView {
  int id = 0;
  std::string description;
  int media_type = 5;  // call media type (Interface Reference §5.4): 5 voice, 51 web chat, …
  int queue_size = 0;
  std::int64_t queue_time_seconds = 0;  // longest current wait
  std::string longest_call_id;          // kHuaweiNoCall when nobody waits
  int max_queue_size = 0;
  int logged_on = 0;  // configured agents signed in
  int available = 0;  // configured agents idle
  HuaweiWindowView window;
  std::vector<int> agents;  // configured work numbers, in order
};

struct HuaweiCecView {
  std::int64_t now_ms = 0;  // epoch ms
  std::vector<HuaweiSkillView> skills;
  std::vector<HuaweiAgentView> agents;  // work-number order
  int breaks_approved = 0, breaks_on = 0, breaks_requested = 0;
};

class HuaweiCecModel {
 public:
  explicit HuaweiCecModel(const HuaweiCecOptions& options);

  void Advance(std::chrono::milliseconds dt);  // no-op while paused
  void SetPaused(bool paused);
  // The agent vanishes from every skill and from the rest details.
  bool RemoveAgent(int workno);
  // A new skill queue (no agents configured: its calls wait, then are lost);
  // false if `id` is outside 1–10000 or already a queue. A removed id may come back.
  bool AddSkill(int id, int media_type, std::string description);
  // The queue is retired: gone from every answer, its agents keep their other skills.
  bool RemoveSkill(int id);
  bool HasSkill(int id) const;
  HuaweiCecView View() const;

 private:
  enum class Activity { signed_out, idle, answering, talking, wrap_up, busy, rest, study };
  struct Agent {
    int workno = 0;
    std::string name;
    std::optional<std::string> phone;
    int group = 0, media_type = 0;
    std::vector<std::size_t> skills;  // indexes
    Activity activity = Activity::idle;
    std::int64_t since_ms = 0, until_ms = 0, login_ms = 0;
    std::size_t call_skill = 0;
    HuaweiBreakPhase phase = HuaweiBreakPhase::none;
    int reason = 0;
    std::int64_t break_begin_ms = 0, break_seconds = 0, decide_ms = 0;
  };
  struct Call {
    std::uint64_t seq = 0;
    std::int64_t arrived_ms = 0, patience_ms = 0;
  };
  struct Skill {
    int id = 0;
    std::string description;
    int media_type = 5;
    bool retired = false;  // removed: kept so that agents' skill indexes stay valid
    int max_queue = 0;
    double arrivals_per_second = 0;
    std::deque<Call> waiting;  // arrival order
    HuaweiWindowView window;   // start_ms on the model clock here
  };

  void Step(std::int64_t dt_ms);
  void StepAgent(Agent& a, std::int64_t dt_ms);
  void StepBreak(Agent& a, std::int64_t dt_ms);
  void StepSkill(Skill& s, std::int64_t dt_ms);
  void Distribute(std::size_t skill);
  void Become(Agent& a, Activity activity, std::int64_t duration_ms);
  void BecomeFree(Agent& a);  // idle, or the approved break
  int OnBreak(std::optional<std::size_t> skill) const;
  std::int64_t Origin() const;

  double Uniform();
  std::int64_t Between(double min_s, double max_s);  // ms
  bool Chance(double mean_seconds, std::int64_t dt_ms);

  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  bool paused_ = false;
  std::int64_t now_ms_ = 0;
  mutable std::int64_t origin_ms_ = 0;
  std::uint64_t next_call_ = 1;
  int vdn_rest_quota_ = 1, skill_rest_quota_ = 1;
  std::vector<Skill> skills_;
  std::vector<Agent> agents_;  // work-number order
};

}  // namespace cc::sim::huawei_cec
