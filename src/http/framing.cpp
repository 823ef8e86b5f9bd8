#include "http/framing.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace cc::http::framing {
namespace {

namespace bhttp = boost::beast::http;

bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The members of every `name` field, in order, trimmed and lower-cased, empty
// ones (RFC 9110 §5.6.1 "a, , b") included. Parameters stay: "chunked;x=1" is
// not "chunked".
std::vector<std::string> ListMembers(const RequestHeader& header, bhttp::field name) {
  std::vector<std::string> out;
  auto [first, last] = header.equal_range(name);
  for (auto it = first; it != last; ++it) {
    const std::string_view value = it->value();
    for (std::size_t start = 0;;) {
      const auto comma = value.find(',', start);
      out.push_back(Lower(Trim(value.substr(start, comma - start))));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

std::optional<Refusal> CheckTransferEncoding(const RequestHeader& header) {
  if (header.count(bhttp::field::transfer_encoding) == 0) return std::nullopt;
  if (header.version() < 11) return Refusal{400, "bad request: Transfer-Encoding in an HTTP/1.0 request\n"};
  if (header.count(bhttp::field::content_length) > 0) {
    return Refusal{400, "bad request: both Transfer-Encoding and Content-Length\n"};
  }
  // Strict on purpose: an empty member is refused rather than skipped, so a
  // value that passes is read the same way by the parser (and by any proxy).
  const auto codings = ListMembers(header, bhttp::field::transfer_encoding);
  if (codings.empty() || codings.back() != "chunked" || std::count(codings.begin(), codings.end(), "chunked") != 1 ||
      std::count(codings.begin(), codings.end(), "") != 0) {
    return Refusal{400, "bad request: Transfer-Encoding must end in a single chunked\n"};
  }
  if (codings.size() > 1) return Refusal{501, "not implemented: only the chunked transfer coding is supported\n"};
  return std::nullopt;
}

std::optional<Refusal> CheckContentLength(const RequestHeader& header) {
  const auto count = header.count(bhttp::field::content_length);
  if (count == 0) return std::nullopt;
  const std::string_view value = header[bhttp::field::content_length];
  const bool digits =
      !value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (count > 1 || !digits) return Refusal{400, "bad request: Content-Length must be one decimal number\n"};
  return std::nullopt;
}

}  // namespace

std::optional<Refusal> CheckFolding(std::string_view block) {
  for (auto eol = block.find("\r\n"); eol != std::string_view::npos; eol = block.find("\r\n", eol + 2)) {
    if (eol + 2 < block.size() && IsOws(block[eol + 2])) {
      return Refusal{400, "bad request: obsolete line folding (a header line starting with whitespace)\n"};
    }
  }
  return std::nullopt;
}

std::optional<Refusal> CheckFraming(const RequestHeader& header) {
  const auto hosts = header.count(bhttp::field::host);
  if (hosts > 1 || (hosts == 0 && header.version() >= 11)) {
    return Refusal{400, "bad request: exactly one Host header is required\n"};
  }
  if (auto refusal = CheckTransferEncoding(header)) return refusal;
  return CheckContentLength(header);
}

Expectation ExpectationOf(const RequestHeader& header) {
  Expectation out = Expectation::none;
  for (const auto& member : ListMembers(header, bhttp::field::expect)) {
    if (member.empty()) continue;
    if (member != "100-continue") return Expectation::unknown;
    if (header.version() >= 11) out = Expectation::continue_;
  }
  return out;
}

}  // namespace cc::http::framing
