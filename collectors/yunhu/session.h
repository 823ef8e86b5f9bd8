#pragma once
// The login state of one yunhu target: credentials and the cached token.
// Shared by the target's collectors, which all run on the target's strand,
// so it needs no locking.

#include <chrono>
#include <string>
#include <utility>

#include "config/config.h"

namespace cc::yunhu {

class Session {
 public:
  using Clock = std::chrono::steady_clock;
  // The platform issues tokens for 12 h; renewing a little early means a
  // poll never starts with a token about to lapse. A 600 reply still
  // triggers a re-login (the token may be revoked earlier, e.g. by Logout).
  static constexpr std::chrono::hours kTokenLifetime{11};

  Session(std::string appid, Secret accesskey) : appid_(std::move(appid)), accesskey_(std::move(accesskey)) {}

  const std::string& appid() const { return appid_; }
  const Secret& accesskey() const { return accesskey_; }

  // The token, if there is one that has not expired at `now`.
  const Secret* Token(Clock::time_point now) const { return (!token_.empty() && now < expires_) ? &token_ : nullptr; }
  // The token regardless of expiry, for redacting messages.
  const Secret& LastToken() const { return token_; }
  void SetToken(Secret token, Clock::time_point now) {
    token_ = std::move(token);
    expires_ = now + kTokenLifetime;
  }
  void Invalidate() { expires_ = Clock::time_point::min(); }

 private:
  std::string appid_;
  Secret accesskey_;
  Secret token_;
  Clock::time_point expires_ = Clock::time_point::min();
};

}  // namespace cc::yunhu
