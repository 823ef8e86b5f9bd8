#pragma once
// One mapping from a vendor's HTTP answer to a poll failure, so the same
// status is the same `reason` for every vendor (docs/metrics.md,
// callcenter_poll_failures_total). Pure; thread-safe.

#include <string>
#include <string_view>

#include "common/result.h"
#include "http/client.h"

namespace cc::kit {

// The failure for an answer with HTTP status `status` (not 200), "<what>: HTTP
// status N (<meaning>)": 401 and 403 → auth (credentials refused, or not
// allowed from this address); every other status → http_status. RFC 9110 §15.
// A redirect's `location` is named (", redirected to …") so the operator can
// fix the url; redirects are never followed (they could carry credentials to
// another host), and the query and user info of the location are left out.
Error StatusError(std::string_view what, int status, std::string_view location = {});

// StatusError for `response`, carrying its Retry-After (RFC 9110 §10.2.3) so
// the scheduler waits as long as the vendor asked (429, 503, or any status).
Error ResponseError(std::string_view what, const http::ClientResponse& response);

// The body of a 200 answer; a transport error as it is; any other status as
// ResponseError.
Result<std::string> BodyOf(Result<http::ClientResponse> response, std::string_view what);

}  // namespace cc::kit
