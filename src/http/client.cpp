#include "http/client.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/log.h"
#include "http/gzip.h"
#include "http/response_head.h"
#include "http/retry_after.h"

namespace cc::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using TlsStream = ssl::stream<beast::tcp_stream>;
using Request = bhttp::request<bhttp::string_body>;

constexpr auto kUse = net::as_tuple(net::use_awaitable);
// Enough for the handful of requests one poll runs concurrently.
constexpr std::size_t kMaxIdle = 4;
// Beast's default (8 KiB) is too small for some vendors' cookie headers.
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
constexpr std::string_view kUserAgent = "callcenter_exporter";

// One socket, plain or TLS, with the read buffer that belongs to it.
struct Connection {
  Connection(const net::any_io_executor& ex, ssl::context* ctx) {
    if (ctx != nullptr) {
      tls.emplace(ex, *ctx);
    } else {
      plain.emplace(ex);
    }
  }
  beast::tcp_stream& Lowest() { return tls ? tls->next_layer() : *plain; }

  std::optional<beast::tcp_stream> plain;
  std::optional<TlsStream> tls;
  beast::flat_buffer buffer;
};

struct Attempt {
  Result<ClientResponse> result;
  // Failed before any response byte in a way a server closing an idle
  // keep-alive connection produces: worth one retry on a fresh connection.
  bool stale = false;
  bool reusable = false;
};

bool IsHttpError(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

// A transport error at or past the deadline is the deadline's doing (e.g. an
// abort); what the peer sent (bad HTTP, a bad certificate) stays what it is.
bool IsTimeout(const error_code& ec, Deadline deadline) {
  if (ec == beast::error::timeout) return true;
  return ec && Clock::now() >= deadline && !IsHttpError(ec) && ec.category() != net::error::get_ssl_category();
}

// CR, LF or NUL would let a value (e.g. a token a vendor handed out) inject
// headers; Beast writes values as given.
bool HasControlChars(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// What a peer that closed the connection looks like on write or before the
// first response byte.
bool IsClosedByPeer(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::connection_aborted || ec == net::error::broken_pipe || ec == ssl::error::stream_truncated;
}

// Reason for a failure after the connection was established.
Reason TransferReason(const error_code& ec) {
  if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    return Reason::too_large;
  }
  // The peer closed before sending anything: a connection problem. Closed in
  // the middle of a response: what arrived is a truncated, unusable body.
  if (ec == bhttp::error::end_of_stream) return Reason::connect;
  if (ec == bhttp::error::partial_message) return Reason::parse;
  if (IsHttpError(ec)) return Reason::parse;
  if (ec.category() == net::error::get_ssl_category()) return Reason::tls;
  return Reason::connect;
}

// Reads until `buffer` holds a whole response head (at most kHeaderLimit bytes), then hands
// it to `parser` in the strict form Beast accepts: Beast refuses a bare-LF line end and a
// status line without reason phrase, which curl and Python take. The bytes after the head
// stay in `buffer` for the body. Errors are the ones Beast's own read would give.
template <class Stream>
net::awaitable<error_code> ReadHead(Stream& stream, beast::flat_buffer& buffer,
                                    bhttp::response_parser<bhttp::string_body>& parser) {
  std::size_t end = std::string_view::npos;
  while (true) {
    const std::string_view have(static_cast<const char*>(buffer.data().data()), buffer.size());
    end = FindResponseHeadEnd(have);
    if (end != std::string_view::npos) break;
    if (have.size() >= kHeaderLimit) co_return bhttp::error::header_limit;
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kHeaderLimit - have.size()), kUse);
    buffer.commit(n);
    if (ec == net::error::eof) {
      co_return buffer.size() == 0 ? bhttp::error::end_of_stream : bhttp::error::partial_message;
    }
    if (ec) co_return ec;
  }
  const std::string head = NormalizeResponseHead(std::string_view(static_cast<const char*>(buffer.data().data()), end));
  buffer.consume(end);
  error_code ec;
  parser.put(net::buffer(head), ec);
  co_return ec;
}

Error StepError(Reason reason, std::string_view step, const std::string& where, std::string_view detail) {
  std::string m;
  m.reserve(step.size() + where.size() + detail.size() + 3);
  m.append(step).append(" ").append(where).append(": ").append(detail);
  return MakeError(reason, std::move(m));
}

// The certificate verification result names the actual problem ("unable to
// get local issuer certificate", "hostname mismatch"); the handshake error
// alone only says "certificate verify failed".
std::string TlsDetail(const error_code& ec, TlsStream& stream) {
  std::string detail = ec.message();
  const long verify = SSL_get_verify_result(stream.native_handle());
  if (verify != X509_V_OK) {
    detail.append(": ").append(X509_verify_cert_error_string(verify));
  }
  return detail;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

struct Client::Impl {
  Impl(net::any_io_executor executor, Options opts) : ex(std::move(executor)), opt(std::move(opts)) {
    port = opt.base.port != 0 ? opt.base.port : (opt.base.tls() ? 443 : 80);
    error_code ec;
    net::ip::make_address(opt.base.host, ec);
    host_is_ip = !ec;
    where = (opt.base.host.find(':') != std::string::npos ? "[" + opt.base.host + "]" : opt.base.host) + ":" +
            std::to_string(port);
    if (opt.base.tls()) tls_ctx.emplace(MakeTlsContext(opt.tls));
  }

  static ssl::context MakeTlsContext(const TlsConfig& tls) {
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
    error_code ec;
    if (!tls.ca_file.empty()) {
      ctx.load_verify_file(tls.ca_file, ec);
      if (ec) throw std::runtime_error("tls: cannot load ca_file " + tls.ca_file + ": " + ec.message());
    } else {
      ctx.set_default_verify_paths(ec);
      if (ec) throw std::runtime_error("tls: cannot load the system CAs: " + ec.message());
    }
    return ctx;
  }

  std::optional<Error> Validate(const ClientRequest& r) const {
    if (HasControlChars(r.target)) {
      return StepError(Reason::parse, "request", where, "target contains a control character");
    }
    for (const auto& [name, value] : r.headers) {
      if (name.empty() || HasControlChars(name) || HasControlChars(value)) {
        // The name is safe to show (it is ours); the value may be a secret.
        return StepError(Reason::parse, "request", where,
                         "header " + (HasControlChars(name) ? std::string("name") : name) +
                             " is empty or contains a control character");
      }
    }
    return std::nullopt;
  }

  Request Build(const ClientRequest& r) const {
    Request req{r.method == ClientRequest::Method::post ? bhttp::verb::post : bhttp::verb::get,
                r.target.empty() ? opt.base.path : r.target, 11};
    auto given = [&r](std::string_view name) {
      return std::find_if(r.headers.begin(), r.headers.end(),
                          [name](const auto& h) { return beast::iequals(h.first, name); });
    };
    // A vendor that signs the Host header sets its own; it must go out as given.
    if (auto host = given("Host"); host != r.headers.end()) {
      req.insert(host->first, host->second);
    } else {
      req.set(bhttp::field::host, opt.base.HostHeader());
    }
    if (given("User-Agent") == r.headers.end()) req.set(bhttp::field::user_agent, kUserAgent);
    if (given("Accept-Encoding") == r.headers.end()) req.set(bhttp::field::accept_encoding, "gzip");
    for (const auto& [name, value] : r.headers) {
      if (!beast::iequals(name, "Host")) req.insert(name, value);
    }
    if (!r.body.empty() || r.method == ClientRequest::Method::post) {
      req.body() = r.body;
      req.prepare_payload();
    }
    return req;
  }

  // getaddrinfo cannot be cancelled, so the lookup runs detached and we only
  // wait for it until the deadline; a late answer is dropped.
  net::awaitable<Result<std::vector<tcp::endpoint>>> Resolve(Deadline deadline) {
    error_code ec;
    const auto addr = net::ip::make_address(opt.base.host, ec);
    if (!ec) co_return std::vector<tcp::endpoint>{tcp::endpoint(addr, port)};

    struct Lookup {
      explicit Lookup(const net::any_io_executor& e) : resolver(e), timer(e) {}
      tcp::resolver resolver;
      net::steady_timer timer;
      std::mutex mu;
      bool done = false;
      bool abandoned = false;
      error_code ec;
      std::vector<tcp::endpoint> endpoints;
    };
    auto lookup = std::make_shared<Lookup>(ex);
    lookup->timer.expires_at(deadline);
    lookup->resolver.async_resolve(opt.base.host, std::to_string(port),
                                   [lookup](const error_code& rec, const tcp::resolver::results_type& results) {
                                     {
                                       std::lock_guard lock(lookup->mu);
                                       if (lookup->abandoned) return;
                                       lookup->done = true;
                                       lookup->ec = rec;
                                       for (const auto& entry : results) lookup->endpoints.push_back(entry.endpoint());
                                     }
                                     lookup->timer.cancel();
                                   });
    co_await lookup->timer.async_wait(kUse);
    std::unique_lock lock(lookup->mu);
    if (!lookup->done) {
      lookup->abandoned = true;
      lock.unlock();
      lookup->resolver.cancel();
      co_return StepError(Reason::timeout, "resolve", where, "deadline exceeded");
    }
    if (lookup->ec) {
      co_return StepError(IsTimeout(lookup->ec, deadline) ? Reason::timeout : Reason::connect, "resolve", where,
                          lookup->ec.message());
    }
    if (lookup->endpoints.empty()) {
      co_return StepError(Reason::connect, "resolve", where, "no addresses");
    }
    co_return std::move(lookup->endpoints);
  }

  net::awaitable<Result<std::unique_ptr<Connection>>> Open(Deadline deadline) {
    auto endpoints = co_await Resolve(deadline);
    if (!endpoints) co_return endpoints.error();
    auto conn = std::make_unique<Connection>(ex, tls_ctx ? &*tls_ctx : nullptr);
    beast::tcp_stream& lowest = conn->Lowest();
    lowest.expires_at(deadline);
    auto [ec, endpoint] = co_await lowest.async_connect(*endpoints, kUse);
    if (ec) {
      co_return StepError(IsTimeout(ec, deadline) ? Reason::timeout : Reason::connect, "connect", where, ec.message());
    }
    error_code ignored;
    lowest.socket().set_option(tcp::no_delay(true), ignored);
    if (conn->tls) {
      if (auto err = SetUpTls(*conn->tls)) co_return *err;
      auto [hec] = co_await conn->tls->async_handshake(ssl::stream_base::client, kUse);
      if (hec) {
        co_return StepError(IsTimeout(hec, deadline) ? Reason::timeout : Reason::tls, "tls handshake", where,
                            TlsDetail(hec, *conn->tls));
      }
    }
    co_return std::move(conn);
  }

  std::optional<Error> SetUpTls(TlsStream& stream) const {
    const std::string& host = opt.base.host;
    // SNI carries DNS names only (RFC 6066 section 3).
    if (!host_is_ip && SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) != 1) {
      return StepError(Reason::tls, "tls sni", where, "cannot set server name");
    }
    if (opt.tls.insecure_skip_verify) {
      stream.set_verify_mode(ssl::verify_none);
      return std::nullopt;
    }
    stream.set_verify_mode(ssl::verify_peer);
    // Record a name mismatch in the store so the handshake error can say so.
    stream.set_verify_callback(
        [check = ssl::host_name_verification(host), ip = host_is_ip](bool preverified, ssl::verify_context& vctx) {
          const bool ok = check(preverified, vctx);
          if (!ok && preverified) {
            X509_STORE_CTX_set_error(vctx.native_handle(),
                                     ip ? X509_V_ERR_IP_ADDRESS_MISMATCH : X509_V_ERR_HOSTNAME_MISMATCH);
          }
          return ok;
        });
    return std::nullopt;
  }

  template <class Stream>
  net::awaitable<Attempt> Exchange(Stream& stream, Connection& conn, const Request& req, Deadline deadline) {
    conn.Lowest().expires_at(deadline);
    auto [wec, written] = co_await bhttp::async_write(stream, req, kUse);
    if (wec) {
      const bool timeout = IsTimeout(wec, deadline);
      co_return Attempt{StepError(timeout ? Reason::timeout : TransferReason(wec), "write", where, wec.message()),
                        !timeout && IsClosedByPeer(wec)};
    }

    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(opt.max_response_bytes);
    error_code rec = co_await ReadHead(stream, conn.buffer, parser);
    // Bytes of a failed head stay in the buffer; a parsed head is in the parser.
    const bool got_some = conn.buffer.size() > 0 || parser.got_some();
    if (!rec && !parser.is_done()) {
      std::tie(rec, std::ignore) = co_await bhttp::async_read(stream, conn.buffer, parser, kUse);
    }
    if (rec == ssl::error::stream_truncated && parser.is_header_done() && parser.need_eof()) {
      // A TLS peer that ends an until-close body without close_notify.
      error_code eof_ec;
      parser.put_eof(eof_ec);
      rec = eof_ec;
    }
    if (rec) {
      const bool timeout = IsTimeout(rec, deadline);
      co_return Attempt{StepError(timeout ? Reason::timeout : TransferReason(rec), "read", where, rec.message()),
                        !timeout && !got_some && IsClosedByPeer(rec)};
    }

    auto& msg = parser.get();
    const bool reusable = msg.keep_alive() && !parser.need_eof() && conn.buffer.size() == 0;
    // Empty now: give its 64 KiB back while the connection waits for the next poll
    // (with 1,000 targets, 65 MB of idle buffers).
    if (conn.buffer.size() == 0) conn.buffer.shrink_to_fit();
    ClientResponse response;
    response.status = msg.result_int();
    response.content_type = std::string(msg[bhttp::field::content_type]);
    response.location = std::string(msg[bhttp::field::location]);
    if (msg.find(bhttp::field::retry_after) != msg.end()) {
      response.retry_after = ParseRetryAfter(msg[bhttp::field::retry_after], std::chrono::system_clock::now());
    }
    response.body = std::move(msg.body());
    const std::string_view encoding = Trim(msg[bhttp::field::content_encoding]);
    if (beast::iequals(encoding, "gzip") || beast::iequals(encoding, "x-gzip")) {
      if (!response.body.empty()) {
        auto decoded = GzipDecompress(response.body, opt.max_response_bytes);
        if (!decoded) {
          co_return Attempt{StepError(decoded.error().reason, "decode", where, decoded.error().message)};
        }
        response.body = std::move(*decoded);
      }
    } else if (!encoding.empty() && !beast::iequals(encoding, "identity")) {
      co_return Attempt{
          StepError(Reason::parse, "decode", where, "unsupported content-encoding " + std::string(encoding))};
    }
    co_return Attempt{std::move(response), false, reusable};
  }

  net::any_io_executor ex;  // the target's strand: I/O objects and handlers run here
  Options opt;
  std::uint16_t port = 0;
  bool host_is_ip = false;
  std::string where;  // "host:port" for messages
  std::optional<ssl::context> tls_ctx;
  std::vector<std::unique_ptr<Connection>> idle;
};

Client::Client(boost::asio::any_io_executor ex, Options options)
    : impl_(std::make_unique<Impl>(std::move(ex), std::move(options))) {}

Client::~Client() = default;

const Url& Client::base() const { return impl_->opt.base; }

// Sockets are closed without a TLS close_notify: nothing waits for it.
void Client::CloseIdle() { impl_->idle.clear(); }

boost::asio::awaitable<Result<ClientResponse>> Client::Send(ClientRequest request, Deadline deadline) {
  Impl& im = *impl_;
  if (auto invalid = im.Validate(request)) co_return *invalid;
  const Request req = im.Build(request);
  bool retried = false;
  for (;;) {
    if (Clock::now() >= deadline) {
      co_return StepError(Reason::timeout, "send", im.where, "deadline exceeded");
    }
    std::unique_ptr<Connection> conn;
    const bool reused = !im.idle.empty() && !retried;
    if (reused) {
      conn = std::move(im.idle.back());
      im.idle.pop_back();
    } else {
      auto opened = co_await im.Open(deadline);
      if (!opened) co_return opened.error();
      conn = std::move(*opened);
    }
    std::optional<Attempt> attempt;
    if (conn->tls) {
      attempt.emplace(co_await im.Exchange(*conn->tls, *conn, req, deadline));
    } else {
      attempt.emplace(co_await im.Exchange(*conn->plain, *conn, req, deadline));
    }
    if (!attempt->result.ok() && attempt->stale && reused) {
      // The server dropped an idle connection; its siblings are likely gone too.
      log::Debug("http client: idle connection closed by peer, retrying",
                 {{"peer", im.where}, {"err", attempt->result.error().message}});
      retried = true;
      im.idle.clear();
      continue;
    }
    // Some servers close an idle keep-alive connection by answering the next
    // request on it with 408 (RFC 9110 §15.5.9): the request never ran.
    if (attempt->result.ok() && attempt->result->status == 408 && reused) {
      log::Debug("http client: idle connection answered 408, retrying on a new connection", {{"peer", im.where}});
      retried = true;
      im.idle.clear();
      continue;
    }
    if (attempt->reusable && im.idle.size() < kMaxIdle) im.idle.push_back(std::move(conn));
    co_return std::move(attempt->result);
  }
}

}  // namespace cc::http
