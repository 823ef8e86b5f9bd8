#pragma once
// A vendor API on loopback for the collector tests, built on the project's own
// HTTP server (http::Server) instead of a socket loop per test file: a test says
// how to answer (the reply callback) and afterwards checks what the collector
// sent (every request is recorded). It listens on 127.0.0.1 on a free port and
// runs on an io_context thread of its own, so the test drives the collector on
// its own io_context, as the daemon does.
//
// Thread safety: the reply callback runs on the server's one thread, one request
// at a time (never concurrently with itself). State that it shares with the test
// may be changed by the test only while no request is in flight (between polls).
// Every member function may be called from any thread.
//
// Plain HTTP only: no collector test talks TLS to its vendor (the HTTP client's
// and server's own tests cover TLS).

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/server.h"

namespace cc::test {

// A response of `status` with `body`, sent as `content_type`.
http::Response MakeResponse(unsigned status, std::string body, std::string content_type);

class FakeVendor {
 public:
  // What to answer to a request: a plain function, or a coroutine (on the
  // server's thread; it may wait, e.g. on a timer).
  using Reply = std::function<http::Response(const http::Request&)>;
  using AsyncReply = std::function<boost::asio::awaitable<http::Response>(http::Request)>;

  explicit FakeVendor(Reply reply);
  explicit FakeVendor(AsyncReply reply);
  // Stops the server and joins its thread; requests still held are dropped.
  ~FakeVendor();
  FakeVendor(const FakeVendor&) = delete;
  FakeVendor& operator=(const FakeVendor&) = delete;

  // The collector's URL: "http://127.0.0.1:<port>" followed by `path`.
  std::string Url(std::string_view path = "") const;
  unsigned short port() const { return port_; }

  // Every request received so far, in order of arrival, each recorded before
  // its reply is computed. A copy: more may arrive meanwhile.
  std::vector<http::Request> requests() const;
  std::size_t count() const;
  // Connections that carried at least one request (distinct peer ip:port).
  std::size_t connections() const;
  // The most requests received but not yet answered at any one time (from
  // arrival until the reply callback returned): the client's concurrency.
  std::size_t max_in_flight() const;

  // Holds back the replies to the requests that `hold` selects (every request
  // when it is empty) until `gate` of them are waiting, or until the `total`-th
  // of them arrives (0: no total); then every waiting one is answered and the
  // next ones are held again. A client that sends them one at a time never gets
  // an answer, so a poll that succeeds proves `gate` requests were in flight at
  // once. Call before the requests arrive.
  void HoldUntil(std::size_t gate, std::size_t total = 0, std::function<bool(const http::Request&)> hold = {});

 private:
  boost::asio::awaitable<http::Response> Handle(http::Request request);
  // Returns once the gate opens for this request.
  boost::asio::awaitable<void> Wait();

  const AsyncReply reply_;

  mutable std::mutex mu_;  // guards everything down to the io_context
  std::vector<http::Request> requests_;
  std::size_t in_flight_ = 0;
  std::size_t max_in_flight_ = 0;
  std::size_t gate_ = 0;  // 0: nothing is held
  std::size_t gate_total_ = 0;
  std::size_t gate_arrived_ = 0;  // held requests so far, for gate_total_
  std::function<bool(const http::Request&)> hold_;

  boost::asio::io_context ioc_;
  // The held requests, each waiting on its timer (guarded by mu_); declared
  // after ioc_ so that they are destroyed before it.
  std::vector<std::shared_ptr<boost::asio::steady_timer>> waiting_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{ioc_.get_executor()};
  http::Server server_;
  unsigned short port_ = 0;
  std::thread thread_;
};

}  // namespace cc::test
