// The listener's request parsing (http/request_parse.h) on any bytes, with
// the exporter's limits: a Request the handler can use, or a refusal.
#include <cstdlib>
#include <string>
#include <variant>

#include "fuzz_support.h"
#include "http/request_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = cc::http::ParseRequest(cc::fuzz::Text(data, size), 8 * 1024, 64 * 1024);
  if (auto* refusal = std::get_if<cc::http::Refusal>(&parsed)) {
    const unsigned s = refusal->status;
    // 417: an expectation other than 100-continue; 501: a transfer coding
    // other than chunked (http/framing.h).
    if (s != 0 && s != 400 && s != 413 && s != 417 && s != 431 && s != 501) std::abort();
    return 0;
  }
  const auto& req = std::get<cc::http::Request>(parsed);
  // The handler sees the target split at its first '?', nothing lost.
  const bool has_query = req.target.find('?') != std::string::npos;
  if (req.path + (has_query ? "?" + req.query : "") != req.target) std::abort();
  (void)req.Param("target");
  (void)req.FormParam("queue");
  (void)req.Header("authorization");
  return 0;
}
