#pragma once
// uContact Integra sessions: `auth/getUserToken` issues a token (base64 of
// "user:session-UUID", as the example token in docs/vendors/api/ucontact.md decodes),
// every other call must carry it as `Authorization: Basic <token>`, and a
// session ends by `auth/EndSession`, by expiry in simulated time, or by a
// test's ExpireAll(). Counts what a test wants to see: logins, 401s, ends.
//
// Thread safety: every public method locks one mutex.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace cc::sim::ucontact {

struct UcontactAuthOptions {
  std::string user = "sim";
  std::string password = "sim-password";
  // The vendor documents neither a lifetime nor an idle timeout (open
  // question 8): a session ends `lifetime` after login, and, when
  // `idle_timeout` is set (0 = none), also after that long unused.
  std::chrono::milliseconds lifetime{1800 * 1000};
  std::chrono::milliseconds idle_timeout{0};
  std::uint64_t seed = 1;
};

struct UcontactAuthCounters {
  std::uint64_t logins = 0;          // tokens issued
  std::uint64_t login_failures = 0;  // wrong user or password
  std::uint64_t unauthorized = 0;    // 401s served (missing, unknown or expired token)
  std::uint64_t end_sessions = 0;    // sessions ended by auth/EndSession
  std::uint64_t live_sessions = 0;   // valid now
};

class UcontactSessions {
 public:
  explicit UcontactSessions(UcontactAuthOptions options);

  // A new token, or nullopt for wrong credentials.
  std::optional<std::string> Login(std::string_view user, std::string_view password);
  // Whether the `Authorization` header value names a live session (and marks
  // it used); false counts as a 401 served.
  bool Authorize(std::string_view authorization_header);
  // auth/EndSession: the header's session ends if `user` and `token` name it.
  bool End(std::string_view authorization_header, std::string_view user, std::string_view token);
  // Every session becomes invalid now.
  void ExpireAll();
  // Simulated time passes (not while the simulator is paused).
  void Advance(std::chrono::milliseconds dt);

  UcontactAuthCounters Counters() const;

 private:
  struct Session {
    std::string user;
    std::int64_t created_ms = 0;
    std::int64_t used_ms = 0;
  };
  bool Live(const Session& s) const;
  // The session of a "Basic <token>" header value, expired ones dropped.
  std::map<std::string, Session>::iterator Find(std::string_view authorization_header);

  const UcontactAuthOptions options_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  std::int64_t now_ms_ = 0;
  std::map<std::string, Session> sessions_;  // by token
  UcontactAuthCounters counters_;
};

// Standard base64 with padding.
std::string Base64(std::string_view bytes);

}  // namespace cc::sim::ucontact
