#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace cc {

// An http(s) URL split the way the HTTP client needs it. User info is refused
// at parse time, so a Url never carries a credential.
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  std::uint16_t port = 0;
  std::string path = "/";  // always starts with '/', may carry a query

  bool tls() const { return scheme == "https"; }
  // Host header value: host, plus ":port" when not the scheme's default.
  std::string HostHeader() const;
  std::string ToString() const;
};

// Percent-encodes everything but RFC 3986 unreserved characters, for a value
// in a query string or a path segment.
std::string PercentEncode(std::string_view s);

// application/x-www-form-urlencoded body: name=value pairs joined by '&',
// both sides percent-encoded.
using FormField = std::pair<std::string_view, std::string_view>;
std::string FormEncode(std::span<const FormField> fields);
inline std::string FormEncode(std::initializer_list<FormField> fields) {
  return FormEncode(std::span<const FormField>(fields.begin(), fields.size()));
}

// nullopt with `error` set on a malformed URL.
std::optional<Url> ParseUrl(std::string_view text, std::string* error);

}  // namespace cc
