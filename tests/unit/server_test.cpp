#include "http/server.h"

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http/client.h"
#include "tests/unit/support/loopback_server.h"

namespace cc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using namespace cc::http::testing;

TEST(ServerTest, GetDecodesQueryParamsAndHeaders) {
  LoopbackServer srv(Echo);
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/echo?a=x%20y%2Bz&b=caf%C3%A9+au+lait&bad=%zz", 11};
  req.set(bhttp::field::host, "localhost");
  req.set("X-Test", "Hello There");
  ASSERT_FALSE(c.Send(req));
  bhttp::response<bhttp::string_body> res;
  ASSERT_FALSE(c.Read(res));

  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res[bhttp::field::content_type], "text/x-echo");
  EXPECT_EQ(res[bhttp::field::server], "test-server");
  EXPECT_EQ(res["X-Extra"], "yes");
  EXPECT_EQ(res[bhttp::field::content_length], std::to_string(res.body().size()));
  auto lines = Lines(res.body());
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[0], "GET");
  EXPECT_EQ(lines[1], "/echo");
  EXPECT_EQ(lines[2], "a=x%20y%2Bz&b=caf%C3%A9+au+lait&bad=%zz");
  EXPECT_EQ(lines[3], "x y+z");
  EXPECT_EQ(lines[4], "caf\xC3\xA9 au lait");
  EXPECT_EQ(lines[5], "");
  EXPECT_EQ(lines[6], "Hello There");
  EXPECT_EQ(lines[7].rfind("127.0.0.1:", 0), 0u) << lines[7];
  EXPECT_EQ(lines[8], "");
}

TEST(ServerTest, ParamKeepsMalformedEscapesAndFindsFirst) {
  Request r;
  r.query = "x=%zz%4&x=second&flag&y=%41%62";
  EXPECT_EQ(r.Param("x"), "%zz%4");
  EXPECT_EQ(r.Param("flag"), "");
  EXPECT_EQ(r.Param("y"), "Ab");
  EXPECT_EQ(r.Param("nope"), "");
  // A form body is read the same way, and apart from the query.
  r.body = "service=App.Sip_Auth.Login&name=Ventas-%3ESoporte+1&y=body";
  EXPECT_EQ(r.FormParam("service"), "App.Sip_Auth.Login");
  EXPECT_EQ(r.FormParam("name"), "Ventas->Soporte 1");
  EXPECT_EQ(r.FormParam("y"), "body");
  EXPECT_EQ(r.Param("y"), "Ab");
  EXPECT_EQ(r.FormParam("x"), "");
  r.headers = {{"content-type", "a"}, {"x-two", "1"}, {"x-two", "2"}};
  EXPECT_EQ(r.Header("x-two"), "1");
  EXPECT_EQ(r.Header("absent"), "");
}

TEST(ServerTest, PostBodyReachesHandler) {
  LoopbackServer srv(Echo);
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  auto res = c.Exchange(bhttp::verb::post, "/submit", "hello=world&x=1\nsecond line");
  EXPECT_EQ(res.result_int(), 200u);
  auto lines = Lines(res.body());
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_EQ(lines[0], "POST");
  EXPECT_EQ(lines[1], "/submit");
  EXPECT_EQ(lines[8], "hello=world&x=1");
  EXPECT_EQ(lines[9], "second line");
}

TEST(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  LoopbackServer srv(Echo);
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  auto first = c.Exchange(bhttp::verb::get, "/one?a=1");
  auto second = c.Exchange(bhttp::verb::get, "/two?a=2");
  EXPECT_TRUE(first.keep_alive());
  ASSERT_EQ(Lines(first.body()).size(), 9u);
  ASSERT_EQ(Lines(second.body()).size(), 9u);
  EXPECT_EQ(Lines(first.body())[3], "1");
  EXPECT_EQ(Lines(second.body())[1], "/two");
  EXPECT_EQ(Lines(second.body())[3], "2");
  // Same peer address and port: the second request used the same connection.
  EXPECT_EQ(Lines(first.body())[7], Lines(second.body())[7]);
}

TEST(ServerTest, ConnectionCloseIsHonoured) {
  LoopbackServer srv(Echo);
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  auto res = c.Exchange(bhttp::verb::get, "/x", "", /*close=*/true);
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_FALSE(res.keep_alive());
  error_code ec;
  EXPECT_EQ(c.ReadToEof(&ec), "");
  EXPECT_EQ(ec, asio::error::eof);
}

TEST(ServerTest, HeadSendsContentLengthWithoutBody) {
  LoopbackServer srv(Echo);
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  bhttp::request<bhttp::string_body> req{bhttp::verb::head, "/echo", 11};
  req.set(bhttp::field::host, "localhost");
  ASSERT_FALSE(c.Send(req));
  bhttp::response<bhttp::string_body> res;
  ASSERT_FALSE(c.Read(res, /*head=*/true));
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), "");
  EXPECT_NE(res[bhttp::field::content_length], "0");
  // The connection is still usable, so no body bytes were left on it.
  auto next = c.Exchange(bhttp::verb::get, "/after");
  EXPECT_EQ(Lines(next.body())[1], "/after");
}

// A body given as pieces (a scrape's rendered text) is sent as those bytes in order, with
// their Content-Length, and the data they point into lives until the answer is written:
// the handler lets go of it as soon as it returns.
TEST(ServerTest, BodyPiecesAreSentInOrderAndOutliveTheHandler) {
  std::weak_ptr<const void> owner_seen;
  std::mutex mu;
  LoopbackServer srv([&](Request req) -> asio::awaitable<Response> {
    auto texts = std::make_shared<const std::array<std::string, 3>>(
        std::array<std::string, 3>{"first " + req.path + "\n", "", std::string(300000, 'x') + "\n"});
    Response res;
    for (const auto& t : *texts) res.body_pieces.emplace_back(t);
    res.body_pieces.emplace_back("static\n");
    res.body = "never sent";
    {
      std::lock_guard lock(mu);
      owner_seen = texts;
    }
    res.body_owner = std::move(texts);
    co_return res;
  });
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  const std::string expected = "first /a\n" + std::string(300000, 'x') + "\nstatic\n";
  auto first = c.Exchange(bhttp::verb::get, "/a");
  EXPECT_EQ(first.result_int(), 200u);
  EXPECT_EQ(first[bhttp::field::content_length], std::to_string(expected.size()));
  EXPECT_EQ(first.body(), expected);
  EXPECT_TRUE(first.keep_alive());

  bhttp::request<bhttp::string_body> head{bhttp::verb::head, "/a", 11};
  head.set(bhttp::field::host, "localhost");
  ASSERT_FALSE(c.Send(head));
  bhttp::response<bhttp::string_body> head_res;
  ASSERT_FALSE(c.Read(head_res, /*head=*/true));
  EXPECT_EQ(head_res[bhttp::field::content_length], std::to_string(expected.size()));
  EXPECT_EQ(head_res.body(), "");

  // Same connection: no stray bytes were left on it.
  auto second = c.Exchange(bhttp::verb::get, "/b");
  EXPECT_EQ(second.body().substr(0, 9), "first /b\n");
  // The server lets the owner go once it is done writing (its side may still be running).
  bool released = false;
  for (int i = 0; i < 200 && !released; ++i) {
    {
      std::lock_guard lock(mu);
      released = owner_seen.expired();
    }
    if (!released) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(released) << "the body's owner is held after the answer was written";
}

TEST(ServerTest, OversizeHeaderGets431AndClose) {
  auto opts = LoopbackServer::MakeOptions();
  opts.max_header_bytes = 1024;
  std::atomic<int> calls{0};
  LoopbackServer srv(
      [&](Request r) {
        ++calls;
        return Echo(std::move(r));
      },
      opts);
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  ASSERT_FALSE(c.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n"));
  error_code ec;
  std::string raw = c.ReadToEof(&ec);
  EXPECT_EQ(StatusLine(raw), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_NE(raw.find("Connection: close"), std::string::npos);
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_EQ(calls.load(), 0);
}

TEST(ServerTest, OversizeBodyGets413AndClose) {
  auto opts = LoopbackServer::MakeOptions();
  opts.max_body_bytes = 100;
  std::atomic<int> calls{0};
  LoopbackServer srv(
      [&](Request r) {
        ++calls;
        return Echo(std::move(r));
      },
      opts);
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  ASSERT_FALSE(c.Send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b')));
  error_code ec;
  std::string raw = c.ReadToEof(&ec);
  EXPECT_EQ(StatusLine(raw), "HTTP/1.1 413 Payload Too Large");
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_EQ(calls.load(), 0);
}

TEST(ServerTest, MalformedRequestGets400AndClose) {
  std::atomic<int> calls{0};
  LoopbackServer srv([&](Request r) {
    ++calls;
    return Echo(std::move(r));
  });
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  ASSERT_FALSE(c.Send("THIS IS NOT HTTP\r\n\r\n"));
  error_code ec;
  std::string raw = c.ReadToEof(&ec);
  EXPECT_EQ(StatusLine(raw), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_EQ(calls.load(), 0);
}

// RFC 9112 §3.2: an HTTP/1.1 request without a Host field, or any request
// with two, is answered 400 and the connection closed; the handler never runs.
TEST(ServerTest, MissingOrRepeatedHostGets400AndClose) {
  std::atomic<int> calls{0};
  LoopbackServer srv([&](Request r) {
    ++calls;
    return Echo(std::move(r));
  });
  for (const char* request : {"GET /echo HTTP/1.1\r\n\r\n", "GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                              "GET /echo HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"}) {
    SCOPED_TRACE(request);
    RawClient c;
    ASSERT_FALSE(c.Connect(srv.port()));
    ASSERT_FALSE(c.Send(request));
    error_code ec;
    std::string raw = c.ReadToEof(&ec);
    EXPECT_EQ(StatusLine(raw), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(ec, asio::error::eof);
  }
  EXPECT_EQ(calls.load(), 0);
  // HTTP/1.0 needs no Host.
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  ASSERT_FALSE(c.Send("GET /echo HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(StatusLine(c.ReadToEof(nullptr)), "HTTP/1.0 200 OK");
  EXPECT_EQ(calls.load(), 1);
}

// RFC 9112 §3.2.2: a server must accept the absolute form of a target.
TEST(ServerTest, AbsoluteFormTargetIsServedAsItsPath) {
  LoopbackServer srv(Echo);
  for (const auto& [target, path, query] :
       {std::tuple{"http://localhost:9714/echo?a=1", "/echo", "a=1"}, std::tuple{"HTTP://x/echo", "/echo", ""},
        std::tuple{"http://x?a=1", "/", "a=1"}, std::tuple{"/echo?u=http://x/y", "/echo", "u=http://x/y"}}) {
    SCOPED_TRACE(target);
    RawClient c;
    ASSERT_FALSE(c.Connect(srv.port()));
    ASSERT_FALSE(c.Send(std::string("GET ") + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    bhttp::response<bhttp::string_body> res;
    ASSERT_FALSE(c.Read(res));
    EXPECT_EQ(res.result_int(), 200u);
    auto lines = Lines(res.body());
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(lines[1], path);
    EXPECT_EQ(lines[2], query);
  }
}

TEST(ServerTest, HandlerExceptionGives500AndServerKeepsServing) {
  LoopbackServer srv([](Request r) -> asio::awaitable<Response> {
    if (r.path == "/boom") throw std::runtime_error("kaboom");
    co_return co_await Echo(std::move(r));
  });
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  auto boom = c.Exchange(bhttp::verb::get, "/boom");
  EXPECT_EQ(boom.result_int(), 500u);
  EXPECT_EQ(boom.body(), "internal server error\n");
  // Same connection, then a new one.
  auto same = c.Exchange(bhttp::verb::get, "/fine");
  EXPECT_EQ(same.result_int(), 200u);
  EXPECT_EQ(Lines(same.body())[1], "/fine");
  RawClient other;
  ASSERT_FALSE(other.Connect(srv.port()));
  EXPECT_EQ(other.Exchange(bhttp::verb::get, "/also-fine").result_int(), 200u);
}

// An authorizer that suspends ("park" waits for `released`) holds no I/O
// thread: with more parked requests than the server has threads, others are
// still answered, each verdict with its status.
TEST(ServerTest, ASuspendedAuthorizerHoldsNoIoThread) {
  std::atomic<bool> released{false};
  std::atomic<int> parked{0};
  auto opts = LoopbackServer::MakeOptions();
  opts.authorize = [&](std::string authorization) -> asio::awaitable<AuthVerdict> {
    if (authorization == "park") {
      ++parked;
      asio::steady_timer timer(co_await asio::this_coro::executor);
      while (!released) {
        timer.expires_after(std::chrono::milliseconds(10));
        co_await timer.async_wait(asio::use_awaitable);
      }
      co_return AuthVerdict::allow;
    }
    co_return authorization == "ok" ? AuthVerdict::allow
    : authorization == "busy"       ? AuthVerdict::busy
                                    : AuthVerdict::deny;
  };
  LoopbackServer srv(Echo, opts);
  auto request = [](const std::string& authorization) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/x", 11};
    req.set(bhttp::field::host, "localhost");
    req.set(bhttp::field::authorization, authorization);
    return req;
  };
  std::vector<std::unique_ptr<RawClient>> waiting;
  for (int i = 0; i < 3; ++i) {  // LoopbackServer runs two threads
    waiting.push_back(std::make_unique<RawClient>());
    ASSERT_FALSE(waiting.back()->Connect(srv.port()));
    ASSERT_FALSE(waiting.back()->Send(request("park")));
  }
  for (int i = 0; i < 1000 && parked < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(parked.load(), 3);

  auto exchange = [&](const std::string& authorization) {
    RawClient c;
    EXPECT_FALSE(c.Connect(srv.port()));
    EXPECT_FALSE(c.Send(request(authorization)));
    bhttp::response<bhttp::string_body> res;
    EXPECT_FALSE(c.Read(res));
    return res;
  };
  EXPECT_EQ(exchange("ok").result_int(), 200u);
  auto denied = exchange("wrong");
  EXPECT_EQ(denied.result_int(), 401u);
  EXPECT_EQ(denied[bhttp::field::www_authenticate], "Basic");
  auto busy = exchange("busy");
  EXPECT_EQ(busy.result_int(), 503u);
  EXPECT_EQ(busy[bhttp::field::retry_after], "1");

  released = true;
  for (auto& c : waiting) {
    bhttp::response<bhttp::string_body> res;
    ASSERT_FALSE(c->Read(res));
    EXPECT_EQ(res.result_int(), 200u);
  }
}

TEST(ServerTest, RawResponseIsWrittenVerbatimThenClosed) {
  const std::string raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"res";
  LoopbackServer srv([&](Request) -> asio::awaitable<Response> {
    Response res;
    res.raw = raw;
    res.raw_chunk = 7;
    res.raw_chunk_delay = std::chrono::milliseconds(1);
    co_return res;
  });
  {
    RawClient c;
    ASSERT_FALSE(c.Connect(srv.port()));
    ASSERT_FALSE(c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    error_code ec;
    EXPECT_EQ(c.ReadToEof(&ec), raw);
    EXPECT_EQ(ec, asio::error::eof);
  }
  {
    // What an HTTP client makes of it: a truncated message.
    RawClient c;
    ASSERT_FALSE(c.Connect(srv.port()));
    ASSERT_FALSE(c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    bhttp::response<bhttp::string_body> res;
    EXPECT_EQ(c.Read(res), bhttp::error::partial_message);
  }
}

TEST(ServerTest, StopClosesListenerAndIdleConnections) {
  LoopbackServer srv(Echo);
  RawClient idle;
  ASSERT_FALSE(idle.Connect(srv.port()));
  EXPECT_EQ(idle.Exchange(bhttp::verb::get, "/").result_int(), 200u);

  srv.server().Stop();

  RawClient late;
  EXPECT_EQ(late.Connect(srv.port()), asio::error::connection_refused);
  error_code ec;
  EXPECT_EQ(idle.ReadToEof(&ec), "");
  EXPECT_EQ(ec, asio::error::eof);
}

TEST(ServerTest, StopLetsRequestInFlightFinish) {
  struct Shared {
    std::mutex mu;
    asio::steady_timer* timer = nullptr;
    std::promise<void> entered;
  };
  auto shared = std::make_shared<Shared>();
  LoopbackServer srv([shared](Request) -> asio::awaitable<Response> {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::minutes(5));
    {
      std::lock_guard lock(shared->mu);
      shared->timer = &timer;
    }
    shared->entered.set_value();
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    {
      std::lock_guard lock(shared->mu);
      shared->timer = nullptr;
    }
    Response res;
    res.body = "done";
    co_return res;
  });
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  ASSERT_FALSE(c.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(shared->entered.get_future().wait_for(kClientTimeout), std::future_status::ready);

  srv.server().Stop();
  {
    // The timer lives on the session's strand; cancel it there.
    std::lock_guard lock(shared->mu);
    ASSERT_NE(shared->timer, nullptr);
    asio::steady_timer* t = shared->timer;
    asio::post(t->get_executor(), [t] { t->cancel(); });
  }

  bhttp::response<bhttp::string_body> res;
  ASSERT_FALSE(c.Read(res));
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), "done");
  EXPECT_FALSE(res.keep_alive());
  error_code ec;
  EXPECT_EQ(c.ReadToEof(&ec), "");
  EXPECT_EQ(ec, asio::error::eof);
}

TEST(ServerTest, IncompleteRequestIsClosedAfterReadTimeout) {
  auto opts = LoopbackServer::MakeOptions();
  opts.read_timeout = std::chrono::milliseconds(100);
  LoopbackServer srv(Echo, opts);
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  ASSERT_FALSE(c.Send("GET / HTTP/1.1\r\nHost: x\r\n"));
  error_code ec;
  EXPECT_EQ(c.ReadToEof(&ec), "");
  EXPECT_EQ(ec, asio::error::eof);  // the server closed it, not the client's own timeout
}

TEST(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  auto opts = LoopbackServer::MakeOptions();
  opts.idle_timeout = std::chrono::milliseconds(100);
  LoopbackServer srv(Echo, opts);
  RawClient c;
  ASSERT_FALSE(c.Connect(srv.port()));
  EXPECT_EQ(c.Exchange(bhttp::verb::get, "/").result_int(), 200u);
  error_code ec;
  EXPECT_EQ(c.ReadToEof(&ec), "");
  EXPECT_EQ(ec, asio::error::eof);
}

TEST(ServerTest, BindToUsedPortThrowsNamingTheAddress) {
  LoopbackServer srv(Echo);
  asio::io_context ioc;
  Server second(ioc, Echo);
  const std::string address = "127.0.0.1:" + std::to_string(srv.port());
  try {
    second.Listen(address);
    FAIL() << "Listen on a used port succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(address), std::string::npos) << e.what();
  }
}

TEST(ServerTest, ListenParsesAddressForms) {
  asio::io_context ioc;
  Server s(ioc, Echo);
  EXPECT_THROW(s.Listen("no-port-here"), std::runtime_error);
  EXPECT_THROW(s.Listen("127.0.0.1:99999"), std::runtime_error);
  EXPECT_THROW(s.Listen("::1:80"), std::runtime_error);
  EXPECT_TRUE(s.LocalAddresses().empty());
  s.Listen(":0");
  s.Listen("localhost:0");
  auto addrs = s.LocalAddresses();
  ASSERT_EQ(addrs.size(), 2u);
  for (const auto& a : addrs) {
    auto port = std::stoi(a.substr(a.rfind(':') + 1));
    EXPECT_GT(port, 0) << a;
  }
  s.Stop();
}

// One HTTPS exchange through the exporter's own client, which verifies the
// server against `ca` (a fixture name) and the host name 127.0.0.1.
Result<http::ClientResponse> HttpsGet(unsigned short port, const std::string& ca, const std::string& target,
                                      std::vector<std::pair<std::string, std::string>> headers = {}) {
  asio::io_context ioc;
  Url url;
  url.scheme = "https";
  url.host = "127.0.0.1";
  url.port = port;
  url.path = "/";
  http::Client client(ioc.get_executor(),
                      http::Client::Options{url, TlsConfig{std::string(CC_FIXTURES) + "/tls/" + ca, false}});
  std::optional<Result<http::ClientResponse>> result;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        // A named request: GCC 12 frees a braced temporary argument of a
        // coroutine twice.
        http::ClientRequest request;
        request.target = target;
        request.headers = headers;
        result.emplace(co_await client.Send(std::move(request), std::chrono::steady_clock::now() + kClientTimeout));
      },
      asio::detached);
  ioc.run();
  return std::move(*result);
}

TEST(ServerTest, TlsServesHttpsAndSurvivesPlainAndUntrustingClients) {
  auto options = LoopbackServer::MakeOptions();
  options.tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  options.tls->use_certificate_chain_file(std::string(CC_FIXTURES) + "/tls/server.pem");
  options.tls->use_private_key_file(std::string(CC_FIXTURES) + "/tls/server.key", asio::ssl::context::pem);
  LoopbackServer srv(Echo, options);

  auto ok = HttpsGet(srv.port(), "ca.pem", "/secure?a=1");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->status, 200u);
  EXPECT_EQ(Lines(ok->body).at(1), "/secure");
  EXPECT_EQ(Lines(ok->body).at(3), "1");

  // A client that does not trust the certificate gives up in the handshake.
  auto untrusted = HttpsGet(srv.port(), "wrong_ca.pem", "/");
  ASSERT_FALSE(untrusted);
  EXPECT_EQ(untrusted.error().reason, Reason::tls);

  // Plain HTTP on the TLS port gets no HTTP answer, only a closed connection.
  RawClient plain;
  ASSERT_FALSE(plain.Connect(srv.port()));
  ASSERT_FALSE(plain.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(plain.ReadToEof().find("HTTP/1.1"), std::string::npos);

  auto again = HttpsGet(srv.port(), "ca.pem", "/again");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(Lines(again->body).at(1), "/again");
}

TEST(ServerTest, AuthorizeGuardsEveryRouteAndExtraHeadersGoOnEveryResponse) {
  auto options = LoopbackServer::MakeOptions();
  options.tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  options.tls->use_certificate_chain_file(std::string(CC_FIXTURES) + "/tls/server.pem");
  options.tls->use_private_key_file(std::string(CC_FIXTURES) + "/tls/server.key", asio::ssl::context::pem);
  std::atomic<int> handled{0};
  options.authorize = [](std::string authorization) -> asio::awaitable<AuthVerdict> {
    co_return authorization == "Basic good" ? AuthVerdict::allow : AuthVerdict::deny;
  };
  options.extra_headers = {{"Strict-Transport-Security", "max-age=60"}};
  LoopbackServer srv(
      [&handled](Request req) {
        ++handled;
        return Echo(std::move(req));
      },
      options);

  auto refused = HttpsGet(srv.port(), "ca.pem", "/metrics");
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(refused->status, 401u);
  auto wrong = HttpsGet(srv.port(), "ca.pem", "/metrics", {{"Authorization", "Basic bad"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401u);
  EXPECT_EQ(handled.load(), 0);

  auto ok = HttpsGet(srv.port(), "ca.pem", "/metrics", {{"Authorization", "Basic good"}});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->status, 200u);
  EXPECT_EQ(Lines(ok->body).at(1), "/metrics");
  EXPECT_EQ(handled.load(), 1);

  // The 401 names the scheme and carries the extra header (read raw, over plain HTTP).
  LoopbackServer plain([](Request req) { return Echo(std::move(req)); },
                       [&] {
                         auto o = LoopbackServer::MakeOptions();
                         o.authorize = options.authorize;
                         o.extra_headers = options.extra_headers;
                         return o;
                       }());
  RawClient c;
  ASSERT_FALSE(c.Connect(plain.port()));
  auto res = c.Exchange(bhttp::verb::get, "/metrics");
  EXPECT_EQ(res.result_int(), 401u);
  EXPECT_EQ(res[bhttp::field::www_authenticate], "Basic");
  EXPECT_EQ(res["Strict-Transport-Security"], "max-age=60");
}

}  // namespace
}  // namespace cc::http
