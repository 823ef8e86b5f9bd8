#include "collectors/kit/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include <rapidjson/error/en.h>

namespace cc::kit {
namespace {

std::string Prefix(std::string_view what) { return what.empty() ? std::string() : std::string(what) + ": "; }

std::string StartsWith(std::string_view body, Echo echo) {
  if (echo == Echo::none) return {};
  return ", body starts with \"" + Snippet(Trim(body)) + "\"";
}

constexpr std::string_view kReplacementEscape = "\\ufffd";

bool IsNumberChar(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'; }

// Wraps the number around `at` in quotes; false if there is none.
bool QuoteNumber(std::string& text, std::size_t at) {
  std::size_t begin = at, end = at;
  while (begin > 0 && IsNumberChar(text[begin - 1])) --begin;
  while (end < text.size() && IsNumberChar(text[end])) ++end;
  if (begin == end) return false;
  text.insert(end, 1, '"');
  text.insert(begin, 1, '"');
  return true;
}

// Repairs the value-level fault RapidJSON reported at `at` in `text`: the kind
// of repair, or empty when the fault is structural.
std::string_view RepairAt(std::string& text, rapidjson::ParseErrorCode code, std::size_t at) {
  if (at >= text.size()) return {};
  const bool escape = text.compare(at, 2, "\\u") == 0;
  switch (code) {
    case rapidjson::kParseErrorStringUnicodeSurrogateInvalid:  // at: the high surrogate's backslash
      if (!escape || at + 6 > text.size()) return {};
      text.replace(at, 6, kReplacementEscape);
      return "invalid_surrogate";
    case rapidjson::kParseErrorStringUnicodeEscapeInvalidHex:
      if (!escape) return {};
      text.replace(at, 2, kReplacementEscape);
      return "invalid_escape";
    case rapidjson::kParseErrorStringEscapeInvalid:
      if (static_cast<unsigned char>(text[at]) < 0x20) {  // a raw control character: kept, escaped
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(text[at]));
        text.replace(at, 1, escaped);
        return "raw_control_character";
      }
      if (text[at] != '\\' || at + 2 > text.size()) return {};
      text.replace(at, 2, kReplacementEscape);
      return "invalid_escape";
    case rapidjson::kParseErrorStringInvalidEncoding: text.replace(at, 1, kReplacementEscape); return "invalid_utf8";
    case rapidjson::kParseErrorNumberTooBig:
    case rapidjson::kParseErrorNumberMissFraction:
    case rapidjson::kParseErrorNumberMissExponent: return QuoteNumber(text, at) ? "invalid_number" : "";
    default: return {};
  }
}

}  // namespace

Error ParseError(std::string message) { return MakeError(Reason::parse, std::move(message)); }

std::optional<Error> ParseDocument(rapidjson::Document& doc, std::string_view body, std::string_view what, Echo echo,
                                   std::vector<std::string>* repairs) {
  if (Trim(body).empty()) return ParseError(Prefix(what) + "empty body");
  // JSON text never holds a raw NUL, and RapidJSON would take one for the end.
  if (body.find('\0') != std::string_view::npos) return ParseError(Prefix(what) + "body contains a NUL byte");
  std::string repaired;  // a copy, made at the first repair
  std::string_view text = body;
  for (int attempt = 0;; ++attempt) {
    doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
    if (!doc.HasParseError()) return std::nullopt;
    if (attempt == kMaxRepairs) break;
    if (attempt == 0) repaired.assign(body);
    const std::size_t at = doc.GetErrorOffset();
    const std::string_view kind = RepairAt(repaired, doc.GetParseError(), at);
    if (kind.empty()) break;
    if (repairs != nullptr) repairs->push_back("byte" + std::to_string(at) + ":" + std::string(kind));
    text = repaired;
  }
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
