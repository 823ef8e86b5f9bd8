#include "tools/sim/faults.h"

#include <array>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cc::sim {
namespace {

namespace asio = boost::asio;

constexpr std::array<std::pair<FaultMode, std::string_view>, 9> kModes{{
    {FaultMode::none, "none"},
    {FaultMode::http500, "http500"},
    {FaultMode::garbage, "garbage"},
    {FaultMode::html, "html"},
    {FaultMode::slow, "slow"},
    {FaultMode::truncated, "truncated"},
    {FaultMode::hang, "hang"},
    {FaultMode::http429, "http429"},
    {FaultMode::http503, "http503"},
}};

// What a PHP front end behind a failing database typically shows.
constexpr std::string_view kHtmlErrorPage =
    "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>Error</title></head>\n"
    "<body>\n<h1>System Error</h1>\n"
    "<p>MySQL Error : Too many connections</p>\n"
    "<p><a href=\"/admin/\">Back</a></p>\n</body>\n</html>\n";

asio::awaitable<void> Sleep(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

std::optional<FaultMode> ParseFaultMode(std::string_view name) {
  for (const auto& [mode, text] : kModes) {
    if (text == name) return mode;
  }
  return std::nullopt;
}

std::string_view ToString(FaultMode mode) {
  for (const auto& [m, text] : kModes) {
    if (m == mode) return text;
  }
  return "none";
}

Faults::Faults(std::uint64_t seed, std::string server_header)
    : rng_(seed ^ 0x9e3779b97f4a7c15ull), server_header_(std::move(server_header)) {}

void Faults::Set(FaultSetting setting) {
  std::vector<Waiter> release;
  {
    std::lock_guard lock(mu_);
    setting_ = setting;
    ++generation_;
    release.swap(waiters_);
  }
  // A timer is not thread-safe: cancel it on its own (strand) executor.
  for (auto& w : release) {
    asio::post(w.executor, [timer = w.timer] {
      if (auto t = timer.lock()) t->cancel();
    });
  }
}

FaultSetting Faults::Get() const {
  std::lock_guard lock(mu_);
  return setting_;
}

asio::awaitable<http::Response> Faults::Apply(std::function<http::Response()> make) {
  const auto hang_deadline = std::chrono::steady_clock::now() + kHangLimit;
  for (;;) {
    FaultSetting s;
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mu_);
      s = setting_;
      generation = generation_;
    }
    http::Response res;
    switch (s.mode) {
      case FaultMode::none: co_return make();

      case FaultMode::http500:
        res.status = 500;
        res.content_type = "text/plain; charset=utf-8";
        res.body = "Internal Server Error\n";
        co_return res;

      case FaultMode::http429:
      case FaultMode::http503:
        res.status = s.mode == FaultMode::http429 ? 429 : 503;
        res.body = s.mode == FaultMode::http429 ? "Too Many Requests\n" : "Service Unavailable\n";
        if (!s.retry_after.empty()) res.headers.emplace_back("Retry-After", s.retry_after);
        co_return res;

      case FaultMode::garbage: {
        res.content_type = "text/html; charset=utf-8";
        std::lock_guard lock(mu_);
        res.body.resize(256 + rng_() % 768);
        for (char& c : res.body) c = static_cast<char>(rng_() & 0xff);
        co_return res;
      }

      case FaultMode::html:
        res.content_type = "text/html; charset=utf-8";
        res.body = std::string(kHtmlErrorPage);
        co_return res;

      case FaultMode::slow: co_await Sleep(s.delay.count() > 0 ? s.delay : kDefaultSlowDelay); co_return make();

      case FaultMode::truncated: {
        http::Response full = make();
        const std::size_t sent = full.body.size() / 2;
        std::string head = "HTTP/1.1 " + std::to_string(full.status) + (full.status == 200 ? " OK" : " Error") + "\r\n";
        if (!server_header_.empty()) head += "Server: " + server_header_ + "\r\n";
        head += "Content-Type: " + full.content_type + "\r\n";
        head += "Content-Length: " + std::to_string(full.body.size()) + "\r\n";
        head += "Connection: close\r\n\r\n";
        res.raw = head + full.body.substr(0, sent);
        if (s.delay.count() > 0) {
          res.raw_chunk = head.size();  // the head, a pause, then the partial body
          res.raw_chunk_delay = s.delay;
        }
        co_return res;
      }

      case FaultMode::hang: {
        auto now = std::chrono::steady_clock::now();
        if (now >= hang_deadline) {
          res.status = 504;
          res.body = "gave up hanging\n";
          co_return res;
        }
        auto executor = co_await asio::this_coro::executor;
        auto timer = std::make_shared<asio::steady_timer>(executor, hang_deadline - now);
        {
          std::lock_guard lock(mu_);
          if (generation != generation_) continue;  // changed meanwhile: look again
          std::erase_if(waiters_, [](const Waiter& w) { return w.timer.expired(); });
          waiters_.push_back(Waiter{executor, timer});
        }
        // Set() posts the cancel to this strand, so it runs only after this
        // wait has started.
        co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
        continue;  // released or timed out: apply whatever holds now
      }
    }
  }
}

}  // namespace cc::sim
