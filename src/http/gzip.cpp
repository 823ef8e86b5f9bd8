#include "http/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>
#include <new>
#include <stdexcept>

namespace cc {
namespace {

// zlib counts in uInt (32 bits); larger inputs are fed in slices.
constexpr std::size_t kMaxSlice = std::numeric_limits<uInt>::max();
constexpr std::size_t kChunk = 64 * 1024;
// 16 + MAX_WBITS: gzip wrapper (RFC 1952), not raw zlib.
constexpr int kGzipWindowBits = 16 + MAX_WBITS;
// Negative: raw deflate, no wrapper; GzipWriter writes the member's own.
constexpr int kRawWindowBits = -MAX_WBITS;
constexpr int kMemLevel = 8;  // zlib's default

// RFC 1952 §2.3.1: ID1 ID2, CM 8 (deflate), no FLG, no MTIME (a scrape has no file
// date), XFL 0, OS 3 (Unix, as zlib writes it).
constexpr std::array<char, 10> kGzipHeader{'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, 3};
// RFC 1951 §3.2.3, §3.2.6: BFINAL 1, BTYPE 01 (fixed codes), then end-of-block (code
// 256, seven 0 bits); 10 bits, padded to two bytes.
constexpr std::array<char, 2> kFinalEmptyBlock{3, 0};
// RFC 1951 §3.2.4: a stored block holds at most 65,535 bytes.
constexpr std::size_t kMaxStored = 0xffff;

void Feed(z_stream& zs, std::string_view data, std::size_t& pos) {
  if (zs.avail_in == 0 && pos < data.size()) {
    const std::size_t n = std::min(kMaxSlice, data.size() - pos);
    // zlib's API is not const-correct; it never writes through next_in.
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + pos));
    zs.avail_in = static_cast<uInt>(n);
    pos += n;
  }
}

std::uint32_t Crc32(std::string_view text) {
  return static_cast<std::uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<z_size_t>(text.size())));
}

// Little-endian, as every multi-byte number of RFC 1951 and 1952 (§2.1 of both).
void AppendLe(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

}  // namespace

struct PieceDeflater::Stream {
  z_stream zs{};
  ~Stream() { deflateEnd(&zs); }
};

PieceDeflater::PieceDeflater(int level) : stream_(std::make_unique<Stream>()) {
  const int rc = deflateInit2(&stream_->zs, level, Z_DEFLATED, kRawWindowBits, kMemLevel, Z_DEFAULT_STRATEGY);
  if (rc == Z_MEM_ERROR) throw std::bad_alloc();
  if (rc != Z_OK) throw std::invalid_argument("deflate level " + std::to_string(level));
}

PieceDeflater::~PieceDeflater() = default;

DeflatePiece PieceDeflater::Deflate(std::string_view text) {
  DeflatePiece piece;
  piece.crc = DeflateInto(text, piece.data);
  piece.size = text.size();
  // Kept until the next poll: without the string's room to grow.
  piece.data.shrink_to_fit();
  return piece;
}

std::uint32_t PieceDeflater::DeflateInto(std::string_view text, std::string& out) {
  // Deflating nothing would add an empty stored block: valid, but 5 bytes for nothing.
  if (text.empty()) return 0;
  z_stream& zs = stream_->zs;
  std::size_t pos = 0;
  for (;;) {
    Feed(zs, text, pos);
    // Z_FULL_FLUSH after the last byte: zlib ends the blocks on a byte boundary and
    // forgets the text, so the next piece refers to nothing of this one.
    const int flush = pos == text.size() ? Z_FULL_FLUSH : Z_NO_FLUSH;
    const std::size_t used = out.size();
    // The bound is for a whole stream (the flush's own few bytes are in the margin), but
    // at most kChunk: room for a text as large as itself would outlive it in the allocator.
    const std::size_t room = std::min<std::size_t>(deflateBound(&zs, zs.avail_in) + 64, kChunk);
    out.resize(used + room);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    zs.avail_out = static_cast<uInt>(room);
    deflate(&zs, flush);
    out.resize(used + room - zs.avail_out);
    // zlib: all is out once a flush returns with room to spare.
    if (flush == Z_FULL_FLUSH && zs.avail_out != 0) break;
  }
  return Crc32(text);
}

GzipWriter::GzipWriter(std::string& out, int level) : out_(out), level_(level) {
  out_.append(kGzipHeader.data(), kGzipHeader.size());
}

void GzipWriter::Append(const DeflatePiece& piece) {
  out_ += piece.data;
  Combine(piece.crc, piece.size);
}

void GzipWriter::Store(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size(); pos += kMaxStored) {
    const auto len = static_cast<std::uint32_t>(std::min(kMaxStored, text.size() - pos));
    // BFINAL 0, BTYPE 00, and the rest of the byte skipped (§3.2.4); then LEN and NLEN.
    out_ += '\0';
    AppendLe(out_, len, 2);
    AppendLe(out_, ~len & 0xffff, 2);
    out_.append(text.substr(pos, len));
  }
  Combine(Crc32(text), text.size());
}

void GzipWriter::Deflate(std::string_view text) {
  if (text.empty()) return;
  if (!deflater_) deflater_ = std::make_unique<PieceDeflater>(level_);
  Combine(deflater_->DeflateInto(text, out_), text.size());
}

void GzipWriter::Finish() {
  out_.append(kFinalEmptyBlock.data(), kFinalEmptyBlock.size());
  // RFC 1952 §2.3.1: CRC32, then ISIZE, the length mod 2^32.
  AppendLe(out_, crc_, 4);
  AppendLe(out_, static_cast<std::uint32_t>(size_ & 0xffffffffu), 4);
}

void GzipWriter::Combine(std::uint32_t crc, std::uint64_t size) {
  // The CRC of the text so far followed by `size` more bytes (zlib's crc32_combine).
  crc_ = static_cast<std::uint32_t>(crc32_combine(crc_, crc, static_cast<z_off_t>(size)));
  size_ += size;
}

std::string GzipCompress(std::string_view data, int level) {
  std::string out;
  GzipWriter gz(out, level);
  gz.Deflate(data);
  gz.Finish();
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
