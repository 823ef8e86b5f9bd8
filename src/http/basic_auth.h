#pragma once
// Basic auth for the listeners (exporter-toolkit's basic_auth_users): bcrypt
// hashes checked off the I/O threads, verdicts remembered.
//
// A bcrypt check costs tens of milliseconds by design (cost 10: 50-70 ms), so:
// - it runs on a small pool of its own, never on the io_context's threads, at
//   the lowest CPU priority (SCHED_IDLE, and nice +10), and at most `max_pending` checks are
//   queued or running; past that a new, unverified credential is answered
//   `busy` (the server's 503) after `busy_delay`: a client flooding new
//   passwords waits about as long as a check would take, on a timer that
//   costs no CPU, instead of coming back at once thousands of times a second
//   and taking the cores from the scrapes (bench/auth_flood.sh);
// - every verdict, success or failure, is remembered under an HMAC-SHA256 of
//   user and password with a key drawn at start-up (never the password in
//   clear). A remembered client (Prometheus every 15 s) and a repeated wrong
//   password cost one lookup. The key covers the whole password, so a
//   remembered failure never refuses the right password and a remembered
//   success never admits another one. Failures are bounded (kMaxFailures,
//   forgotten all at once when full); successes need the real password.
// - an unknown user is checked against a dummy bcrypt setting with the cost of
//   the most expensive configured hash, so timing does not tell which user
//   names exist.
//
// Thread safety: Check may run on any number of threads at once; Stop once,
// after the io_context stopped running.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "http/server.h"

namespace cc::http {

class BasicAuth {
 public:
  // (password, bcrypt hash or setting) → matches; crypt_r(3) unless a test
  // replaces it.
  using Verify = std::function<bool(const std::string& password, const std::string& hash)>;
  struct Options {
    std::size_t threads = DefaultThreads();  // the verifier pool
    std::size_t max_pending = 4 * DefaultThreads();
    std::chrono::milliseconds busy_delay{1000};  // before a `busy` verdict; 0: at once
    Verify verify;                               // empty: bcrypt via crypt_r
  };
  static constexpr std::size_t kMaxFailures = 4096;
  // Added to the nice value of the pool's threads (at most 19).
  static constexpr int kVerifierNice = 10;
  static constexpr std::size_t kMaxSuccesses = 1024;

  // users: name → bcrypt hash ($2a$/$2b$/$2y$, validated by LoadWebConfig).
  explicit BasicAuth(std::vector<std::pair<std::string, std::string>> users);
  BasicAuth(std::vector<std::pair<std::string, std::string>> users, Options options);
  ~BasicAuth();

  // The verdict on an Authorization header value (or ""). Resumes on the
  // caller's executor; a verification runs on the pool, a `busy` verdict
  // waits busy_delay on a timer of the caller's executor (not after Stop).
  boost::asio::awaitable<AuthVerdict> Check(std::string authorization);

  // Refuses new verifications (busy) and waits for the queued ones.
  void Stop();

  // The bcrypt cost (log2 rounds) of the unknown-user check.
  int dummy_cost() const { return dummy_cost_; }
  // bcrypt computations so far (remembered verdicts do not count).
  std::size_t verifications() const { return verifications_.load(); }

  static std::size_t DefaultThreads();

 private:
  enum class Cached { none, success, failure };
  Cached Lookup(const std::string& key);
  void Remember(const std::string& key, bool success);
  const std::string& HashFor(const std::string& user) const;
  boost::asio::awaitable<bool> VerifyOnPool(std::string password, const std::string& hash);

  std::vector<std::pair<std::string, std::string>> users_;
  Options options_;
  std::string hmac_key_;
  int dummy_cost_ = 0;
  std::string dummy_setting_;
  boost::asio::thread_pool pool_;
  std::atomic<std::size_t> pending_{0};
  std::atomic<std::size_t> verifications_{0};
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::set<std::string> successes_;  // HMACs, guarded by mu_
  std::set<std::string> failures_;   // HMACs, guarded by mu_
};

}  // namespace cc::http
