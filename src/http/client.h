#pragma once
// Async HTTP/1.1 client for one vendor endpoint (one per target). Keeps idle
// connections alive for reuse, bounds every step by the poll deadline, caps
// the (decompressed) response size, and verifies TLS by default.
//
// Thread safety: use from one strand only (the target's).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "config/config.h"

namespace cc {

using Deadline = std::chrono::steady_clock::time_point;

namespace http {

struct ClientRequest {
  enum class Method { get, post } method = Method::get;
  std::string target;  // path and query as sent, e.g. "/admin/?m=interface&c=api&a=queueinfo"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct ClientResponse {
  unsigned status = 0;
  std::string content_type;
  std::string location;  // the Location header of a redirect (never followed)
  std::string body;      // decoded (gzip removed)
  // Retry-After (RFC 9110 §10.2.3), as a delay from when the answer arrived;
  // none when absent or unusable (http/retry_after.h).
  std::optional<std::chrono::seconds> retry_after{};
};

class Client {
 public:
  struct Options {
    Url base;
    TlsConfig tls;
    std::uint64_t max_response_bytes = 16ull << 20;
  };

  // Throws std::runtime_error if the TLS context cannot be set up (e.g. an
  // unreadable ca_file); called when a target starts.
  Client(boost::asio::any_io_executor ex, Options options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Any status is a successful result; transport problems are errors with
  // reason connect, tls, timeout or too_large (parse for a malformed response).
  boost::asio::awaitable<Result<ClientResponse>> Send(ClientRequest request, Deadline deadline);

  const Url& base() const;

  // Closes idle connections (reload, shutdown).
  void CloseIdle();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace http
}  // namespace cc
