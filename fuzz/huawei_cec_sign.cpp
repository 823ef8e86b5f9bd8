// The Huawei auth-v2 canonicaliser and signer on any request. Input, one
// field a line: method, URI, query ("k=v&k=v"), then "name:value" header
// lines up to an empty line, then the body (every byte to the end).
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <string>

#include "collectors/huawei_cec/sign.h"
#include "fuzz_support.h"

namespace {

using cc::huawei_cec::NameValues;

std::string_view NextLine(std::string_view& rest) {
  const auto nl = rest.find('\n');
  const std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  return line;
}

std::pair<std::string, std::string> Split(std::string_view text, char sep) {
  const auto at = text.find(sep);
  if (at == std::string_view::npos) return {std::string(text), ""};
  return {std::string(text.substr(0, at)), std::string(text.substr(at + 1))};
}

NameValues Query(std::string_view text) {
  NameValues out;
  while (!text.empty()) {
    const auto amp = text.find('&');
    out.push_back(Split(text.substr(0, amp), '='));
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cc::huawei_cec;
  std::string_view rest = cc::fuzz::Text(data, size);
  SignRequest request{.method = NextLine(rest), .uri = NextLine(rest), .query = Query(NextLine(rest))};
  for (std::string_view line = NextLine(rest); !line.empty(); line = NextLine(rest)) {
    request.headers.push_back(Split(line, ':'));
  }
  request.body = rest;
  // The body is signed percent-encoded (§2.2): only unreserved bytes and
  // %XX escapes, at the very end of the canonical request.
  const std::string body = Normalize(request.body);
  for (char c : body) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("-._~%").find(c) == std::string_view::npos) {
      std::abort();
    }
  }
  if (!CanonicalRequest(request).ends_with("\n" + body)) std::abort();
  (void)Authorization("ak", "sk", request, std::chrono::system_clock::time_point(std::chrono::seconds(1'530'499'369)));
  return 0;
}
