#pragma once
// The pure half of the listener: the bytes of one HTTP/1.1 request in, the
// handler's Request or the listener's refusal out. No sockets and no Asio
// I/O: Server reads with Beast's parser and applies these same rules, and
// fuzz/http_request.cpp feeds ParseRequest arbitrary bytes.
//
// Rules: RFC 9112 (message syntax and framing, as Beast 1.81 parses it),
// §3.2 exactly one Host field in HTTP/1.1 and never two, §3.2.2 an
// absolute-form target is served as its origin form; what two readers could
// frame differently (§6, §5.2) and unknown expectations (RFC 9110 §10.1.1)
// are refused from the header, before the body is read (http/framing.h).
//
// Thread safety: pure functions, callable from any thread.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/server.h"

namespace cc::http {

// What the listener answers instead of calling the handler, and then closes.
// status 0: nothing is answered (the peer went away mid-request).
struct Refusal {
  unsigned status = 0;
  std::string_view body;  // static text, never the request's bytes
};

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// A parser with the listener's limits: header bytes (clamped to Beast's
// 32-bit limit) and body bytes.
void LimitParser(RequestParser& parser, std::size_t max_header_bytes, std::size_t max_body_bytes);

// The refusal for a Beast read error: 431 over the header limit, 413 over
// the body limit, 400 for any other HTTP syntax error, status 0 for a peer
// that stopped mid-request; nullopt for errors that are not about the
// request's bytes (timeouts, sockets): those just close.
std::optional<Refusal> RefusalFor(const boost::system::error_code& ec);

// A refusal for the header section as received, before the parser reads it
// (http/framing.h CheckFolding): `bytes` from the request line on. Looked at
// only once the header is complete within the header limit (beyond it, the
// parser's 431 stands).
std::optional<Refusal> RefuseHeaderBytes(std::string_view bytes, std::size_t max_header_bytes);

// A refusal for a parsed header, before its body is read: the framing rules
// (http/framing.h CheckFraming: Host, Transfer-Encoding, Content-Length), a
// Transfer-Encoding the parser did not take as chunked, an expectation other
// than 100-continue (417).
std::optional<Refusal> RefuseHeader(const RequestParser& parser);

// The handler's view of a parsed request (header names lower-cased, target
// in origin form); moves the body out of `msg`.
Request ToRequest(boost::beast::http::request<boost::beast::http::string_body>& msg, const std::string& remote);

// The origin form of a request target: "http://host/metrics?x" → "/metrics?x".
std::string OriginForm(std::string_view target);

// One whole request in `bytes` (bytes after its end are ignored), with the
// listener's limits: the Request the handler would get, or the Refusal.
std::variant<Request, Refusal> ParseRequest(std::string_view bytes, std::size_t max_header_bytes,
                                            std::size_t max_body_bytes);

}  // namespace cc::http
