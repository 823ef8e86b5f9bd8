#include "tools/sim/yunhu/auth.h"

#include <utility>

namespace cc::sim::yunhu {

YunhuAuth::YunhuAuth(YunhuAuthOptions options)
    // Its own stream: requests must not change the call centre's history.
    : options_(std::move(options)), rng_(options_.seed ^ 0x7975'6e68'7561'7574ULL), deny_ip_(options_.deny_ip) {}

double YunhuAuth::Uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

std::string YunhuAuth::NewToken() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = rng_();
    for (int i = 0; i < 16; ++i, bits >>= 4) out += kHex[bits & 0xf];
  }
  return out;
}

int YunhuAuth::CheckIp() {
  std::lock_guard lock(mu_);
  if (!deny_ip_) return kYunhuRetOk;
  ++counters_.ret_604;
  return kYunhuRetIllegalIp;
}

YunhuAuth::LoginResult YunhuAuth::Login(std::string_view appid, std::string_view accesskey) {
  std::lock_guard lock(mu_);
  if (!Matches(appid, accesskey)) {
    ++counters_.login_refused;
    return {kYunhuRetAppidNotAuthorized, {}};
  }
  std::string token = NewToken();
  while (tokens_.contains(token)) token = NewToken();
  tokens_[token] = Token{now_ms_ + options_.token_ttl.count(), false};
  issued_.push_back(token);
  if (issued_.size() > kKeptTokens) issued_.pop_front();
  ++counters_.logins;
  return {kYunhuRetOk, std::move(token)};
}

int YunhuAuth::Check(std::string_view token) {
  std::lock_guard lock(mu_);
  if (reject_tokens_) {
    ++counters_.ret_600_rejected;
    return kYunhuRetTokenInvalid;
  }
  auto it = tokens_.find(token);
  if (it == tokens_.end()) {
    ++counters_.ret_600_unknown;
    return kYunhuRetTokenInvalid;
  }
  if (now_ms_ >= it->second.expires_ms) {
    ++counters_.ret_600_expired;
    tokens_.erase(it);
    return kYunhuRetTokenInvalid;
  }
  if (it->second.used && Uniform() < options_.token_invalid_rate) {
    ++counters_.ret_600_random;
    tokens_.erase(it);
    return kYunhuRetTokenInvalid;
  }
  it->second.used = true;
  return kYunhuRetOk;
}

void YunhuAuth::Logout(std::string_view token) {
  std::lock_guard lock(mu_);
  if (auto it = tokens_.find(token); it != tokens_.end()) tokens_.erase(it);
  ++counters_.logouts;
}

void YunhuAuth::Advance(std::chrono::milliseconds dt) {
  std::lock_guard lock(mu_);
  now_ms_ += dt.count();
  // Forget tokens long expired, so a client that never comes back costs nothing.
  std::erase_if(tokens_, [&](const auto& t) { return now_ms_ >= t.second.expires_ms + options_.token_ttl.count(); });
}

void YunhuAuth::ExpireAll() {
  std::lock_guard lock(mu_);
  tokens_.clear();
}

void YunhuAuth::SetDenyIp(bool deny) {
  std::lock_guard lock(mu_);
  deny_ip_ = deny;
}

void YunhuAuth::SetRejectTokens(bool reject) {
  std::lock_guard lock(mu_);
  reject_tokens_ = reject;
}

bool YunhuAuth::reject_tokens() const {
  std::lock_guard lock(mu_);
  return reject_tokens_;
}

bool YunhuAuth::deny_ip() const {
  std::lock_guard lock(mu_);
  return deny_ip_;
}

std::size_t YunhuAuth::valid_tokens() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [value, t] : tokens_) n += now_ms_ < t.expires_ms ? 1 : 0;
  return n;
}

YunhuAuthCounters YunhuAuth::Counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

std::vector<std::string> YunhuAuth::IssuedTokens() const {
  std::lock_guard lock(mu_);
  return {issued_.begin(), issued_.end()};
}

}  // namespace cc::sim::yunhu
