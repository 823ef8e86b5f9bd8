#pragma once
// A Server on loopback and a blocking raw client, for tests that speak HTTP
// to the listener byte by byte.

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http/server.h"

namespace cc::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// Only a guard against hangs; nothing asserts on timing.
inline constexpr std::chrono::seconds kClientTimeout{10};

// A server on 127.0.0.1:0 whose io_context runs on two background threads
// (so the per-connection strands matter).
class LoopbackServer {
 public:
  explicit LoopbackServer(Handler handler, Server::Options options = MakeOptions())
      : server_(ioc_, std::move(handler), std::move(options)) {
    server_.Listen("127.0.0.1:0");
    auto addr = server_.LocalAddresses().at(0);
    port_ = static_cast<unsigned short>(std::stoi(addr.substr(addr.rfind(':') + 1)));
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  ~LoopbackServer() {
    server_.Stop();
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
  }

  static Server::Options MakeOptions() {
    Server::Options o;
    o.server_header = "test-server";
    return o;
  }

  Server& server() { return server_; }
  unsigned short port() const { return port_; }

 private:
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  Server server_;
  unsigned short port_ = 0;
  std::vector<std::thread> threads_;
};

// A blocking client: each call runs one async operation on a private
// io_context, bounded by kClientTimeout.
class RawClient {
 public:
  error_code Connect(unsigned short port) {
    error_code result;
    stream_.expires_after(kClientTimeout);
    stream_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                          [&](error_code ec) { result = ec; });
    Run();
    return result;
  }

  error_code Send(const std::string& bytes) {
    error_code result;
    stream_.expires_after(kClientTimeout);
    asio::async_write(stream_, asio::buffer(bytes), [&](error_code ec, std::size_t) { result = ec; });
    Run();
    return result;
  }

  error_code Send(bhttp::request<bhttp::string_body> req) {
    req.prepare_payload();
    error_code result;
    stream_.expires_after(kClientTimeout);
    bhttp::async_write(stream_, req, [&](error_code ec, std::size_t) { result = ec; });
    Run();
    return result;
  }

  error_code Read(bhttp::response<bhttp::string_body>& res, bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    error_code result;
    stream_.expires_after(kClientTimeout);
    bhttp::async_read(stream_, buffer_, parser, [&](error_code ec, std::size_t) { result = ec; });
    Run();
    res = parser.release();
    return result;
  }

  // Everything until the server closes; `last` gets the error that ended it.
  std::string ReadToEof(error_code* last = nullptr) {
    std::string out = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    for (;;) {
      std::array<char, 4096> chunk;
      error_code ec;
      std::size_t n = 0;
      stream_.expires_after(kClientTimeout);
      stream_.async_read_some(asio::buffer(chunk), [&](error_code e, std::size_t k) {
        ec = e;
        n = k;
      });
      Run();
      out.append(chunk.data(), n);
      if (ec) {
        if (last) *last = ec;
        return out;
      }
    }
  }

  // Bytes until `delim` has arrived (all of them, `delim` included), or what
  // came before an error.
  std::string ReadUntil(std::string_view delim) {
    for (;;) {
      std::string have = beast::buffers_to_string(buffer_.data());
      if (auto at = have.find(delim); at != std::string::npos) {
        buffer_.consume(at + delim.size());
        return have.substr(0, at + delim.size());
      }
      error_code ec;
      stream_.expires_after(kClientTimeout);
      stream_.async_read_some(buffer_.prepare(4096), [&](error_code e, std::size_t k) {
        ec = e;
        buffer_.commit(k);
      });
      Run();
      if (ec) return have;
    }
  }

  // GET/POST with Host set; returns the response (status 0 on a read error).
  bhttp::response<bhttp::string_body> Exchange(bhttp::verb verb, const std::string& target, std::string body = "",
                                               bool close = false) {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.body() = std::move(body);
    if (close) req.keep_alive(false);
    bhttp::response<bhttp::string_body> res;
    EXPECT_FALSE(Send(std::move(req)));
    error_code ec = Read(res);
    EXPECT_FALSE(ec) << ec.message();
    return res;
  }

 private:
  void Run() {
    ioc_.restart();
    ioc_.run();
  }

  asio::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
};

inline asio::awaitable<Response> Echo(Request req) {
  Response res;
  res.content_type = "text/x-echo";
  res.headers.emplace_back("X-Extra", "yes");
  res.body = req.method + "\n" + req.path + "\n" + req.query + "\n" + req.Param("a") + "\n" + req.Param("b") + "\n" +
             req.Param("missing") + "\n" + std::string(req.Header("x-test")) + "\n" + req.remote + "\n" + req.body;
  co_return res;
}

inline std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto nl = s.find('\n', start);
    out.push_back(s.substr(start, nl - start));
    if (nl == std::string::npos) return out;
    start = nl + 1;
  }
}

inline std::string StatusLine(const std::string& raw) { return raw.substr(0, raw.find("\r\n")); }

}  // namespace cc::http::testing
