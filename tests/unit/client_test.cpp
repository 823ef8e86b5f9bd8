#include "http/client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#include "http/gzip.h"

#include "tests/unit/support/text.h"

namespace cc {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

constexpr auto kUse = net::as_tuple(net::use_awaitable);

std::string Fixture(const std::string& name) { return std::string(CC_FIXTURES) + "/tls/" + name; }

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Reply(int status, const std::string& body, const std::string& headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: text/plain\r\n" + headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class TestServer;

// The server side of one accepted connection, driven by a test's script.
class Peer {
 public:
  Peer(tcp::socket socket, ssl::context* tls, TestServer* server, int index) : server_(server), index_(index) {
    if (tls != nullptr) {
      tls_.emplace(std::move(socket), *tls);
    } else {
      plain_.emplace(std::move(socket));
    }
  }

  int index() const { return index_; }

  net::awaitable<bool> Handshake() {
    auto [ec] = co_await tls_->async_handshake(ssl::stream_base::server, kUse);
    co_return !ec;
  }

  // One request, head and Content-Length body, exactly as received; nullopt
  // once the client closed. Recorded on the server before returning.
  net::awaitable<std::optional<std::string>> ReadRequest();

  net::awaitable<bool> Write(std::string_view bytes) {
    if (tls_) co_return co_await WriteTo(*tls_, bytes);
    co_return co_await WriteTo(*plain_, bytes);
  }

  net::awaitable<void> Sleep(std::chrono::milliseconds d) {
    net::steady_timer timer(co_await net::this_coro::executor, d);
    co_await timer.async_wait(kUse);
  }

  // Plain close, no TLS close_notify: what a server dropping an idle
  // connection typically does.
  void Close() {
    error_code ec;
    tcp::socket& s = tls_ ? tls_->next_layer() : *plain_;
    s.shutdown(tcp::socket::shutdown_both, ec);
    s.close(ec);
  }

 private:
  template <class Stream>
  static net::awaitable<bool> WriteTo(Stream& s, std::string_view bytes) {
    auto [ec, n] = co_await net::async_write(s, net::buffer(bytes), kUse);
    co_return !ec;
  }
  template <class Stream>
  static net::awaitable<error_code> ReadUntil(Stream& s, std::string& buf) {
    auto [ec, n] = co_await net::async_read_until(s, net::dynamic_buffer(buf), "\r\n\r\n", kUse);
    co_return ec;
  }
  template <class Stream>
  static net::awaitable<error_code> ReadMore(Stream& s, std::string& buf, std::size_t n) {
    auto [ec, got] = co_await net::async_read(s, net::dynamic_buffer(buf), net::transfer_exactly(n), kUse);
    co_return ec;
  }

  TestServer* server_;
  int index_;
  std::optional<tcp::socket> plain_;
  std::optional<ssl::stream<tcp::socket>> tls_;
  std::string buf_;
};

using Script = std::function<net::awaitable<void>(Peer&)>;

// A loopback server on its own thread: every accepted connection runs the
// script; it records what it received so tests can assert on the bytes.
class TestServer {
 public:
  explicit TestServer(Script script, const std::string& cert = "", const std::string& key = "")
      : acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)), script_(std::move(script)) {
    if (!cert.empty()) {
      tls_.emplace(ssl::context::tls_server);
      tls_->use_certificate_chain_file(Fixture(cert));
      tls_->use_private_key_file(Fixture(key), ssl::context::pem);
    }
    net::co_spawn(io_, Accept(), net::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~TestServer() {
    io_.stop();
    thread_.join();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  std::vector<std::string> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  int connections() {
    std::lock_guard lock(mu_);
    return connections_;
  }
  int handshake_failures() {
    std::lock_guard lock(mu_);
    return handshake_failures_;
  }
  // Waits (bounded, so a broken test fails instead of hanging) until n
  // connections have finished their script and were closed.
  bool WaitClosed(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return closed_ >= n; });
  }

  void Record(std::string request) {
    std::lock_guard lock(mu_);
    requests_.push_back(std::move(request));
  }

 private:
  net::awaitable<void> Accept() {
    for (int i = 0;; ++i) {
      auto [ec, socket] = co_await acceptor_.async_accept(kUse);
      if (ec) co_return;
      {
        std::lock_guard lock(mu_);
        ++connections_;
      }
      net::co_spawn(io_, Serve(std::move(socket), i), net::detached);
    }
  }

  net::awaitable<void> Serve(tcp::socket socket, int index) {
    Peer peer(std::move(socket), tls_ ? &*tls_ : nullptr, this, index);
    bool ok = true;
    if (tls_) ok = co_await peer.Handshake();
    if (ok) co_await script_(peer);
    peer.Close();
    {
      std::lock_guard lock(mu_);
      if (!ok) ++handshake_failures_;
      ++closed_;
    }
    cv_.notify_all();
  }

  net::io_context io_;
  tcp::acceptor acceptor_;
  std::optional<ssl::context> tls_;
  Script script_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> requests_;
  int connections_ = 0;
  int closed_ = 0;
  int handshake_failures_ = 0;
  std::thread thread_;
};

net::awaitable<std::optional<std::string>> Peer::ReadRequest() {
  error_code ec = tls_ ? co_await ReadUntil(*tls_, buf_) : co_await ReadUntil(*plain_, buf_);
  if (ec) co_return std::nullopt;
  const std::size_t head = buf_.find("\r\n\r\n") + 4;
  std::size_t body = 0;
  const std::string lower = Lower(buf_.substr(0, head));
  if (auto pos = lower.find("\r\ncontent-length:"); pos != std::string::npos) {
    body = std::stoul(lower.substr(pos + 17));
  }
  if (buf_.size() < head + body) {
    const std::size_t more = head + body - buf_.size();
    ec = tls_ ? co_await ReadMore(*tls_, buf_, more) : co_await ReadMore(*plain_, buf_, more);
    if (ec) co_return std::nullopt;
  }
  std::string request = buf_.substr(0, head + body);
  buf_.erase(0, head + body);
  server_->Record(request);
  co_return request;
}

// Scripts.
Script Respond(std::string reply) {
  return [reply = std::move(reply)](Peer& peer) -> net::awaitable<void> {
    if (co_await peer.ReadRequest()) co_await peer.Write(reply);
  };
}
// Serves requests on a connection until the client closes it.
Script RespondForever(std::string reply) {
  return [reply = std::move(reply)](Peer& peer) -> net::awaitable<void> {
    while (co_await peer.ReadRequest()) {
      if (!co_await peer.Write(reply)) break;
    }
  };
}
Script NeverAnswer() {
  return [](Peer& peer) -> net::awaitable<void> {
    co_await peer.ReadRequest();
    co_await peer.Sleep(1h);
  };
}

Url MakeUrl(const std::string& scheme, const std::string& host, std::uint16_t port) {
  Url url;
  url.scheme = scheme;
  url.host = host;
  url.port = port;
  url.path = "/";
  return url;
}

class ClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<http::Client> Client(const std::string& scheme, const std::string& host, std::uint16_t port,
                                       TlsConfig tls = {}, std::uint64_t max_bytes = 1u << 20) {
    return std::make_unique<http::Client>(io_.get_executor(),
                                          http::Client::Options{MakeUrl(scheme, host, port), tls, max_bytes});
  }
  std::unique_ptr<http::Client> Plain(const TestServer& server, std::uint64_t max_bytes = 1u << 20) {
    return Client("http", "127.0.0.1", server.port(), {}, max_bytes);
  }

  // Runs one Send to completion. The deadline is the only bound: a client
  // that ignores it would hang here, and the test would time out.
  Result<http::ClientResponse> Send(http::Client& client, http::ClientRequest request,
                                    std::chrono::milliseconds budget = 5s) {
    // co_spawn needs a default-constructible result; Result is not.
    std::optional<Result<http::ClientResponse>> result;
    auto send = [&]() -> net::awaitable<void> {
      result.emplace(co_await client.Send(std::move(request), std::chrono::steady_clock::now() + budget));
    };
    auto future = net::co_spawn(io_, send(), net::use_future);
    io_.restart();
    io_.run();
    future.get();  // rethrows if Send threw, which it must not
    return std::move(*result);
  }
  Result<http::ClientResponse> Get(http::Client& client, const std::string& target = "/",
                                   std::chrono::milliseconds budget = 5s) {
    http::ClientRequest request;
    request.target = target;
    return Send(client, std::move(request), budget);
  }

  net::io_context io_;
};

#define ASSERT_OK(r) ASSERT_TRUE((r).ok()) << (r).error().message
#define ASSERT_REASON(r, want)                                                      \
  do {                                                                              \
    ASSERT_FALSE((r).ok()) << "status " << (r)->status;                             \
    EXPECT_EQ(ToString((r).error().reason), ToString(want)) << (r).error().message; \
  } while (0)

TEST_F(ClientTest, PlainGet) {
  TestServer server(Respond(Reply(200, "queue 90 waiting 3")));
  auto client = Plain(server);
  auto r = Get(*client, "/admin/?m=interface&c=api&a=queueinfo");
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->content_type, "text/plain");
  EXPECT_EQ(r->body, "queue 90 waiting 3");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string port = std::to_string(server.port());
  EXPECT_EQ(requests[0],
            "GET /admin/?m=interface&c=api&a=queueinfo HTTP/1.1\r\n"
            "Host: 127.0.0.1:" +
                port +
                "\r\n"
                "User-Agent: callcenter_exporter\r\n"
                "Accept-Encoding: gzip\r\n\r\n");
}

TEST_F(ClientTest, PostBodyAndHeadersArriveAsSent) {
  TestServer server(Respond(Reply(200, "{}")));
  auto client = Plain(server);
  http::ClientRequest request;
  request.method = http::ClientRequest::Method::post;
  request.target = "/rest/cmsapp/v1/openapi/vdn/skillstatus";
  request.headers = {{"Content-Type", "application/json;charset=UTF-8"}, {"X-Custom", "a b\tc"}};
  request.body = R"({"ccId":1,"vdn":1,"skillIds":[1,2,3]})";
  auto r = Send(*client, request);
  ASSERT_OK(r);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0],
            "POST /rest/cmsapp/v1/openapi/vdn/skillstatus HTTP/1.1\r\n"
            "Host: 127.0.0.1:" +
                std::to_string(server.port()) +
                "\r\n"
                "User-Agent: callcenter_exporter\r\n"
                "Accept-Encoding: gzip\r\n"
                "Content-Type: application/json;charset=UTF-8\r\n"
                "X-Custom: a b\tc\r\n"
                "Content-Length: 37\r\n\r\n" +
                request.body);
}

TEST_F(ClientTest, EmptyPostSendsContentLengthZero) {
  TestServer server(Respond(Reply(200, "ok")));
  auto client = Plain(server);
  http::ClientRequest request;
  request.method = http::ClientRequest::Method::post;
  request.target = "/login";
  ASSERT_OK(Send(*client, request));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_NE(server.requests()[0].find("\r\nContent-Length: 0\r\n"), std::string::npos);
}

TEST_F(ClientTest, CustomHostHeaderSentVerbatim) {
  TestServer server(Respond(Reply(200, "ok")));
  auto client = Plain(server);
  http::ClientRequest request;
  request.target = "/x";
  request.headers = {{"host", "CMS.Example.com:28090"}, {"X-Auth", "signed"}};
  ASSERT_OK(Send(*client, request));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rfind("GET /x HTTP/1.1\r\nhost: CMS.Example.com:28090\r\n", 0), 0u) << requests[0];
  EXPECT_EQ(test::Occurrences(Lower(requests[0]), "\r\nhost:"), 1u) << requests[0];
  EXPECT_NE(requests[0].find("\r\nX-Auth: signed\r\n"), std::string::npos);
}

TEST_F(ClientTest, HeaderInjectionIsRefusedBeforeSending) {
  TestServer server(RespondForever(Reply(200, "ok")));
  auto client = Plain(server);
  http::ClientRequest request;
  request.headers = {{"Authorization", "token-from-vendor\r\nX-Injected: 1"}};
  auto r = Send(*client, request);
  ASSERT_REASON(r, Reason::parse);
  EXPECT_NE(r.error().message.find("Authorization"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("token-from-vendor"), std::string::npos) << r.error().message;
  http::ClientRequest bad_target;
  bad_target.target = "/a HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET /b";
  ASSERT_REASON(Send(*client, bad_target), Reason::parse);
  EXPECT_EQ(server.connections(), 0);
}

TEST_F(ClientTest, ServerErrorStatusIsAResult) {
  TestServer server(Respond(Reply(500, "internal error")));
  auto client = Plain(server);
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 500u);
  EXPECT_EQ(r->body, "internal error");
}

// A redirect is not followed (it could lead credentials to another host); its
// Location is kept for the error message.
TEST_F(ClientTest, RedirectIsAResultWithItsLocation) {
  TestServer server(Respond(Reply(302, "", "Location: https://new.example.com/admin/\r\n")));
  auto client = Plain(server);
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 302u);
  EXPECT_EQ(r->location, "https://new.example.com/admin/");
}

// Retry-After (RFC 9110 §10.2.3) arrives as a delay, from either form, so a
// collector can carry it in its failure; an unusable value is none.
TEST_F(ClientTest, RetryAfterIsADelayInEitherForm) {
  TestServer seconds(Respond(Reply(429, "slow down", "Retry-After: 120\r\n")));
  auto r = Get(*Plain(seconds));
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 429u);
  EXPECT_EQ(r->retry_after, std::optional<std::chrono::seconds>(120s));

  const std::time_t in_an_hour = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + 1h);
  std::tm tm{};
  gmtime_r(&in_an_hour, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  TestServer dated(Respond(Reply(503, "later", "Retry-After: " + std::string(date) + "\r\n")));
  r = Get(*Plain(dated));
  ASSERT_OK(r);
  ASSERT_TRUE(r->retry_after.has_value()) << date;
  EXPECT_LE(*r->retry_after, 3600s);
  EXPECT_GE(*r->retry_after, 3500s) << "an hour ahead, less the time this took";

  TestServer garbage(Respond(Reply(503, "later", "Retry-After: soon\r\n")));
  r = Get(*Plain(garbage));
  ASSERT_OK(r);
  EXPECT_EQ(r->retry_after, std::nullopt);
  TestServer none(Respond(Reply(503, "later")));
  r = Get(*Plain(none));
  ASSERT_OK(r);
  EXPECT_EQ(r->retry_after, std::nullopt);
}

TEST_F(ClientTest, ConnectionRefusedIsConnect) {
  std::uint16_t port = 0;
  {
    tcp::acceptor probe(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  auto client = Client("http", "127.0.0.1", port);
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::connect);
  EXPECT_EQ(r.error().message, "connect 127.0.0.1:" + std::to_string(port) + ": Connection refused");
}

TEST_F(ClientTest, ServerThatNeverAnswersTimesOut) {
  TestServer server(NeverAnswer());
  auto client = Plain(server);
  http::ClientRequest request;
  request.method = http::ClientRequest::Method::post;
  request.headers = {{"Authorization", "Bearer secret-token"}};
  request.body = "password=secret-body";
  auto r = Send(*client, request, 300ms);
  ASSERT_REASON(r, Reason::timeout);
  // Short, names the peer and the step, carries nothing from the request.
  EXPECT_EQ(r.error().message.rfind("read 127.0.0.1:" + std::to_string(server.port()) + ": ", 0), 0u)
      << r.error().message;
  EXPECT_EQ(r.error().message.find("secret"), std::string::npos) << r.error().message;
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(ClientTest, SlowTrickleTimesOutAtTheDeadline) {
  // One byte every 50 ms: each read makes progress, only an overall
  // deadline stops it.
  TestServer server([](Peer& peer) -> net::awaitable<void> {
    if (!co_await peer.ReadRequest()) co_return;
    const std::string reply = Reply(200, std::string(1000, 'x'));
    for (char c : reply) {
      if (!co_await peer.Write(std::string_view(&c, 1))) co_return;
      co_await peer.Sleep(50ms);
    }
  });
  auto client = Plain(server);
  auto r = Get(*client, "/", 300ms);
  ASSERT_REASON(r, Reason::timeout);
}

TEST_F(ClientTest, DeadlineAlreadyPassedIsTimeout) {
  TestServer server(Respond(Reply(200, "ok")));
  auto client = Plain(server);
  auto r = Get(*client, "/", -1ms);
  ASSERT_REASON(r, Reason::timeout);
  EXPECT_EQ(server.connections(), 0);
}

TEST_F(ClientTest, BodyOverCapIsTooLarge) {
  TestServer server(Respond(Reply(200, std::string(2000, 'x'))));
  auto client = Plain(server, 1000);
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::too_large);
}

TEST_F(ClientTest, BodyAtCapIsAccepted) {
  TestServer server(Respond(Reply(200, std::string(1000, 'x'))));
  auto client = Plain(server, 1000);
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->body, std::string(1000, 'x'));
}

TEST_F(ClientTest, ChunkedBodyOverCapIsTooLarge) {
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) chunked += "190\r\n" + std::string(400, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  TestServer server(Respond(chunked));
  auto client = Plain(server, 1000);
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::too_large);
}

TEST_F(ClientTest, GzipResponseIsDecoded) {
  std::string body;
  for (int i = 0; i < 200; ++i) body += "agent " + std::to_string(i) + " idle\n";
  TestServer server(Respond(Reply(200, GzipCompress(body), "Content-Encoding: gzip\r\n")));
  auto client = Plain(server);
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->body, body);
}

TEST_F(ClientTest, GzipBombIsTooLarge) {
  const std::string bomb = GzipCompress(std::string(64u << 20, 'a'), 9);
  ASSERT_LT(bomb.size(), 1u << 20);  // the compressed body itself fits the cap
  TestServer server(Respond(Reply(200, bomb, "Content-Encoding: gzip\r\n")));
  auto client = Plain(server, 1u << 20);
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::too_large);
}

TEST_F(ClientTest, CorruptGzipIsParse) {
  TestServer server(Respond(Reply(200, "definitely not gzip", "Content-Encoding: gzip\r\n")));
  auto client = Plain(server);
  ASSERT_REASON(Get(*client), Reason::parse);
}

TEST_F(ClientTest, BodyCutShortByCloseIsParse) {
  TestServer server(Respond("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"result\":\"1\",\"da"));
  auto client = Plain(server);
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::parse);
  EXPECT_NE(r.error().message.find("partial message"), std::string::npos) << r.error().message;
}

TEST_F(ClientTest, ChunkedResponse) {
  TestServer server(
      Respond("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
              "5\r\n[1,2,\r\n"
              "a\r\n3,4,5,6,7]\r\n"
              "0\r\n\r\n"));
  auto client = Plain(server);
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->content_type, "application/json");
  EXPECT_EQ(r->body, "[1,2,3,4,5,6,7]");
}

TEST_F(ClientTest, BodyUntilCloseResponse) {
  TestServer server(Respond("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end"));
  auto client = Plain(server);
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->body, "until the end");
}

TEST_F(ClientTest, KeepAliveReusesTheConnection) {
  TestServer server(RespondForever(Reply(200, "again")));
  auto client = Plain(server);
  for (int i = 0; i < 3; ++i) {
    auto r = Get(*client, "/n" + std::to_string(i));
    ASSERT_OK(r);
    EXPECT_EQ(r->body, "again");
  }
  EXPECT_EQ(server.connections(), 1);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].rfind("GET /n2 HTTP/1.1\r\n", 0), 0u);
}

TEST_F(ClientTest, ConnectionCloseIsNotReused) {
  TestServer server(RespondForever(Reply(200, "bye", "Connection: close\r\n")));
  auto client = Plain(server);
  ASSERT_OK(Get(*client));
  ASSERT_OK(Get(*client));
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(ClientTest, Http10IsNotReused) {
  TestServer server(RespondForever("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  auto client = Plain(server);
  ASSERT_OK(Get(*client));
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(ClientTest, CloseIdleDropsPooledConnections) {
  TestServer server(RespondForever(Reply(200, "ok")));
  auto client = Plain(server);
  ASSERT_OK(Get(*client));
  client->CloseIdle();
  ASSERT_TRUE(server.WaitClosed(1));  // the server saw the close
  ASSERT_OK(Get(*client));
  EXPECT_EQ(server.connections(), 2);
}

// The server answers on the first connection and then closes it while the
// client holds it idle; the next request must succeed on a new connection.
Script AnswerOnceThenCloseFirst(std::string first, std::string later) {
  return [first = std::move(first), later = std::move(later)](Peer& peer) -> net::awaitable<void> {
    if (peer.index() == 0) {
      if (co_await peer.ReadRequest()) co_await peer.Write(first);
      co_return;  // the server closes the connection
    }
    while (co_await peer.ReadRequest()) {
      if (!co_await peer.Write(later)) break;
    }
  };
}

TEST_F(ClientTest, IdleConnectionClosedByServerIsRetriedTransparently) {
  TestServer server(AnswerOnceThenCloseFirst(Reply(200, "first"), Reply(200, "second")));
  auto client = Plain(server);
  auto r1 = Get(*client);
  ASSERT_OK(r1);
  EXPECT_EQ(r1->body, "first");
  ASSERT_TRUE(server.WaitClosed(1));
  auto r2 = Get(*client);
  ASSERT_OK(r2);
  EXPECT_EQ(r2->body, "second");
  EXPECT_EQ(server.connections(), 2);
}

// A server that closes an idle keep-alive connection by answering 408 on it:
// the request is retried once on a new connection, never reported.
TEST_F(ClientTest, IdleConnectionAnswering408IsRetriedOnANewConnection) {
  const std::string timeout = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
  TestServer server([timeout](Peer& peer) -> net::awaitable<void> {
    if (peer.index() == 0) {
      if (co_await peer.ReadRequest() && co_await peer.Write(Reply(200, "first"))) {
        if (co_await peer.ReadRequest()) co_await peer.Write(timeout);
      }
      co_return;
    }
    while (co_await peer.ReadRequest()) {
      if (!co_await peer.Write(Reply(200, "second"))) break;
    }
  });
  auto client = Plain(server);
  ASSERT_OK(Get(*client));
  auto r2 = Get(*client);
  ASSERT_OK(r2);
  EXPECT_EQ(r2->status, 200u);
  EXPECT_EQ(r2->body, "second");
  EXPECT_EQ(server.connections(), 2);
  // On a new connection a 408 is the answer, not a reason to retry.
  TestServer fresh(Respond(timeout));
  auto other = Plain(fresh);
  auto r = Get(*other);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 408u);
  EXPECT_EQ(fresh.connections(), 1);
}

TEST_F(ClientTest, GarbageResponseIsParse) {
  TestServer server(Respond("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\r\n"));
  auto client = Plain(server);
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::parse);
  EXPECT_EQ(r.error().message.rfind("read 127.0.0.1:", 0), 0u) << r.error().message;
}

// Heads that curl and Python's http.client read, which Beast alone refuses (RFC 9112 §2.2
// bare LF, §4 empty reason phrase): each is read with its status, fields and body.
TEST_F(ClientTest, LiberalResponseHeadsAreRead) {
  const std::vector<std::string> heads = {
      "HTTP/1.1 200\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 200 \r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 200\nContent-Type: text/plain\nContent-Length: 5\n\n",
      "HTTP/1.1 200 OK\nContent-Type: text/plain\r\nContent-Length: 5\n\r\n",
      "HTTP/1.1 200 \xe6\x88\x90\xe5\x8a\x9f\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n",
  };
  for (const std::string& head : heads) {
    SCOPED_TRACE(head);
    TestServer server(Respond(head + "hello"));
    auto client = Plain(server);
    auto r = Get(*client);
    ASSERT_OK(r);
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->content_type, "text/plain");
    EXPECT_EQ(r->body, "hello");
  }
}

TEST_F(ClientTest, StatusWithoutReasonKeepsItsCodeAndTheConnection) {
  TestServer server(RespondForever("HTTP/1.1 503\nContent-Length: 4\n\nbusy"));
  auto client = Plain(server);
  for (int i = 0; i < 3; ++i) {
    auto r = Get(*client);
    ASSERT_OK(r);
    EXPECT_EQ(r->status, 503u);
    EXPECT_EQ(r->body, "busy");
  }
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(ClientTest, Http10WithoutReasonReadsTheBodyUntilClose) {
  TestServer server(Respond("HTTP/1.0 200\n\nuntil the end"));
  auto client = Plain(server);
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->body, "until the end");
}

TEST_F(ClientTest, HeadWithoutItsEmptyLineIsParse) {
  TestServer server(Respond("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"));
  auto client = Plain(server);
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::parse);
  EXPECT_NE(r.error().message.find("partial message"), std::string::npos) << r.error().message;
}

TEST_F(ClientTest, EndlessHeadIsTooLarge) {
  std::string head = "HTTP/1.1 200 OK\r\n";
  while (head.size() < 80 * 1024) head += "X-Filler: " + std::string(100, 'x') + "\r\n";
  TestServer server(Respond(head));
  auto client = Plain(server);
  ASSERT_REASON(Get(*client), Reason::too_large);
}

TEST_F(ClientTest, StatusCodeThatIsNotThreeDigitsIsParse) {
  for (std::string head : {"HTTP/1.1 20\r\n\r\n", "HTTP/1.1 2000\r\n\r\n", "HTTP/1.1 abc\r\n\r\n"}) {
    SCOPED_TRACE(head);
    TestServer server(Respond(head));
    auto client = Plain(server);
    ASSERT_REASON(Get(*client), Reason::parse);
  }
}

TEST_F(ClientTest, ResolvesHostNames) {
  TestServer server(Respond(Reply(200, "by name")));
  auto client = Client("http", "localhost", server.port());
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->body, "by name");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_NE(server.requests()[0].find("\r\nHost: localhost:" + std::to_string(server.port()) + "\r\n"),
            std::string::npos);
}

// --- HTTPS ---

TEST_F(ClientTest, HttpsWithTestCa) {
  TestServer server(Respond(Reply(200, "secure")), "server.pem", "server.key");
  auto client = Client("https", "127.0.0.1", server.port(), {Fixture("ca.pem"), false});
  auto r = Get(*client, "/tls");
  ASSERT_OK(r);
  EXPECT_EQ(r->body, "secure");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].rfind("GET /tls HTTP/1.1\r\n", 0), 0u);
}

TEST_F(ClientTest, HttpsToLocalhostName) {
  TestServer server(Respond(Reply(200, "named")), "server.pem", "server.key");
  auto client = Client("https", "localhost", server.port(), {Fixture("ca.pem"), false});
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->body, "named");
}

TEST_F(ClientTest, HttpsWithSystemCasRejectsTestCert) {
  TestServer server(Respond(Reply(200, "secure")), "server.pem", "server.key");
  auto client = Client("https", "127.0.0.1", server.port());
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::tls);
  EXPECT_NE(r.error().message.find("certificate verify failed"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.rfind("tls handshake 127.0.0.1:" + std::to_string(server.port()), 0), 0u)
      << r.error().message;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(ClientTest, HttpsWithWrongCa) {
  TestServer server(Respond(Reply(200, "secure")), "server.pem", "server.key");
  auto client = Client("https", "127.0.0.1", server.port(), {Fixture("wrong_ca.pem"), false});
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::tls);
  EXPECT_NE(r.error().message.find("certificate verify failed"), std::string::npos) << r.error().message;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(ClientTest, HttpsInsecureSkipVerify) {
  TestServer server(Respond(Reply(200, "unverified")), "other.pem", "other.key");
  auto client = Client("https", "127.0.0.1", server.port(), {"", true});
  auto r = Get(*client);
  ASSERT_OK(r);
  EXPECT_EQ(r->body, "unverified");
}

TEST_F(ClientTest, HttpsIpNotInCertificate) {
  // other.pem is signed by the test CA but names only other.invalid.
  TestServer server(Respond(Reply(200, "secure")), "other.pem", "other.key");
  auto client = Client("https", "127.0.0.1", server.port(), {Fixture("ca.pem"), false});
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::tls);
  EXPECT_NE(r.error().message.find("IP address mismatch"), std::string::npos) << r.error().message;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(ClientTest, HttpsHostNameNotInCertificate) {
  TestServer server(Respond(Reply(200, "secure")), "other.pem", "other.key");
  auto client = Client("https", "localhost", server.port(), {Fixture("ca.pem"), false});
  auto r = Get(*client);
  ASSERT_REASON(r, Reason::tls);
  EXPECT_NE(r.error().message.find("hostname mismatch"), std::string::npos) << r.error().message;
}

TEST_F(ClientTest, HttpsKeepAliveAndServerClosingIdleConnection) {
  TestServer server(AnswerOnceThenCloseFirst(Reply(200, "first"), Reply(200, "later")), "server.pem", "server.key");
  auto client = Client("https", "127.0.0.1", server.port(), {Fixture("ca.pem"), false});
  ASSERT_OK(Get(*client));
  ASSERT_TRUE(server.WaitClosed(1));
  for (int i = 0; i < 2; ++i) {
    auto r = Get(*client);
    ASSERT_OK(r);
    EXPECT_EQ(r->body, "later");
  }
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(ClientTest, HttpsHandshakeNeverAnsweredTimesOut) {
  // A plain TCP server that accepts and says nothing: the TLS handshake
  // itself must be bounded by the deadline.
  TestServer server([](Peer& peer) -> net::awaitable<void> { co_await peer.Sleep(1h); });
  auto client = Client("https", "127.0.0.1", server.port(), {Fixture("ca.pem"), false});
  auto r = Get(*client, "/", 300ms);
  ASSERT_REASON(r, Reason::timeout);
}

TEST_F(ClientTest, HttpsToPlainServerIsTls) {
  // Answers in plain HTTP without waiting for a request (the ClientHello).
  TestServer server([](Peer& peer) -> net::awaitable<void> { co_await peer.Write(Reply(400, "plain")); });
  auto client = Client("https", "127.0.0.1", server.port(), {Fixture("ca.pem"), false});
  ASSERT_REASON(Get(*client), Reason::tls);
}

TEST_F(ClientTest, UnreadableCaFileThrowsNamingTheFile) {
  const std::string missing = Fixture("does-not-exist.pem");
  try {
    Client("https", "127.0.0.1", 443, {missing, false});
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
}

TEST_F(ClientTest, PlainUrlIgnoresTlsConfig) {
  EXPECT_NO_THROW(Client("http", "127.0.0.1", 80, {Fixture("does-not-exist.pem"), false}));
}

}  // namespace
}  // namespace cc
