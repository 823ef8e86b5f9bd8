#include "config/url.h"

#include <algorithm>
#include <charconv>

namespace cc {
namespace {

// Error texts never quote the input: a URL with a mistyped user-info part can
// carry a password anywhere, so only the kind of problem is reported.
std::optional<Url> Fail(std::string* error, const char* message) {
  if (error) *error = message;
  return std::nullopt;
}

bool IsSpaceOrControl(char c) {
  auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

bool IsIpv6Char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

std::uint16_t DefaultPort(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

}  // namespace

std::string Url::HostHeader() const {
  // Appended piecewise: GCC 12 -O3 reports a false -Wrestrict on "[" + host + "]".
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string out;
  if (ipv6) out += '[';
  out += host;
  if (ipv6) out += ']';
  if (port != DefaultPort(scheme)) {
    out += ':';
    out += std::to_string(port);
  }
  return out;
}

std::string Url::ToString() const { return scheme + "://" + HostHeader() + path; }

namespace {

// "host", "host:port", "[v6]" or "[v6]:port" into url.host and url.port
// (the scheme's default when absent); false with `error` set otherwise.
bool ParseAuthority(std::string_view authority, Url& url, std::string* error) {
  auto fail = [&](const char* why) {
    Fail(error, why);
    return false;
  };
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail("url has an unterminated IPv6 address");
    std::string_view host = authority.substr(1, close - 1);
    if (host.empty() || host.find(':') == std::string_view::npos ||
        !std::all_of(host.begin(), host.end(), IsIpv6Char)) {
      return fail("url has an invalid IPv6 address");
    }
    url.host = std::string(host);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("url has garbage after the IPv6 address");
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    std::size_t colon = authority.find(':');
    std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
    if (!std::all_of(host.begin(), host.end(), IsHostChar)) return fail("url has an invalid host name");
    url.host = std::string(host);
  }
  if (url.host.empty()) return fail("url has no host");
  url.port = DefaultPort(url.scheme);
  if (!has_port) return true;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
      value > 65535) {
    return fail("url has an invalid port (want 1-65535)");
  }
  url.port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

std::optional<Url> ParseUrl(std::string_view text, std::string* error) {
  if (text.empty()) return Fail(error, "url is empty");
  for (char c : text) {
    if (IsSpaceOrControl(c)) return Fail(error, "url must not contain whitespace or control characters");
  }
  if (text.find('#') != std::string_view::npos) return Fail(error, "url must not contain a fragment ('#')");

  Url url;
  std::size_t sep = text.find("://");
  if (sep == std::string_view::npos) return Fail(error, "url must start with http:// or https://");
  std::string_view scheme = text.substr(0, sep);
  if (EqualsNoCase(scheme, "http")) {
    url.scheme = "http";
  } else if (EqualsNoCase(scheme, "https")) {
    url.scheme = "https";
  } else {
    return Fail(error, "unsupported url scheme (only http and https)");
  }

  std::string_view rest = text.substr(sep + 3);
  std::size_t auth_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view path = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
  // '@' before the query is refused even inside the path: a password that
  // contains '/' would otherwise split "user:pa/ss@host" into a bogus host and
  // path and slip through.
  if (rest.substr(0, rest.find('?')).find('@') != std::string_view::npos) {
    return Fail(error, "url must not contain user info (user:password@); use the vendor's auth keys");
  }

  if (!ParseAuthority(authority, url, error)) return std::nullopt;

  if (path.empty()) {
    url.path = "/";
  } else if (path.front() == '?') {
    url.path = "/" + std::string(path);
  } else {
    url.path = std::string(path);
  }
  return url;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string FormEncode(std::span<const FormField> fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += PercentEncode(name);
    out += '=';
    out += PercentEncode(value);
  }
  return out;
}

}  // namespace cc
