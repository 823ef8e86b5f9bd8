#include "collectors/kit/http_status.h"

namespace cc::kit {
namespace {

std::string_view Meaning(int status) {
  switch (status) {
    case 301:
    case 302:
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

}  // namespace

Error StatusError(std::string_view what, int status) {
  const Reason reason = (status == 401 || status == 403) ? Reason::auth : Reason::http_status;
  std::string message = std::string(what) + (what.empty() ? "" : ": ") + "HTTP status " + std::to_string(status);
  if (auto meaning = Meaning(status); !meaning.empty()) message += " (" + std::string(meaning) + ")";
  return MakeError(reason, std::move(message));
}

Result<std::string> BodyOf(Result<http::ClientResponse> response, std::string_view what) {
  if (!response) return response.error();
  if (response->status != 200) return StatusError(what, response->status);
  return std::move(response->body);
}

}  // namespace cc::kit
