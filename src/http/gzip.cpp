#include "http/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>

namespace cc {
namespace {

// zlib counts in uInt (32 bits); larger inputs are fed in slices.
constexpr std::size_t kMaxSlice = std::numeric_limits<uInt>::max();
constexpr std::size_t kChunk = 64 * 1024;
// 16 + MAX_WBITS: gzip wrapper (RFC 1952), not raw zlib.
constexpr int kGzipWindowBits = 16 + MAX_WBITS;

void Feed(z_stream& zs, std::string_view data, std::size_t& pos) {
  if (zs.avail_in == 0 && pos < data.size()) {
    const std::size_t n = std::min(kMaxSlice, data.size() - pos);
    // zlib's API is not const-correct; it never writes through next_in.
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + pos));
    zs.avail_in = static_cast<uInt>(n);
    pos += n;
  }
}

}  // namespace

std::string GzipCompress(std::string_view data, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out;
  out.reserve(static_cast<std::size_t>(deflateBound(&zs, static_cast<uLong>(std::min(data.size(), kMaxSlice)))));
  std::array<char, kChunk> buf;
  std::size_t pos = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    Feed(zs, data, pos);
    const int flush = pos == data.size() ? Z_FINISH : Z_NO_FLUSH;
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = static_cast<uInt>(buf.size());
    rc = deflate(&zs, flush);
    if (rc == Z_STREAM_ERROR) break;
    out.append(buf.data(), buf.size() - zs.avail_out);
  }
  deflateEnd(&zs);
  return out;
}

Result<std::string> GzipDecompress(std::string_view data, std::uint64_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) {
    return MakeError(Reason::parse, "gzip: inflateInit failed");
  }
  std::string out;
  std::array<char, kChunk> buf;
  std::size_t pos = 0;
  bool ended = false;
  std::string failure;
  Reason failure_reason = Reason::parse;
  for (;;) {
    Feed(zs, data, pos);
    if (ended) {
      // Concatenated gzip members are one valid stream (RFC 1952 2.2).
      if (zs.avail_in == 0) break;
      inflateReset(&zs);
      ended = false;
    }
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = static_cast<uInt>(buf.size());
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const std::size_t have = buf.size() - zs.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      failure = zs.msg != nullptr ? zs.msg : "corrupt data";
      break;
    }
    if (have > max_bytes - std::min<std::uint64_t>(out.size(), max_bytes)) {
      failure = "decompressed body exceeds " + std::to_string(max_bytes) + " bytes";
      failure_reason = Reason::too_large;
      break;
    }
    if (out.size() + have > out.capacity()) {
      // Grow by doubling but never past the cap: a bomb cannot make us
      // allocate much more than max_bytes.
      const std::uint64_t want = std::max<std::uint64_t>(out.capacity() * 2, out.size() + have);
      out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(want, max_bytes)));
    }
    out.append(buf.data(), have);
    if (rc == Z_STREAM_END) {
      ended = true;
      continue;
    }
    if (have == 0 && zs.avail_in == 0 && pos == data.size()) {
      failure = "truncated input";
      break;
    }
  }
  inflateEnd(&zs);
  if (!failure.empty()) return MakeError(failure_reason, "gzip: " + failure);
  return out;
}

bool AcceptsGzip(std::string_view header) {
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semi = item.find(';');
    auto coding = item.substr(0, semi);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip" && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    auto params = item.substr(semi + 1);
    auto q = params.find("q=");
    if (q == std::string_view::npos) return true;
    auto value = params.substr(q + 2);
    // q=0, q=0.0, q=0.000 refuse; anything else accepts.
    bool zero = !value.empty() && value.front() == '0' && value.find_first_not_of("0. ", 0) == std::string_view::npos;
    return !zero;
  }
  return false;
}

}  // namespace cc
