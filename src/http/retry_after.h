#pragma once
// The Retry-After response field (RFC 9110 §10.2.3): how long a vendor that
// answered 429 or 503 asks us to wait. Pure; thread-safe.

#include <chrono>
#include <optional>
#include <string_view>

namespace cc::http {

// The delay a Retry-After value asks for, counted from `now` (when the answer
// arrived): delay-seconds ("120"), or an HTTP-date (RFC 9110 §5.6.7) in any
// of its three forms, IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850
// ("Sunday, 06-Nov-94 08:49:37 GMT", a two-digit year more than 50 years
// ahead is the past century) or asctime ("Sun Nov  6 08:49:37 1994"). A date
// in the past is a delay of 0; delay-seconds too large to hold saturate (the
// caller caps every delay anyway). Anything else (negative, fractional, a
// unit, an unknown date format, an empty value) is no delay: nullopt.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace cc::http
