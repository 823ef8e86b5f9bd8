#pragma once
// A small HTTP/1.1 server on Beast, shared by the exporter and the vendor
// simulator: plain or TLS, keep-alive, header/body size limits, read and idle timeouts, a
// connection limit, and an async handler per request. Requests whose framing is ambiguous
// (RFC 9112 §6), folded header lines and unknown expectations are refused before their body
// is read and the connection is closed (http/framing.h); "Expect: 100-continue" is answered
// with 100 before the body is read (RFC 9110 §10.1.1). Thread-safe: Listen, Stop and
// LocalAddresses may be called from any thread; the handler runs on the connection's strand.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

namespace boost::asio::ssl {
class context;
}

namespace cc::http {

struct Request {
  std::string method;                                        // "GET", "POST", …
  std::string target;                                        // as received: path and query
  std::string path;                                          // target without the query
  std::string query;                                         // after '?', undecoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote;  // "ip:port" of the peer

  // First header with that (lower-case) name, or "".
  std::string_view Header(std::string_view lower_name) const;
  // Decoded value of a query parameter, or "" (form-encoded: '+' is a space).
  std::string Param(std::string_view name) const;
  // The same for a field of an application/x-www-form-urlencoded body.
  std::string FormParam(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When not empty, the body is these bytes in this order instead of `body`: views into
  // data that `body_owner` keeps alive until the answer is written, so that a large
  // body (a scrape's rendered text) goes out in one gather write and is never copied
  // into one string first.
  std::vector<std::string_view> body_pieces;
  std::shared_ptr<const void> body_owner;
  // Kept by the server until the response has been written or its connection
  // dropped, then released: lets a handler count what is in flight and time
  // the whole answer (core/http_metrics.h).
  std::shared_ptr<void> on_sent;
  // Test peers only (the simulator's faults): when set, these bytes are written
  // verbatim instead of a formatted response, `raw_chunk` bytes at a time with
  // `raw_chunk_delay` between chunks, and then the connection is closed.
  std::string raw;
  std::size_t raw_chunk = 0;  // 0: all at once
  std::chrono::milliseconds raw_chunk_delay{0};

  // The body as it is sent: `body_pieces` joined, or `body` (tests, small answers).
  std::string BodyBytes() const;
};

using Handler = std::function<boost::asio::awaitable<Response>(Request)>;

// What an authorizer says of a request's credentials: allow; deny (401 with
// `WWW-Authenticate: Basic`); busy, too many credentials are being verified
// (503 with `Retry-After: 1`).
enum class AuthVerdict { allow, deny, busy };

class Server {
 public:
  struct Options {
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    std::chrono::milliseconds read_timeout{30000};  // a request must arrive whole within this
    std::chrono::milliseconds write_timeout{60000};
    std::chrono::milliseconds idle_timeout{120000};  // keep-alive connection without a request
    std::string server_header = "callcenter_exporter";
    // Set: every listener of this server speaks HTTPS with this context
    // (certificate and key loaded by the owner).
    std::shared_ptr<boost::asio::ssl::context> tls;
    // Set: called with each request's Authorization header (or ""); a request
    // it does not allow never reaches the handler. It may suspend (a password
    // check belongs off the I/O threads) and must resume on the caller's executor.
    std::function<boost::asio::awaitable<AuthVerdict>(std::string authorization)> authorize;
    // Added to every response (e.g. Strict-Transport-Security).
    std::vector<std::pair<std::string, std::string>> extra_headers;
    // Connections open at once; 0: no limit. A new connection past the limit
    // closes the one idle longest (a keep-alive connection waiting for its
    // next request first, then one that has not sent its first request);
    // when every connection is in the middle of a request, the new one is
    // closed unanswered.
    std::size_t max_connections = 0;
  };

  Server(boost::asio::io_context& ioc, Handler handler, Options options);
  Server(boost::asio::io_context& ioc, Handler handler);
  ~Server();

  // "host:port", ":port" (all interfaces), "[::1]:port". Port 0 picks a free
  // port. Throws std::runtime_error naming the address on failure (startup).
  void Listen(const std::string& address);
  // The bound "host:port" of each listener, in Listen order.
  std::vector<std::string> LocalAddresses() const;

  // Stops accepting and closes idle connections; requests in flight finish.
  void Stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cc::http
