#pragma once
// gzip for /metrics responses and for vendor responses sent with
// Content-Encoding: gzip. Decompression is capped, so a small body cannot
// expand into an unbounded one.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cc {

// True if an Accept-Encoding header value allows gzip ("gzip" or "*"
// without q=0).
bool AcceptsGzip(std::string_view accept_encoding);

std::string GzipCompress(std::string_view data, int level = 6);

// too_large once the output would exceed max_bytes; parse on corrupt input.
Result<std::string> GzipDecompress(std::string_view data, std::uint64_t max_bytes);

}  // namespace cc
