#pragma once
// Error values for the I/O and parse paths: a failed poll carries one of the
// reasons that docs/metrics.md allows on callcenter_poll_failures_total.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace cc {

// sample_limit: the poll succeeded but would make its target serve more series than the
// target's `sample_limit` (as Prometheus' scrape setting of that name).
enum class Reason { connect, tls, timeout, http_status, auth, too_large, parse, vendor_error, sample_limit };

inline constexpr std::array kAllReasons{Reason::connect,     Reason::tls,          Reason::timeout,
                                        Reason::http_status, Reason::auth,         Reason::too_large,
                                        Reason::parse,       Reason::vendor_error, Reason::sample_limit};

constexpr std::string_view ToString(Reason r) {
  switch (r) {
    case Reason::connect: return "connect";
    case Reason::tls: return "tls";
    case Reason::timeout: return "timeout";
    case Reason::http_status: return "http_status";
    case Reason::auth: return "auth";
    case Reason::too_large: return "too_large";
    case Reason::parse: return "parse";
    case Reason::vendor_error: return "vendor_error";
    case Reason::sample_limit: return "sample_limit";
  }
  return "unknown";
}

struct Error {
  Reason reason;
  std::string message;  // human readable; never contains secrets
  // The vendor asked not to be asked again before this delay, counted from
  // the failure (an HTTP Retry-After; the scheduler caps it).
  std::optional<std::chrono::seconds> retry_after{};
};

// A value or an Error. Deliberately tiny: C++20 has no std::expected.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

inline Error MakeError(Reason r, std::string message) { return Error{r, std::move(message)}; }

}  // namespace cc
