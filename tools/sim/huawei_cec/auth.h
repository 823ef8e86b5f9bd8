#pragma once
// The CC-CMS side of Huawei's C2 "auth-v2" signature (docs/vendors/api/huawei_cec.md
// §2.2): recomputes the signature of a received request from the bytes that
// arrived (its Host header, its body) and compares. Written from the notes,
// independently of the exporter's signer (collectors/huawei_cec/sign.h), so
// the two check each other. Plus the per-IP lock-out CC-FS documents (HTTP
// 403 after repeated bad signatures).
//
// Pure functions; IpLockout is not thread-safe (the owner locks).

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/server.h"

namespace cc::sim::huawei_cec {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// What the platform signs, taken from a request.
struct SignedParts {
  std::string_view method;
  std::string_view path;  // raw, as received
  Pairs query;            // decoded names and values
  Pairs headers;          // the signed headers: lower-case name, value as received
  std::string_view body;
};

// Percent-encodes each byte but A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex).
std::string PercentEncode(std::string_view s);
std::string CanonicalRequestOf(const SignedParts& parts);
// The whole Authorization value for `timestamp` (as written in the header).
std::string ExpectedAuthorization(std::string_view access_key, std::string_view secret_key, std::string_view timestamp,
                                  const SignedParts& parts);

enum class AuthVerdict {
  ok,
  missing,          // no Authorization header
  malformed,        // not auth-v2/AK/TIMESTAMP/HEADERS/SIGNATURE
  unknown_key,      // another access key
  bad_timestamp,    // unparsable, or further from now than the allowed skew
  host_not_signed,  // `host` is not among the signed headers
  header_missing,   // a signed header is not in the request
  bad_signature,    // recomputed signature differs (wrong secret, other Host, other body)
};
std::string_view ToString(AuthVerdict verdict);

// yyyy-MM-ddTHH:mm:ssZ or with .SSS before the Z; nullopt if not that.
std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text);

// Checks `req` the way CC-CMS would. `max_skew` 0 accepts any timestamp.
AuthVerdict VerifyAuthV2(const http::Request& req, std::string_view access_key, std::string_view secret_key,
                         std::chrono::system_clock::time_point now, std::chrono::seconds max_skew);

// "1.2.3.4:5" → "1.2.3.4", "[::1]:5" → "::1".
std::string ClientIp(std::string_view remote);

// Locks an IP for `lock_time` after `limit` consecutive failures; a success
// resets the count. Requests from a locked IP are not counted.
class IpLockout {
 public:
  using Clock = std::chrono::steady_clock;
  IpLockout(int limit, std::chrono::milliseconds lock_time) : limit_(limit), lock_time_(lock_time) {}

  bool Locked(const std::string& ip, Clock::time_point now);
  // Records a failure; true when it locks the IP.
  bool Fail(const std::string& ip, Clock::time_point now);
  void Succeed(const std::string& ip);
  void Clear();

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point locked_until{};
  };
  int limit_;
  std::chrono::milliseconds lock_time_;
  std::map<std::string, Entry> entries_;
};

}  // namespace cc::sim::huawei_cec
