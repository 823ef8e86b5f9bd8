#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "common/log.h"
#include "http/connections.h"
#include "http/framing.h"
#include "http/request_parse.h"

namespace cc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Bytes asked for per read of a request's header.
constexpr std::size_t kReadSize = 4096;
// RFC 9110 §15.2.1: the interim answer to "Expect: 100-continue".
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// After an error response the rest of the request is drained for a moment so
// that closing with unread data does not reset the connection before the
// client has read the response.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerMaxBytes = 1 << 20;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) { return a.size() == b.size() && Lower(a) == Lower(b); }

std::string FormatEndpoint(const tcp::endpoint& ep) {
  auto addr = ep.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
    addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
  }
  if (addr.is_v6()) return "[" + addr.to_string() + "]:" + std::to_string(ep.port());
  return addr.to_string() + ":" + std::to_string(ep.port());
}

struct HostPort {
  std::string host;  // empty: all interfaces
  unsigned short port = 0;
};

HostPort SplitHostPort(const std::string& address) {
  auto fail = [&](const char* why) { return std::runtime_error("listen on \"" + address + "\": " + why); };
  HostPort hp;
  std::string port;
  if (!address.empty() && address.front() == '[') {
    auto close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':') {
      throw fail("expected [ipv6]:port");
    }
    hp.host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    auto colon = address.rfind(':');
    if (colon == std::string::npos) throw fail("expected host:port");
    hp.host = address.substr(0, colon);
    if (hp.host.find(':') != std::string::npos) throw fail("IPv6 addresses need brackets: [addr]:port");
    port = address.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) || std::stoul(port) > 65535) {
    throw fail("invalid port");
  }
  hp.port = static_cast<unsigned short>(std::stoul(port));
  return hp;
}

// Bytes of a body given as pieces.
std::size_t PiecesSize(const std::vector<std::string_view>& pieces) {
  std::size_t n = 0;
  for (auto p : pieces) n += p.size();
  return n;
}

// The buffers that write `pieces`: large ones where they lie, runs of small ones copied
// together into `scratch` (asio writes at most 64 buffers a call, and 1,000 small targets
// make ~30,000 pieces of a few hundred bytes). `scratch` must outlive the write.
std::vector<asio::const_buffer> PieceBuffers(const std::vector<std::string_view>& pieces, std::string& scratch) {
  constexpr std::size_t kSmall = 16 * 1024;
  std::size_t small = 0;
  for (auto p : pieces) small += p.size() < kSmall ? p.size() : 0;
  scratch.clear();
  scratch.reserve(small);  // never grows below, so the runs' addresses stay put
  std::vector<asio::const_buffer> buffers;
  std::size_t run = 0;  // where the current run of small pieces starts in scratch
  const auto end_run = [&] {
    if (scratch.size() > run) buffers.emplace_back(scratch.data() + run, scratch.size() - run);
    run = scratch.size();
  };
  for (auto p : pieces) {
    if (p.size() < kSmall) {
      scratch.append(p);
    } else {
      end_run();
      buffers.emplace_back(p.data(), p.size());
    }
  }
  end_run();
  return buffers;
}

Response PlainResponse(unsigned status, std::string_view body) {
  Response res;
  res.status = status;
  res.body = std::string(body);
  return res;
}

// The message that carries `res`: headers in the order given, the listener's
// extra headers, no body where the status has none, HEAD answered with the
// GET's Content-Length.
bhttp::response<bhttp::string_body> ToMessage(Response res, const Server::Options& opts, unsigned version, bool head,
                                              bool keep_alive) {
  bhttp::response<bhttp::string_body> out;
  out.version(version);
  out.result(res.status >= 100 && res.status <= 999 ? res.status : 500u);
  if (!opts.server_header.empty()) out.set(bhttp::field::server, opts.server_header);
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  for (const auto& [name, value] : opts.extra_headers) out.set(name, value);
  for (auto& [name, value] : res.headers) {
    if (EqualsIgnoreCase(name, "content-type") || EqualsIgnoreCase(name, "server")) {
      out.set(name, value);
    } else {
      out.insert(name, value);
    }
  }
  const auto status_class = bhttp::to_status_class(out.result());
  if (status_class == bhttp::status_class::informational || out.result() == bhttp::status::no_content ||
      out.result() == bhttp::status::not_modified) {
    res.body.clear();  // these statuses have no body; Beast would throw
  }
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  if (head) out.body().clear();  // Content-Length still tells the GET size
  return out;
}

class Core;
asio::awaitable<Response> Dispatch(const Core& core, Request req);

// An acceptor with the timer that delays its next accept after a failure.
// The timer exists beforehand because accepts fail when descriptors ran out,
// which is no time to allocate (nor for the sanitizers to probe memory,
// which takes a pipe).
struct Listener : tcp::acceptor {
  explicit Listener(asio::io_context& ioc) : tcp::acceptor(ioc), retry(ioc) {}
  asio::steady_timer retry;
};

// Everything the listeners and sessions share; outlives the Server object
// while sessions are still running.
class Core : public std::enable_shared_from_this<Core> {
 public:
  Core(asio::io_context& ioc, Handler handler, Server::Options options)
      : ioc_(ioc), handler_(std::move(handler)), options_(std::move(options)), connections_(options_.max_connections) {}

  void Listen(const std::string& address);
  std::vector<std::string> LocalAddresses() const {
    std::lock_guard lock(mu_);
    return addresses_;
  }
  void Stop();

  const Handler& handler() const { return handler_; }
  const Server::Options& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  ConnectionRegistry& connections() { return connections_; }

 private:
  void Accept(const std::shared_ptr<Listener>& acceptor);
  void OnAccept(const std::shared_ptr<Listener>& acceptor, error_code ec, tcp::socket socket);
  void AcceptFailed(const std::shared_ptr<Listener>& acceptor, error_code ec);
  template <class SessionT>
  void Start(std::shared_ptr<SessionT> session);

  asio::io_context& ioc_;
  const Handler handler_;
  const Server::Options options_;
  std::atomic<bool> stopping_{false};
  ConnectionRegistry connections_;
  AcceptBackoff backoff_;

  // Guards every call on the acceptors (so Stop can close them from any
  // thread and the listener is closed when Stop returns), the address list,
  // and the start of sessions against Stop.
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Listener>> acceptors_;
  std::vector<std::string> addresses_;
};

// One connection over `Stream` (plain TCP or TLS over TCP); everything runs
// on the socket's strand.
template <class Stream>
class Session final : public Connection {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  Session(std::shared_ptr<Core> core, tcp::socket socket, Args&&... args)
      : core_(std::move(core)), stream_(std::move(socket), std::forward<Args>(args)...) {
    error_code ec;
    auto ep = Lowest().socket().remote_endpoint(ec);
    if (!ec) remote_ = FormatEndpoint(ep);
  }

  asio::any_io_executor executor() override { return stream_.get_executor(); }

  static asio::awaitable<void> Run(std::shared_ptr<Session> self) {
    try {
      if (co_await self->Handshake()) co_await self->Loop();
    } catch (const std::exception& e) {
      log::Error("http session failed", {{"remote", self->remote_}, {"err", e.what()}});
    }
    self->MarkBusy();
    self->Close();
    self->core_->connections().Closed();
  }

  bool CloseIfIdle() override {
    if (!idle_) return false;
    error_code ec;
    Lowest().socket().cancel(ec);
    return true;
  }

 private:
  asio::awaitable<void> Loop();
  asio::awaitable<bool> ReadRequest(RequestParser& parser, bool first);
  asio::awaitable<bool> WaitForRequest(bool first);
  asio::awaitable<error_code> ReadHeader(RequestParser& parser, std::optional<Refusal>& refusal);
  asio::awaitable<bool> AnswerExpectation(RequestParser& parser);
  asio::awaitable<void> SendAndClose(Response res);
  asio::awaitable<void> Answer(const Refusal& refusal) {
    return SendAndClose(PlainResponse(refusal.status, refusal.body));
  }
  asio::awaitable<void> WriteRaw(const Response& res);
  asio::awaitable<bool> Handshake();
  void Close() {
    error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().socket().close(ec);
  }
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  std::shared_ptr<Core> core_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::string remote_;
  bool idle_ = false;
};

// The answer to credentials the authorizer did not allow.
Response AuthRefusal(AuthVerdict verdict) {
  Response res;
  if (verdict == AuthVerdict::busy) {
    res.status = 503;
    res.headers.emplace_back("Retry-After", "1");
    res.body = "Service Unavailable: too many credential checks in progress\n";
  } else {
    res.status = 401;
    res.headers.emplace_back("WWW-Authenticate", "Basic");
    res.body = "Unauthorized\n";
  }
  return res;
}

// A TLS connection must finish its handshake within read_timeout; a failed
// one (a plain-HTTP client, an untrusted certificate) is only logged at debug.
// Basic auth, then the handler; a handler that throws is a 500, never a
// dropped connection.
asio::awaitable<Response> Dispatch(const Core& core, Request req) {
  const auto& opts = core.options();
  if (opts.authorize) {
    const AuthVerdict verdict = co_await opts.authorize(std::string(req.Header("authorization")));
    if (verdict != AuthVerdict::allow) co_return AuthRefusal(verdict);
  }
  const std::string path = req.path;
  const std::string remote = req.remote;
  std::string error;
  try {
    co_return co_await core.handler()(std::move(req));
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown exception";
  }
  log::Error("http handler failed", {{"path", path}, {"remote", remote}, {"err", error}});
  Response res;
  res.status = 500;
  res.body = "internal server error\n";
  co_return res;
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::Handshake() {
  if constexpr (kTls) {
    Lowest().expires_after(core_->options().read_timeout);
    auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kTuple);
    if (ec) {
      log::Debug("tls handshake failed", {{"remote", remote_}, {"err", ec.message()}});
      co_return false;
    }
  }
  co_return true;
}

template <class Stream>
asio::awaitable<void> Session<Stream>::Loop() {
  const auto& opts = core_->options();
  bool first = true;
  for (;;) {
    RequestParser parser;
    LimitParser(parser, opts.max_header_bytes, opts.max_body_bytes);
    if (!co_await ReadRequest(parser, first)) co_return;
    first = false;

    auto& msg = parser.get();
    const unsigned version = msg.version();
    const bool head = msg.method() == bhttp::verb::head;
    const bool keep_alive = msg.keep_alive();
    Response res = co_await Dispatch(*core_, ToRequest(msg, remote_));
    const std::shared_ptr<void> sent = std::move(res.on_sent);  // released once written
    if (!res.raw.empty()) {
      co_await WriteRaw(res);
      co_return;
    }
    const auto pieces = std::move(res.body_pieces);
    const auto owner = std::move(res.body_owner);  // what `pieces` point into, until written
    auto out = ToMessage(std::move(res), opts, version, head || !pieces.empty(), keep_alive && !core_->stopping());
    Lowest().expires_after(opts.write_timeout);
    if (!pieces.empty()) {
      // The head as Beast formats it and the pieces in one gather write: written apart,
      // the body's last segment would wait for the client's delayed ACK (Nagle).
      const std::size_t body_size = PiecesSize(pieces);
      out.content_length(body_size);
      std::ostringstream head_text;
      head_text << out.base();
      const std::string head_bytes = head_text.str();
      std::string scratch;
      auto buffers = head ? std::vector<asio::const_buffer>() : PieceBuffers(pieces, scratch);
      buffers.insert(buffers.begin(), asio::buffer(head_bytes));
      // Up to all that is left per write_some: asio's default (64 KiB a call) made a
      // 7 MB scrape take 4 times as long as one write of it.
      const std::size_t total = head_bytes.size() + (head ? 0 : body_size);
      const auto up_to_all = [total](const error_code& ec, std::size_t n) -> std::size_t {
        return ec || n >= total ? 0 : total - n;
      };
      auto [bec, bn] = co_await asio::async_write(stream_, buffers, up_to_all, kTuple);
      if (bec) co_return;
    } else {
      auto [wec, wn] = co_await bhttp::async_write(stream_, out, kTuple);
      if (wec) co_return;
    }
    if (!out.keep_alive() || core_->stopping()) co_return;
  }
}

// Reads one request into `parser`; false (after answering what deserves an
// answer) when the connection is to be closed. The header is checked before
// any of the body is read, so a refused request's body is never taken for the
// next request: the connection closes after the answer.
template <class Stream>
asio::awaitable<bool> Session<Stream>::ReadRequest(RequestParser& parser, bool first) {
  if (!co_await WaitForRequest(first)) co_return false;
  std::optional<Refusal> refusal;
  const error_code ec = co_await ReadHeader(parser, refusal);
  if (ec && !refusal && !(refusal = RefusalFor(ec))) co_return false;
  if (!ec && !refusal) refusal = RefuseHeader(parser);
  if (!refusal && !co_await AnswerExpectation(parser)) co_return false;
  if (!refusal && !parser.is_done()) {
    auto [bec, n] = co_await bhttp::async_read(stream_, buffer_, parser, kTuple);
    if (bec && !(refusal = RefusalFor(bec))) co_return false;
  }
  if (!refusal) co_return true;
  // A peer that went away mid-request (status 0) has nobody to answer;
  // timeouts and socket errors (no refusal) just close.
  if (refusal->status != 0) co_await Answer(*refusal);
  co_return false;
}

// Waits for the first bytes of a request; false when the connection ends
// first. A connection's first request must arrive whole within read_timeout
// of the connect; later ones get idle_timeout to start and read_timeout to
// arrive once started.
template <class Stream>
asio::awaitable<bool> Session<Stream>::WaitForRequest(bool first) {
  const auto& opts = core_->options();
  if (first) Lowest().expires_after(opts.read_timeout);
  if (buffer_.size() == 0) {
    if (core_->stopping()) co_return false;
    if (!first) Lowest().expires_after(opts.idle_timeout);
    idle_ = true;
    MarkIdle(/*served=*/!first);
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadSize), kTuple);
    idle_ = false;
    MarkBusy();
    if (ec) co_return false;  // closed by the peer, idle timeout, or Stop
    buffer_.commit(n);
  }
  if (!first) Lowest().expires_after(opts.read_timeout);
  co_return true;
}

// Reads until `parser` has the whole header (the body stays in buffer_).
// The header section is looked at as received first: folded lines are
// unfolded by the parser, and two readings of one header are what smuggling
// is made of, so they are refused instead.
template <class Stream>
asio::awaitable<error_code> Session<Stream>::ReadHeader(RequestParser& parser, std::optional<Refusal>& refusal) {
  for (;;) {
    if (buffer_.size() > 0) {
      const std::string_view data(static_cast<const char*>(buffer_.data().data()), buffer_.size());
      refusal = RefuseHeaderBytes(data, core_->options().max_header_bytes);
      if (refusal) co_return error_code{};
      error_code ec;
      buffer_.consume(parser.put(buffer_.data(), ec));
      if (ec != bhttp::error::need_more) co_return ec;  // success: the header is done
    }
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadSize), kTuple);
    if (ec == asio::error::eof) co_return error_code(bhttp::error::partial_message);
    if (ec) co_return ec;
    buffer_.commit(n);
  }
}

// RFC 9110 §10.1.1: "100-continue" gets 100 before the body is read, or a
// final status without reading it when the request is refused anyway
// (unauthorized; too large is refused by the parser at the header, other
// expectations by RefuseHeader). False: answered and to be closed.
template <class Stream>
asio::awaitable<bool> Session<Stream>::AnswerExpectation(RequestParser& parser) {
  const auto& opts = core_->options();
  if (framing::ExpectationOf(parser.get().base()) != framing::Expectation::continue_) co_return true;
  if (parser.is_done()) co_return true;  // no body to wait for
  if (opts.authorize) {
    const AuthVerdict verdict = co_await opts.authorize(std::string(parser.get()[bhttp::field::authorization]));
    if (verdict != AuthVerdict::allow) {
      co_await SendAndClose(AuthRefusal(verdict));
      co_return false;
    }
  }
  Lowest().expires_after(opts.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(kContinue), kTuple);
  Lowest().expires_after(opts.read_timeout);
  co_return !ec;
}

// Writes `res` with Connection: close, then drains what the peer still sends
// for a moment so that closing with unread data does not reset the
// connection before the client has read the answer.
template <class Stream>
asio::awaitable<void> Session<Stream>::SendAndClose(Response res) {
  auto out = ToMessage(std::move(res), core_->options(), 11, false, false);
  Lowest().expires_after(core_->options().write_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream_, out, kTuple);
  if (ec) co_return;

  error_code sec;
  Lowest().socket().shutdown(tcp::socket::shutdown_send, sec);
  Lowest().expires_after(kLingerTime);
  std::size_t drained = 0;
  std::array<char, 4096> scratch;
  while (drained < kLingerMaxBytes) {
    auto [rec, rn] = co_await stream_.async_read_some(asio::buffer(scratch), kTuple);
    if (rec) break;
    drained += rn;
  }
}

template <class Stream>
asio::awaitable<void> Session<Stream>::WriteRaw(const Response& res) {
  const std::string& raw = res.raw;
  const std::size_t chunk = res.raw_chunk == 0 ? raw.size() : res.raw_chunk;
  for (std::size_t off = 0; off < raw.size(); off += chunk) {
    if (off > 0 && res.raw_chunk_delay.count() > 0) {
      asio::steady_timer timer(stream_.get_executor());
      timer.expires_after(res.raw_chunk_delay);
      co_await timer.async_wait(kTuple);
    }
    Lowest().expires_after(core_->options().write_timeout);
    auto [ec, n] =
        co_await asio::async_write(stream_, asio::buffer(raw.data() + off, std::min(chunk, raw.size() - off)), kTuple);
    if (ec) co_return;
  }
}

void Core::Listen(const std::string& address) {
  HostPort hp = SplitHostPort(address);
  auto fail = [&](const std::string& why) { return std::runtime_error("listen on \"" + address + "\": " + why); };

  std::vector<tcp::endpoint> candidates;
  if (hp.host.empty()) {
    // All interfaces: dual-stack if IPv6 exists, else IPv4 only.
    candidates.emplace_back(tcp::v6(), hp.port);
    candidates.emplace_back(tcp::v4(), hp.port);
  } else {
    error_code ec;
    auto addr = asio::ip::make_address(hp.host, ec);
    if (!ec) {
      candidates.emplace_back(addr, hp.port);
    } else {
      tcp::resolver resolver(ioc_);
      auto results = resolver.resolve(hp.host, std::to_string(hp.port),
                                      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
      if (ec || results.empty()) throw fail("cannot resolve host: " + (ec ? ec.message() : "no address"));
      candidates.push_back(results.begin()->endpoint());
    }
  }

  std::lock_guard lock(mu_);
  if (stopping_) throw fail("server is stopped");
  error_code ec;
  for (const auto& ep : candidates) {
    auto acceptor = std::make_shared<Listener>(ioc_);
    ec = {};
    acceptor->open(ep.protocol(), ec);
    if (ec) continue;  // e.g. no IPv6 on this host: try the next candidate
    acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec && hp.host.empty() && ep.address().is_v6()) acceptor->set_option(asio::ip::v6_only(false), ec);
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      error_code ignored;
      acceptor->close(ignored);
      if (ec == asio::error::address_family_not_supported) continue;
      break;
    }
    auto local = acceptor->local_endpoint(ec);
    if (ec) break;
    acceptors_.push_back(acceptor);
    addresses_.push_back(FormatEndpoint(local));
    Accept(acceptor);
    return;
  }
  throw fail(ec ? ec.message() : "no usable address");
}

// Called with mu_ held.
void Core::Accept(const std::shared_ptr<Listener>& acceptor) {
  if (stopping_ || !acceptor->is_open()) return;
  acceptor->async_accept(asio::make_strand(ioc_),
                         [self = shared_from_this(), acceptor](error_code ec, tcp::socket socket) {
                           self->OnAccept(acceptor, ec, std::move(socket));
                         });
}

void Core::OnAccept(const std::shared_ptr<Listener>& acceptor, error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stopping_) return;
  if (ec) return AcceptFailed(acceptor, ec);
  backoff_.Succeeded();
  // As Go's net/http: an answer's last partial segment must not wait for the client's
  // delayed ACK (Nagle), which cost a scrape 40 ms now and then.
  error_code nodelay_ec;
  socket.set_option(tcp::no_delay(true), nodelay_ec);
  if (options_.tls) {
    Start(std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(shared_from_this(), std::move(socket),
                                                                          *options_.tls));
  } else {
    Start(std::make_shared<Session<beast::tcp_stream>>(shared_from_this(), std::move(socket)));
  }
  std::lock_guard lock(mu_);
  Accept(acceptor);
}

// Out of descriptors and the like: the pending connection stays queued in the
// kernel; back off instead of spinning, and when descriptors ran out, close
// the longest idle connection so the next accept (a scrape) gets one.
void Core::AcceptFailed(const std::shared_ptr<Listener>& acceptor, error_code ec) {
  const auto delay = backoff_.Failed(ec.message());
  if (ec == boost::system::errc::too_many_files_open || ec == boost::system::errc::too_many_files_open_in_system) {
    if (auto idle = connections_.PickIdle()) ConnectionRegistry::Shed(idle);
  }
  std::lock_guard lock(mu_);
  if (stopping_) return;
  acceptor->retry.expires_after(delay);
  acceptor->retry.async_wait([self = shared_from_this(), acceptor](error_code) {
    std::lock_guard lock(self->mu_);
    self->Accept(acceptor);
  });
}

template <class SessionT>
void Core::Start(std::shared_ptr<SessionT> session) {
  std::lock_guard lock(mu_);
  // Registered before it runs, so a Stop from now on either finds it or is
  // seen by it. At the connection limit the longest idle connection makes
  // room; when none is idle the new one is closed unanswered.
  bool refuse = false;
  if (auto idle = connections_.Add(session, refuse)) {
    log::Debug("http connection limit reached, closing an idle connection");
    ConnectionRegistry::Shed(idle);
  }
  if (refuse) {
    log::Debug("http connection limit reached and no connection idle, closing the new one");
    return;
  }
  asio::co_spawn(session->executor(), SessionT::Run(session), asio::detached);
}

void Core::Stop() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& acceptor : acceptors_) {
      error_code ec;
      acceptor->close(ec);
      acceptor->retry.cancel();
    }
    live = connections_.TakeAll();
  }
  // A session checks stopping() on its strand before it waits for a request,
  // so one that is about to wait sees the flag and one that already waits is
  // cancelled here.
  for (auto& s : live) {
    asio::post(s->executor(), [s] { s->CloseIfIdle(); });
  }
}

}  // namespace

struct Server::Impl : Core {
  using Core::Core;
};

Server::Server(boost::asio::io_context& ioc, Handler handler, Options options)
    : impl_(std::make_shared<Impl>(ioc, std::move(handler), std::move(options))) {}

Server::Server(boost::asio::io_context& ioc, Handler handler) : Server(ioc, std::move(handler), Options{}) {}

Server::~Server() {
  if (impl_) impl_->Stop();
}

void Server::Listen(const std::string& address) { impl_->Listen(address); }

std::vector<std::string> Server::LocalAddresses() const { return impl_->LocalAddresses(); }

void Server::Stop() { impl_->Stop(); }

}  // namespace cc::http
