#pragma once
// The `Authorization: Basic …` header taken apart (RFC 7617 §2: "Basic" SP
// token68 of base64(user-id ":" password); base64 as RFC 4648 §4, padded).

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cc::http {

struct Credentials {
  std::string user;
  std::string password;
};

// The longest header value looked at; longer ones are refused before any
// decoding or hashing (a real user name and password are far shorter).
inline constexpr std::size_t kMaxAuthorizationBytes = 1024;

// The user and password of a header value. Errors (Reason::auth) name the
// defect, never the header's content: another scheme, base64 that is not
// strict RFC 4648 (wrong alphabet, missing or misplaced padding), no ':' in
// the decoded text, a NUL byte in the user or the password (crypt(3) would end
// the password there, so "pass\0junk" would verify as "pass"), or a value over
// kMaxAuthorizationBytes. The first ':' separates user and password (RFC 7617).
// Pure function; thread-safe.
Result<Credentials> ParseBasicAuthorization(std::string_view header);

}  // namespace cc::http
