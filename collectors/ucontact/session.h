#pragma once
// The uContact session of one target, shared by its two collectors: logs in
// with `auth/getUserToken`, sends the token as `Authorization: Basic <token>`,
// and on a 401 logs in again and retries the request once, so a session that
// expires between polls costs no failed poll. End() closes it on shutdown
// and reload.
//
// All of a target's collectors run on its strand: no locking. They do
// interleave at co_await points, so concurrent callers share one login.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collectors/kit/collector.h"
#include "common/result.h"
#include "config/config.h"

namespace cc::ucontact {

struct AuthConfig {
  std::string username;
  Secret password;
  Secret token;  // a ready session token; then no login happens at all
};

class Session {
 public:
  explicit Session(AuthConfig auth) : auth_(std::move(auth)) {}

  // POST `form` (already encoded) to `resource` below the target URL. Any HTTP
  // status but 401 is returned as is; a 401 that survives a fresh login is
  // Reason::auth.
  boost::asio::awaitable<Result<http::ClientResponse>> Post(PollContext& ctx, std::string_view resource,
                                                            std::string form);

  // Ends the session this exporter opened (`auth/EndSession` with `user` and
  // `token`), once: later calls and later logins do nothing. A configured
  // token is not ended (the exporter did not create it). A login still in
  // flight is waited for and its session ended as soon as it succeeds (its
  // poll then fails with auth).
  // Failures are only logged.
  boost::asio::awaitable<void> End(PollContext& ctx);

  std::uint64_t logins() const { return logins_; }  // for tests and logs

 private:
  boost::asio::awaitable<Result<std::string>> Token(PollContext& ctx);
  boost::asio::awaitable<Result<std::string>> Login(PollContext& ctx);
  // auth/EndSession for `token`, by `deadline`; the outcome is logged.
  boost::asio::awaitable<void> EndSession(PollContext& ctx, const std::string& token, Deadline deadline);

  const AuthConfig auth_;
  Secret token_;  // the current session token; empty until logged in
  bool logging_in_ = false;
  bool ended_ = false;        // End() was called: no new session
  std::uint64_t logins_ = 0;  // finished login attempts
  std::optional<Error> login_error_;
  // Woken (cancelled) when a login finishes; created on first use, on the strand.
  std::optional<boost::asio::steady_timer> login_done_;
};

}  // namespace cc::ucontact
