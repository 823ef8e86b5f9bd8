#include "http/request_parse.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "http/framing.h"

namespace cc::http {
namespace {

namespace bhttp = boost::beast::http;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Beast's read loop on a buffer that holds everything the peer will send:
// `need_more` means no progress without new bytes (Beast asserts if called
// again with the same ones), and with nothing more to come that is the peer
// closing. Up to the end of the header only (as the listener reads, checking
// it before the body), or to the end of the message; `bytes` keeps what is left.
boost::system::error_code Feed(RequestParser& parser, std::string_view& bytes, bool header_only) {
  parser.eager(!header_only);
  boost::system::error_code ec;
  while (header_only ? !parser.is_header_done() : !parser.is_done()) {
    const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec && ec != bhttp::error::need_more) return ec;
    if (!ec && used > 0) continue;  // the header is done: the body comes next
    if (!parser.got_some()) return bhttp::error::end_of_stream;
    ec = {};
    parser.put_eof(ec);
    if (!ec && !parser.is_done()) ec = bhttp::error::partial_message;
    return ec;
  }
  return ec;
}

}  // namespace

void LimitParser(RequestParser& parser, std::size_t max_header_bytes, std::size_t max_body_bytes) {
  parser.header_limit(
      static_cast<std::uint32_t>(std::min<std::size_t>(max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(max_body_bytes);
}

std::optional<Refusal> RefusalFor(const boost::system::error_code& ec) {
  if (ec == bhttp::error::header_limit) return Refusal{431, "request header fields too large\n"};
  if (ec == bhttp::error::body_limit) return Refusal{413, "request body too large\n"};
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return Refusal{};
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return Refusal{400, "bad request\n"};
  }
  return std::nullopt;
}

std::optional<Refusal> RefuseHeaderBytes(std::string_view bytes, std::size_t max_header_bytes) {
  const auto end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos || end + 4 > max_header_bytes) return std::nullopt;
  return framing::CheckFolding(bytes.substr(0, end + 2));
}

std::optional<Refusal> RefuseHeader(const RequestParser& parser) {
  const auto& header = parser.get().base();
  if (auto refusal = framing::CheckFraming(header)) return refusal;
  // A Transfer-Encoding the parser did not take as chunked would leave the
  // body to be read as the next request.
  if (header.count(bhttp::field::transfer_encoding) > 0 && !parser.chunked()) {
    return Refusal{400, "bad request: Transfer-Encoding must end in a single chunked\n"};
  }
  if (framing::ExpectationOf(header) == framing::Expectation::unknown) {
    return Refusal{417, "expectation failed: only 100-continue is supported\n"};
  }
  return std::nullopt;
}

std::string OriginForm(std::string_view target) {
  const auto sep = target.find("://");
  if (sep == std::string_view::npos || target.find_first_of("/?") < sep) return std::string(target);
  const auto path = target.find_first_of("/?", sep + 3);
  if (path == std::string_view::npos) return "/";
  std::string out(target.substr(path));
  if (out.front() == '?') out.insert(out.begin(), '/');
  return out;
}

Request ToRequest(bhttp::request<bhttp::string_body>& msg, const std::string& remote) {
  Request req;
  req.method = std::string(msg.method_string());
  req.target = OriginForm(msg.target());
  auto q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = req.target.substr(q + 1);
  for (const auto& field : msg) {
    req.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  }
  req.body = std::move(msg.body());
  req.remote = remote;
  return req;
}

std::variant<Request, Refusal> ParseRequest(std::string_view bytes, std::size_t max_header_bytes,
                                            std::size_t max_body_bytes) {
  RequestParser parser;
  LimitParser(parser, max_header_bytes, max_body_bytes);
  if (auto refusal = RefuseHeaderBytes(bytes, max_header_bytes)) return *refusal;
  if (const auto ec = Feed(parser, bytes, /*header_only=*/true)) return RefusalFor(ec).value_or(Refusal{});
  if (auto refusal = RefuseHeader(parser)) return *refusal;
  if (const auto ec = Feed(parser, bytes, /*header_only=*/false)) return RefusalFor(ec).value_or(Refusal{});
  return ToRequest(parser.get(), "");
}

}  // namespace cc::http
