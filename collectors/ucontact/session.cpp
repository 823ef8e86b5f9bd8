#include "collectors/ucontact/session.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "collectors/kit/http_status.h"
#include "collectors/ucontact/parse.h"
#include "common/log.h"

namespace cc::ucontact {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kFormType = "application/x-www-form-urlencoded; charset=UTF-8";
constexpr std::string_view kLogin = "auth/getUserToken";
constexpr std::string_view kEndSession = "auth/EndSession";
// How long ending a session whose login finished after End() may take.
constexpr std::chrono::milliseconds kLateEndTimeout{1500};

http::ClientRequest FormPost(const PollContext& ctx, std::string_view resource, std::string form) {
  http::ClientRequest request;
  request.method = http::ClientRequest::Method::post;
  request.target = ResourceTarget(ctx.target.url.path, resource);
  request.headers.emplace_back("Content-Type", kFormType);
  request.headers.emplace_back("Accept", "application/json");
  request.body = std::move(form);
  return request;
}

}  // namespace

asio::awaitable<Result<http::ClientResponse>> Session::Post(PollContext& ctx, std::string_view resource,
                                                            std::string form) {
  for (int attempt = 0;; ++attempt) {
    auto token = co_await Token(ctx);
    if (!token) co_return token.error();
    http::ClientRequest request = FormPost(ctx, resource, form);
    request.headers.emplace_back("Authorization", "Basic " + *token);
    auto response = co_await ctx.http.Send(std::move(request), ctx.deadline);
    if (!response || response->status != 401) co_return std::move(response);
    if (!auth_.token.empty()) {
      co_return MakeError(Reason::auth, std::string(resource) + ": HTTP 401, the configured token was refused");
    }
    if (attempt > 0) {
      co_return MakeError(Reason::auth, std::string(resource) + ": HTTP 401 right after a new login");
    }
    // Another request of this target may have logged in meanwhile.
    if (token_.reveal() == *token) token_ = Secret();
    log::Info("ucontact session expired, logging in again", {{"target", ctx.target.name}, {"resource", resource}});
  }
}

asio::awaitable<Result<std::string>> Session::Token(PollContext& ctx) {
  if (!auth_.token.empty()) co_return auth_.token.reveal();
  while (token_.empty() && logging_in_) {
    const std::uint64_t before = logins_;
    co_await login_done_->async_wait(asio::as_tuple(asio::use_awaitable));
    // That login failed: share its error rather than hammering the server.
    if (logins_ != before && token_.empty() && login_error_) co_return *login_error_;
  }
  if (!token_.empty()) co_return token_.reveal();
  if (ended_) co_return MakeError(Reason::auth, "the session was ended (shutting down or reloading)");

  logging_in_ = true;
  if (!login_done_) login_done_.emplace(co_await asio::this_coro::executor);
  login_done_->expires_at(asio::steady_timer::time_point::max());
  auto token = co_await Login(ctx);
  logging_in_ = false;
  ++logins_;
  if (token && ended_) {
    // End() ran while this login was in flight (a reload or shutdown): the
    // vendor must not be left with a session nobody will end, even when the
    // slow login used up the poll's deadline.
    co_await EndSession(ctx, *token, std::max(ctx.deadline, Deadline::clock::now() + kLateEndTimeout));
    login_done_->cancel();
    co_return MakeError(Reason::auth, "the session was ended (shutting down or reloading)");
  }
  if (token) {
    token_ = Secret(*token);
    login_error_.reset();
  } else {
    login_error_ = token.error();
  }
  login_done_->cancel();
  co_return token;
}

asio::awaitable<void> Session::End(PollContext& ctx) {
  if (ended_ || !auth_.token.empty()) co_return;
  ended_ = true;
  if (logging_in_) {
    // A login in flight ends the session it opens itself (see Token()); wait
    // for that, so a shutdown does not stop the io_context first. The login is
    // bounded by its poll's deadline, the wait by the caller's.
    co_await login_done_->async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (token_.empty()) co_return;
  const std::string token = token_.reveal();
  token_ = Secret();
  co_await EndSession(ctx, token, ctx.deadline);
}

asio::awaitable<void> Session::EndSession(PollContext& ctx, const std::string& token, Deadline deadline) {
  http::ClientRequest request = FormPost(ctx, kEndSession, FormEncode({{"user", auth_.username}, {"token", token}}));
  request.headers.emplace_back("Authorization", "Basic " + token);
  auto response = co_await ctx.http.Send(std::move(request), deadline);
  if (!response) {
    log::Warn("ucontact session not ended", {{"target", ctx.target.name}, {"err", response.error().message}});
  } else if (response->status != 200) {
    log::Warn("ucontact session not ended",
              {{"target", ctx.target.name}, {"err", "EndSession: HTTP status"}, {"status", response->status}});
  } else {
    log::Info("ucontact session ended", {{"target", ctx.target.name}, {"user", auth_.username}});
  }
}

asio::awaitable<Result<std::string>> Session::Login(PollContext& ctx) {
  http::ClientRequest request =
      FormPost(ctx, kLogin, FormEncode({{"user", auth_.username}, {"password", auth_.password.reveal()}}));
  auto body = kit::BodyOf(co_await ctx.http.Send(std::move(request), ctx.deadline), "getUserToken");
  if (!body) co_return body.error();
  auto token = ParseToken(*body);
  if (token) {
    log::Info("ucontact session started", {{"target", ctx.target.name}, {"user", auth_.username}});
  }
  co_return token;
}

}  // namespace cc::ucontact
