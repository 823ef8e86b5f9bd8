#pragma once
// Huawei C2 "auth-v2" AK/SK request signing (docs/vendors/api/huawei_cec.md §2.2), as
// Huawei's own demo (SignInfo/SignerUtils/PathUtils) computes it. Pure: the
// time is an input, so the published test vectors are unit tests.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cc::huawei_cec {

using NameValues = std::vector<std::pair<std::string, std::string>>;

struct SignRequest {
  std::string_view method;  // "POST"
  std::string_view uri;     // raw path as sent, not normalised
  NameValues query;         // may be empty
  NameValues headers;       // the signed headers (any case), values as sent
  std::string_view body;    // exact bytes sent
};

// Percent-encodes every byte except A-Z a-z 0-9 - . _ ~ as %XX (upper case).
std::string Normalize(std::string_view s);
// yyyy-MM-dd'T'HH:mm:ss'Z' in UTC.
std::string FormatTimestamp(std::chrono::system_clock::time_point t);
// Lower-cased header names, sorted, joined with ';'.
std::string SignedHeaders(const NameValues& headers);
std::string CanonicalRequest(const SignRequest& request);
// Lower-case hex of HMAC-SHA256(key, message).
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// The whole header value: auth-v2/{AK}/{timestamp}/{signedHeaders}/{signature}.
// The result is a credential: never log it.
std::string Authorization(std::string_view access_key, std::string_view secret_key, const SignRequest& request,
                          std::chrono::system_clock::time_point now);

}  // namespace cc::huawei_cec
