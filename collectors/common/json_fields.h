#pragma once
// Reading vendor JSON the way every vendor needs it: numbers that arrive as
// strings or numbers, null meaning absent, ids as text, and short printable
// snippets of a bad body for error messages. Header-only, no I/O.

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace cc::json {

using rapidjson::Value;

inline constexpr std::size_t kSnippetBytes = 48;  // of vendor text echoed in an error

inline std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Printable ASCII only and short: messages end up in logs and on the landing
// page, and a body may be an arbitrary HTML page.
inline std::string Snippet(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, kSnippetBytes)) out += (c >= 0x20 && c < 0x7f) ? c : '.';
  if (s.size() > kSnippetBytes) out += "...";
  return out;
}

inline std::string_view Str(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Absent and null are the same thing to the vendors' backends; a non-object
// has no members.
inline const Value* Member(const Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

// " 3.5 " → 3.5; empty, partial or non-finite text → nullopt.
inline std::optional<double> NumberText(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// 3 or "3"; anything else → nullopt.
inline std::optional<double> NumberOf(const Value& v) {
  if (v.IsNumber()) return v.GetDouble();
  if (v.IsString()) return NumberText(Str(v));
  return std::nullopt;
}

// Unsigned decimal digits only, at most 12 of them.
inline std::optional<std::uint64_t> Digits(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Ids: "90" or 90 (trimmed). Anything else (object, fraction, bool) is not an id.
inline std::optional<std::string> IdText(const Value& v) {
  if (v.IsString()) return std::string(Trim(Str(v)));
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  return std::nullopt;
}

}  // namespace cc::json
