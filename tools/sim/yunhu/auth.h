#pragma once
// yunhu's App.Sip_Auth: appid + accesskey → token, tokens that expire after
// a simulated lifetime (12 h on the real platform) or are revoked at random,
// an IP allow-list that can refuse everyone (ret 604), and counters of it all.
//
// Several tokens of one appid stay valid side by side: the notes leave open
// whether a new Login revokes the old token, and a platform serving many
// integrations per appid most plausibly does not.
//
// Thread safety: every public method locks one mutex.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace cc::sim::yunhu {

// PhalApi `ret` codes (docs/vendors/api/yunhu.md §2.3).
inline constexpr int kYunhuRetOk = 200;
inline constexpr int kYunhuRetIllegalRequest = 400;
inline constexpr int kYunhuRetTokenInvalid = 600;
inline constexpr int kYunhuRetAppidNotAuthorized = 601;
inline constexpr int kYunhuRetIllegalIp = 604;

struct YunhuAuthOptions {
  std::string appid = "sim-appid";
  std::string accesskey = "sim-accesskey";
  std::chrono::milliseconds token_ttl = std::chrono::hours(12);
  // Chance that a request with a valid, already used token finds it revoked.
  double token_invalid_rate = 0.05;
  bool deny_ip = false;
  std::uint64_t seed = 1;
};

struct YunhuAuthCounters {
  std::uint64_t logins = 0;            // tokens issued
  std::uint64_t login_refused = 0;     // wrong appid or accesskey (ret 601)
  std::uint64_t ret_600_expired = 0;   // token older than token_ttl
  std::uint64_t ret_600_random = 0;    // revoked at random on this request
  std::uint64_t ret_600_unknown = 0;   // never issued, logged out, or expired by a control route
  std::uint64_t ret_600_rejected = 0;  // refused by reject_tokens, fresh or not
  std::uint64_t ret_604 = 0;           // refused by the IP allow-list
  std::uint64_t logouts = 0;
};

class YunhuAuth {
 public:
  explicit YunhuAuth(YunhuAuthOptions options);

  // The IP check every request passes first: 604 when the allow-list
  // refuses the caller, else 200.
  int CheckIp();
  struct LoginResult {
    int ret = kYunhuRetOk;  // 200 or 601
    std::string token;
  };
  LoginResult Login(std::string_view appid, std::string_view accesskey);
  // 200 when `token` may be used now, else 600. A token's first request is
  // never refused at random: the platform does not revoke a token it has
  // just issued, so a client that logs in again and retries gets through.
  int Check(std::string_view token);
  void Logout(std::string_view token);

  void Advance(std::chrono::milliseconds dt);
  void ExpireAll();
  void SetDenyIp(bool deny);
  // A broken token store: every token is refused (ret 600), even one just
  // issued, while logins still succeed.
  void SetRejectTokens(bool reject);

  bool deny_ip() const;
  bool reject_tokens() const;
  std::size_t valid_tokens() const;
  std::chrono::milliseconds token_ttl() const { return options_.token_ttl; }
  double token_invalid_rate() const { return options_.token_invalid_rate; }
  const std::string& appid() const { return options_.appid; }
  // For the bill interface, which takes the credentials on every request.
  bool Matches(std::string_view appid, std::string_view accesskey) const {
    return appid == options_.appid && accesskey == options_.accesskey;
  }
  YunhuAuthCounters Counters() const;
  // The most recent tokens issued, oldest first (at most kKeptTokens), so
  // tests can check that none leaks.
  std::vector<std::string> IssuedTokens() const;
  static constexpr std::size_t kKeptTokens = 64;

 private:
  struct Token {
    std::int64_t expires_ms = 0;
    bool used = false;
  };
  std::string NewToken();
  double Uniform();

  const YunhuAuthOptions options_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  bool deny_ip_;
  bool reject_tokens_ = false;
  std::int64_t now_ms_ = 0;
  std::map<std::string, Token, std::less<>> tokens_;  // valid ones only
  std::deque<std::string> issued_;
  YunhuAuthCounters counters_;
};

}  // namespace cc::sim::yunhu
