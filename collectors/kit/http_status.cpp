#include "collectors/kit/http_status.h"

#include "collectors/kit/json.h"

namespace cc::kit {
namespace {

std::string_view Meaning(int status) {
  switch (status) {
    case 301:
    case 302:
    case 303:
    case 307:
    case 308: return "redirect: check the url";
    case 401: return "credentials refused";
    case 403: return "forbidden";
    case 404: return "not found: check the url and the vendor's API version";
    case 429: return "rate limited";
    case 500: return "server error";
    case 502:
    case 504: return "gateway error";
    case 503: return "unavailable";
    default: return {};
  }
}

// The location without user info, query and fragment (they may carry
// credentials or a session), printable and short: it ends up in logs and on
// the landing page.
std::string SafeLocation(std::string_view location) {
  location = Trim(location.substr(0, location.find_first_of("?#")));
  std::string scheme;
  if (const auto sep = location.find("://"); sep != std::string_view::npos) {
    scheme = std::string(location.substr(0, sep + 3));
    location.remove_prefix(sep + 3);
    const auto at = location.find('@');
    if (at != std::string_view::npos && at < location.find('/')) location.remove_prefix(at + 1);
  }
  constexpr std::size_t kMaxBytes = 200;
  std::string out;
  for (char c : scheme + std::string(location.substr(0, kMaxBytes))) out += (c > 0x20 && c < 0x7f) ? c : '.';
  if (location.size() > kMaxBytes) out += "...";
  return out;
}

}  // namespace

Error StatusError(std::string_view what, int status, std::string_view location) {
  const Reason reason = (status == 401 || status == 403) ? Reason::auth : Reason::http_status;
  std::string message = std::string(what) + (what.empty() ? "" : ": ") + "HTTP status " + std::to_string(status);
  if (auto meaning = Meaning(status); !meaning.empty()) message += " (" + std::string(meaning) + ")";
  if (status >= 300 && status < 400 && !Trim(location).empty()) message += ", redirected to " + SafeLocation(location);
  return MakeError(reason, std::move(message));
}

Error ResponseError(std::string_view what, const http::ClientResponse& response) {
  Error error = StatusError(what, static_cast<int>(response.status), response.location);
  error.retry_after = response.retry_after;
  return error;
}

Result<std::string> BodyOf(Result<http::ClientResponse> response, std::string_view what) {
  if (!response) return response.error();
  if (response->status != 200) return ResponseError(what, *response);
  return std::move(response->body);
}

}  // namespace cc::kit
