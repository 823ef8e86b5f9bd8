#include "http/retry_after.h"

#include <ctime>
#include <limits>
#include <string>

namespace cc::http {
namespace {

using std::chrono::seconds;

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<seconds> DelaySeconds(std::string_view s) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int32_t>::max();  // 68 years: far beyond any cap
  std::int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = std::min<std::int64_t>(kMax, n * 10 + (c - '0'));
  }
  return seconds(n);
}

// Two-digit years of RFC 850 dates, RFC 9110 §5.6.7: a year more than 50
// years ahead of `now` is in the past century.
void FixTwoDigitYear(std::tm& tm, std::time_t now) {
  std::tm today{};
  gmtime_r(&now, &today);
  const int century = (today.tm_year + 1900) / 100 * 100;
  int year = century + (tm.tm_year + 1900) % 100;
  if (year > today.tm_year + 1900 + 50) year -= 100;
  tm.tm_year = year - 1900;
}

// strptime in the C locale (the daemon never calls setlocale): English day and
// month names, as HTTP requires. The whole value must match one form.
std::optional<std::time_t> HttpDate(std::string_view s, std::time_t now) {
  struct Form {
    const char* format;
    bool two_digit_year;
  };
  static constexpr Form kForms[] = {
      {"%a, %d %b %Y %H:%M:%S GMT", false}, {"%A, %d-%b-%y %H:%M:%S GMT", true}, {"%a %b %e %H:%M:%S %Y", false}};
  const std::string text(s);
  for (const Form& form : kForms) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), form.format, &tm);
    if (end == nullptr || *end != '\0') continue;
    if (form.two_digit_year) FixTwoDigitYear(tm, now);
    return timegm(&tm);
  }
  return std::nullopt;
}

}  // namespace

std::optional<seconds> ParseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now) {
  value = TrimSpaces(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') return DelaySeconds(value);
  const std::time_t now_t = std::chrono::system_clock::to_time_t(now);
  const auto date = HttpDate(value, now_t);
  if (!date) return std::nullopt;
  return seconds(std::max<std::int64_t>(0, static_cast<std::int64_t>(*date) - static_cast<std::int64_t>(now_t)));
}

}  // namespace cc::http
