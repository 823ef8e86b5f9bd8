#pragma once
// A live yunhu (App.Sip_*) call centre: task-group queues whose calls are
// assigned to member extensions, which ring, talk, wrap up, pause (busy),
// make calls of their own or unregister. Seeded RNG and a simulated clock, so
// the same seed and the same Advance() calls give the same state.
//
// The clock starts at a fixed wall-clock epoch, so every time the API shows
// (Beijing time, +08:00) has a Unix time a test can compute.
//
// Thread safety: every public method locks one mutex; use from any thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace cc::sim::yunhu {

// Simulated time 0 is 2020-02-05 21:00:00 +08:00, the day of seed 002's example.
inline constexpr std::int64_t kYunhuEpochSeconds = 1580907600;
inline constexpr int kYunhuUtcOffsetSeconds = 8 * 3600;

// Agent (`state`) and extension (`status`) codes of the notes' table.
inline constexpr int kYunhuIdle = 1201;
inline constexpr int kYunhuRinging = 1202;
inline constexpr int kYunhuOffHook = 1203;
inline constexpr int kYunhuTalking = 1204;
inline constexpr int kYunhuNotRegistered = 1014;
inline constexpr int kYunhuWaiting = 1213;
inline constexpr int kYunhuReceiving = 1214;
inline constexpr int kYunhuPaused = 1217;

struct YunhuOptions {
  int queues = 3;            // queue-1, queue-2, …
  int agents_per_queue = 5;  // extnumbers 100001, 100002, … (the last of a queue also joins the next)
  std::uint64_t seed = 1;
};

// One row of GetQueueSipStatus: an extension in a queue.
struct YunhuMemberView {
  std::string queuename;
  std::string extnumber;
  std::string seatsname;
  std::string activity;        // the model's own name: waiting, wrap_up, ringing, talking, external, paused, offline
  int status = kYunhuWaiting;  // extension status
  int state = kYunhuWaiting;   // agent status; 0 while unregistered
  std::optional<std::int64_t> last_answer_s;  // Unix seconds; nullopt: never
  std::optional<std::int64_t> last_assign_s;
  std::int64_t state_change_s = 0;
  std::uint64_t answered = 0;        // callsanswered
  std::uint64_t missed = 0;          // noanswercount
  std::uint64_t external_calls = 0;  // externalcallscount (the agent's, in every row)
  int wrapup_s = 0;                  // wrapuptime: the member's setting
  // Render externalcallscount, wrapuptime and maxnoanswer as strings, as the
  // docs type them, instead of numbers, as the example sends them.
  bool numbers_as_strings = false;
};

struct YunhuQueueView {
  std::string queuename;
  std::vector<YunhuMemberView> members;  // member order
};

class YunhuModel {
 public:
  explicit YunhuModel(const YunhuOptions& options);

  // Moves the simulated clock by `dt`; nothing happens while paused.
  void Advance(std::chrono::milliseconds dt);
  void SetPaused(bool paused);

  // Removes the extension from every queue; false if it was in none.
  bool RemoveAgent(std::string_view extnumber);

  std::vector<YunhuQueueView> Queues() const;
  // Unix seconds of the simulated clock.
  std::int64_t NowUnixSeconds() const;

 private:
  enum class Activity { waiting, wrap_up, ringing, talking, external, paused, offline };
  struct Agent {
    Activity activity = Activity::waiting;
    std::int64_t until_ms = 0;    // end of the current activity
    std::int64_t changed_ms = 0;  // last change of the shown state code
    std::size_t ring_queue = 0;   // while ringing or talking: the member's queue
    bool will_answer = false;
    std::uint64_t external_calls = 0;
  };
  struct Member {
    std::string extnumber;
    std::int64_t last_answer_ms = -1;  // -1: never
    std::int64_t last_assign_ms = -1;
    std::uint64_t answered = 0, missed = 0;
    int wrapup_s = 0;
  };
  struct Queue {
    std::string name;
    int task_id = 0;  // the "autocall-NNNN" part of seat names
    double offers_per_second = 0;
    std::vector<Member> members;
  };
  using AgentMap = std::map<std::string, Agent, std::less<>>;

  void Step(std::int64_t dt_ms);
  void StepAgent(Agent& agent, const std::string& extnumber, std::int64_t dt_ms);
  void Offer(std::size_t queue_index);
  void Set(Agent& agent, Activity activity, std::int64_t until_ms);
  Member* FindMember(std::size_t queue_index, std::string_view extnumber);
  static int StateCode(Activity a);
  static int StatusCode(Activity a);
  static const char* Name(Activity a);

  double Uniform();  // [0, 1)
  double Exponential(double mean);
  bool Chance(double mean_seconds_between, std::int64_t dt_ms);

  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  bool paused_ = false;
  std::int64_t now_ms_ = 0;
  std::vector<Queue> queues_;
  AgentMap agents_;  // ordered: deterministic iteration
};

// "YYYY-MM-DD HH:MM:SS" of a Unix time in a zone `utc_offset_seconds` east of UTC.
std::string FormatLocalTime(std::int64_t unix_seconds, int utc_offset_seconds);

}  // namespace cc::sim::yunhu
