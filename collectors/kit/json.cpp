#include "collectors/kit/json.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <rapidjson/error/en.h>

namespace cc::kit {
namespace {

std::string Prefix(std::string_view what) { return what.empty() ? std::string() : std::string(what) + ": "; }

std::string StartsWith(std::string_view body, Echo echo) {
  if (echo == Echo::none) return {};
  return ", body starts with \"" + Snippet(Trim(body)) + "\"";
}

}  // namespace

Error ParseError(std::string message) { return MakeError(Reason::parse, std::move(message)); }

std::optional<Error> ParseDocument(rapidjson::Document& doc, std::string_view body, std::string_view what, Echo echo) {
  if (Trim(body).empty()) return ParseError(Prefix(what) + "empty body");
  // JSON text never holds a raw NUL, and RapidJSON would take one for the end.
  if (body.find('\0') != std::string_view::npos) return ParseError(Prefix(what) + "body contains a NUL byte");
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (!doc.HasParseError()) return std::nullopt;
  return ParseError(Prefix(what) + "not JSON (" + rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                    std::to_string(doc.GetErrorOffset()) + ")" + StartsWith(body, echo));
}

Error ShapeError(std::string_view what, std::string_view problem, std::string_view body, Echo echo) {
  return ParseError(Prefix(what) + std::string(problem) + StartsWith(body, echo));
}

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

std::string Snippet(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, kSnippetBytes)) out += (c >= 0x20 && c < 0x7f) ? c : '.';
  if (s.size() > kSnippetBytes) out += "...";
  return out;
}

const Value* Member(const Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::optional<double> NumberText(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> NumberOf(const Value& v) {
  if (v.IsNumber()) return std::isfinite(v.GetDouble()) ? std::optional(v.GetDouble()) : std::nullopt;
  if (v.IsString()) return NumberText(Str(v));
  return std::nullopt;
}

std::optional<std::uint64_t> Digits(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string> IdText(const Value& v) {
  if (v.IsString()) return std::string(Trim(Str(v)));
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  return std::nullopt;
}

std::optional<int> IntegerCode(double v) {
  if (v != std::trunc(v) || v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  return static_cast<int>(v);
}

std::optional<double> ParsePercentRatio(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  auto v = NumberText(text);
  if (!v || *v < 0) return std::nullopt;
  return *v / 100;
}

}  // namespace cc::kit
