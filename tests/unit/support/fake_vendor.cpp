#include "tests/unit/support/fake_vendor.h"

#include <algorithm>
#include <set>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cc::test {

namespace net = boost::asio;

namespace {

http::Server::Options Options() {
  http::Server::Options options;
  options.server_header = "fake-vendor";
  return options;
}

}  // namespace

http::Response MakeResponse(unsigned status, std::string body, std::string content_type) {
  http::Response response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

FakeVendor::FakeVendor(Reply reply)
    : FakeVendor(AsyncReply([reply = std::move(reply)](http::Request request) -> net::awaitable<http::Response> {
        co_return reply(request);
      })) {}

FakeVendor::FakeVendor(AsyncReply reply)
    : reply_(std::move(reply)),
      server_(
          ioc_, [this](http::Request request) { return Handle(std::move(request)); }, Options()) {
  server_.Listen("127.0.0.1:0");
  const std::string address = server_.LocalAddresses().at(0);
  port_ = static_cast<unsigned short>(std::stoi(address.substr(address.rfind(':') + 1)));
  thread_ = std::thread([this] { ioc_.run(); });
}

FakeVendor::~FakeVendor() {
  server_.Stop();
  work_.reset();
  ioc_.stop();
  thread_.join();
}

std::string FakeVendor::Url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::vector<http::Request> FakeVendor::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::size_t FakeVendor::count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

std::size_t FakeVendor::connections() const {
  std::lock_guard lock(mu_);
  std::set<std::string> peers;
  for (const http::Request& r : requests_) peers.insert(r.remote);
  return peers.size();
}

std::size_t FakeVendor::max_in_flight() const {
  std::lock_guard lock(mu_);
  return max_in_flight_;
}

void FakeVendor::HoldUntil(std::size_t gate, std::size_t total, std::function<bool(const http::Request&)> hold) {
  std::lock_guard lock(mu_);
  gate_ = gate;
  gate_total_ = total;
  gate_arrived_ = 0;
  hold_ = std::move(hold);
}

net::awaitable<http::Response> FakeVendor::Handle(http::Request request) {
  bool held = false;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
    held = gate_ > 0 && (!hold_ || hold_(request));
  }
  if (held) co_await Wait();
  http::Response response = co_await reply_(std::move(request));
  {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  co_return response;
}

net::awaitable<void> FakeVendor::Wait() {
  auto timer =
      std::make_shared<net::steady_timer>(co_await net::this_coro::executor, net::steady_timer::time_point::max());
  {
    std::lock_guard lock(mu_);
    ++gate_arrived_;
    if (waiting_.size() + 1 >= gate_ || gate_arrived_ == gate_total_) {
      // The gate opens: this request goes on at once and the waiting ones wake
      // up (an expiry in the past also ends a wait that has not started yet).
      for (auto& t : waiting_) t->expires_at(net::steady_timer::time_point::min());
      waiting_.clear();
      co_return;
    }
    waiting_.push_back(timer);
  }
  co_await timer->async_wait(net::as_tuple(net::use_awaitable));
}

}  // namespace cc::test
