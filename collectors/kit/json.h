#pragma once
// Reading vendor JSON the way every vendor needs it: one document parser with
// one error message shape, numbers that arrive as strings or numbers, null
// meaning absent, ids as text, and short printable snippets of a bad body for
// error messages. Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "common/result.h"

namespace cc::kit {

using rapidjson::Value;

inline constexpr std::size_t kSnippetBytes = 48;  // of vendor text echoed in an error

// Whether an error about a body may quote its start. No for bodies that can
// carry a credential (login answers).
enum class Echo { body, none };

// Parses `body` into `doc`, iteratively (nesting cannot exhaust the stack)
// and validating UTF-8. Errors, all Reason::parse, prefixed "<what>: " when
// `what` is not empty:
//   "empty body", "body contains a NUL byte",
//   "not JSON (<RapidJSON's message> at byte N), body starts with \"…\"".
//
// One bad value does not cost the whole document (RFC 8259 §8.2 leaves lone
// surrogates to the implementation; vendors also send raw control characters,
// invalid UTF-8, unknown escapes and numbers beyond the double range): such a
// value is repaired and the parse retried, at most kMaxRepairs times. A broken
// escape or byte in a string becomes U+FFFD, a raw control character its \u
// escape, an out-of-range number a string (which no number field accepts, so
// the field reader drops and reports it). Each repair is appended to `repairs`
// (when given) as "byte<N>:<kind>". Structural damage (truncation, HTML) is
// never repaired.
std::optional<Error> ParseDocument(rapidjson::Document& doc, std::string_view body, std::string_view what,
                                   Echo echo = Echo::body, std::vector<std::string>* repairs = nullptr);
inline constexpr int kMaxRepairs = 32;
// A well-formed body of the wrong shape: "<what>: <problem>, body starts with \"…\"".
Error ShapeError(std::string_view what, std::string_view problem, std::string_view body, Echo echo = Echo::body);
Error ParseError(std::string message);  // Reason::parse

std::string_view Trim(std::string_view s);
// Printable ASCII only and at most kSnippetBytes (then "..."): messages end up
// in logs and on the landing page, and a body may be an arbitrary HTML page.
std::string Snippet(std::string_view s);

inline std::string_view Str(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Absent and null are the same thing to the vendors' backends; a non-object
// has no members.
const Value* Member(const Value& obj, const char* key);

// " 3.5 " → 3.5; empty, partial or non-finite text → nullopt.
std::optional<double> NumberText(std::string_view s);
// 3 or "3" (finite); anything else → nullopt.
std::optional<double> NumberOf(const Value& v);
// Unsigned decimal digits only, at most 12 of them.
std::optional<std::uint64_t> Digits(std::string_view s);
// Ids: "90" (trimmed) or 90. Anything else (object, fraction, bool) is not an id.
std::optional<std::string> IdText(const Value& v);
// A whole number within int's range (a status code); nullopt otherwise, where
// a plain cast would be undefined behaviour.
std::optional<int> IntegerCode(double v);
// "87.5%", "87.5" → 0.875; negative or not a number → nullopt.
std::optional<double> ParsePercentRatio(std::string_view text);

}  // namespace cc::kit
