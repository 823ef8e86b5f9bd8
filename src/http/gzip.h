#pragma once
// gzip for /metrics responses and for vendor responses sent with
// Content-Encoding: gzip. Decompression is capped, so a small body cannot
// expand into an unbounded one.
//
// A /metrics body is mostly text rendered once per poll, so its compressed form
// is made then too, in pieces (DeflatePiece) that a scrape splices into one gzip
// member (GzipWriter) between a header and a trailer of its own.

#include <cstdint>
#include <memory>
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

// The raw deflate data (RFC 1951) of one text, made to be spliced: complete blocks, none
// with BFINAL set, ending on a byte boundary (an empty stored block, §3.2.4, as zlib's
// Z_FULL_FLUSH ends them), and no back-reference (§3.2.5) to a byte before the piece's own
// first one. So any sequence of pieces is deflate data that inflates to the concatenation of
// their texts, whatever came before each.
struct DeflatePiece {
  std::string data;
  std::uint32_t crc = 0;   // CRC-32 of the text (RFC 1952 §8, zlib's crc32())
  std::uint64_t size = 0;  // bytes of the text
};

// Compresses texts into pieces with one zlib stream (setting one up costs about
// 256 KiB of buffers, too much to do per piece). Not thread-safe: one per thread.
class PieceDeflater {
 public:
  // level: zlib's, 0 (stored) to 9; std::invalid_argument otherwise.
  explicit PieceDeflater(int level);
  ~PieceDeflater();
  PieceDeflater(const PieceDeflater&) = delete;
  PieceDeflater& operator=(const PieceDeflater&) = delete;

  DeflatePiece Deflate(std::string_view text);
  // Appends `text`'s piece data to `out`; returns the text's CRC-32.
  std::uint32_t DeflateInto(std::string_view text, std::string& out);

 private:
  struct Stream;  // zlib's z_stream, kept out of this header
  std::unique_ptr<Stream> stream_;
};

// One gzip member (RFC 1952 §2.3) written into `out`: the 10-byte header at construction,
// then the text of each piece spliced, stored or deflated as it comes, then Finish(): the
// final block and the trailer (the CRC-32 of all the text, crc32_combine() of the pieces',
// and its length mod 2^32). Not thread-safe.
class GzipWriter {
 public:
  // level: zlib's, for Deflate().
  GzipWriter(std::string& out, int level);

  void Append(const DeflatePiece& piece);
  // Stored blocks (RFC 1951 §3.2.4): a copy, for text whose deflate form would not be smaller.
  void Store(std::string_view text);
  // Compressed now, as a piece of its own (for text made per scrape, or small).
  void Deflate(std::string_view text);
  // Ends the member; nothing may be appended after.
  void Finish();

 private:
  void Combine(std::uint32_t crc, std::uint64_t size);

  std::string& out_;
  int level_;
  std::unique_ptr<PieceDeflater> deflater_;  // made at the first Deflate()
  std::uint32_t crc_ = 0;
  std::uint64_t size_ = 0;
};

}  // namespace cc
