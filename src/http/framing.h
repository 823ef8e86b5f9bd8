#pragma once
// Which requests the listener refuses before reading their body: message
// framing that two HTTP implementations could read differently (request
// smuggling, RFC 9112 §6 and §11.2), a missing or repeated Host (RFC 9112 §3.2),
// obsolete line folding (RFC 9112 §5.2) and expectations (RFC 9110 §10.1.1).
// Pure functions of the request header; no I/O, safe from any thread.

#include <optional>
#include <string_view>

#include <boost/beast/http/message.hpp>

#include "http/request_parse.h"

namespace cc::http::framing {

// Each check answers with a Refusal (400, 417 or 501, http/request_parse.h):
// sent instead of reading the request, after which the connection is closed,
// so nothing after a refused header is parsed as a request.
using RequestHeader = boost::beast::http::request_header<>;

// RFC 9112 §5.2 and §2.2: `block` is the header section as received (request
// line to the last field's CRLF); a line that starts with SP or HTAB (a folded
// field value, or whitespace before the first field) is refused with 400.
std::optional<Refusal> CheckFolding(std::string_view block);

// The framing of a parsed header (RFC 9112 §6.1, §6.3, RFC 9110 §8.6):
// - Transfer-Encoding in an HTTP/1.0 request: 400 (its framing is faulty).
// - Transfer-Encoding with Content-Length: 400.
// - a coding list that does not end in one `chunked`, or repeats it: 400;
//   any coding besides `chunked` (gzip, …) is not implemented: 501.
// - Content-Length that is not exactly one field of one decimal number: 400
//   (RFC 9110 §8.6 lets a recipient reject "42, 42" and so do we).
// - HTTP/1.1 without exactly one Host, or two Host fields in any version: 400.
std::optional<Refusal> CheckFraming(const RequestHeader& header);

enum class Expectation {
  none,       // no Expect, or 100-continue in HTTP/1.0 (which must be ignored)
  continue_,  // send 100 Continue before reading the body
  unknown,    // a member other than 100-continue: 417
};
Expectation ExpectationOf(const RequestHeader& header);

}  // namespace cc::http::framing
