#pragma once
// The head of an HTTP response (status line and fields, up to the empty line), read as
// liberally as curl and Python's http.client read it, and rewritten in the strict form
// Beast's parser accepts. Pure functions on bytes: no I/O, thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace cc::http {

// Offset just past the empty line that ends the head in `bytes`, or npos when the head
// is not complete yet. A line may end in CRLF or a bare LF (RFC 9112 §2.2: "a recipient
// MAY recognize a single LF as a line terminator and ignore any preceding CR").
std::size_t FindResponseHeadEnd(std::string_view bytes);

// `head` (as delimited by FindResponseHeadEnd) with every line ending in CRLF, and a
// status line without its reason phrase ("HTTP/1.1 200", RFC 9112 §4: the reason phrase
// may be empty and a client SHOULD ignore it) given the SP that precedes one.
// Everything else is left for the parser to judge, byte for byte.
std::string NormalizeResponseHead(std::string_view head);

}  // namespace cc::http
