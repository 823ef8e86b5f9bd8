// Request's accessors (header lookup and form decoding of the query and body), and
// Response's body as sent.

#include <cstddef>
#include <string>
#include <string_view>

#include "http/server.h"

namespace cc::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Form decoding: '+' is a space, %XX a byte; a malformed escape stays as is.
std::string FormDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

namespace {

// The decoded value of `name` in "a=1&b=2" form encoding, or "".
std::string FindFormField(std::string_view rest, std::string_view name) {
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    auto eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (FormDecode(key) == name) {
      return eq == std::string_view::npos ? std::string{} : FormDecode(pair.substr(eq + 1));
    }
  }
  return {};
}

}  // namespace

std::string Request::Param(std::string_view name) const { return FindFormField(query, name); }

std::string Request::FormParam(std::string_view name) const { return FindFormField(body, name); }

std::string Response::BodyBytes() const {
  if (body_pieces.empty()) return body;
  std::string out;
  for (auto p : body_pieces) out += p;
  return out;
}

}  // namespace cc::http
