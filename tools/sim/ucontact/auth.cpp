#include "tools/sim/ucontact/auth.h"

#include <cctype>
#include <cstdio>

namespace cc::sim::ucontact {

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (const std::size_t rest = in.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

UcontactSessions::UcontactSessions(UcontactAuthOptions options) : options_(std::move(options)), rng_(options_.seed) {}

std::optional<std::string> UcontactSessions::Login(std::string_view user, std::string_view password) {
  std::lock_guard lock(mu_);
  if (user != options_.user || password != options_.password) {
    ++counters_.login_failures;
    return std::nullopt;
  }
  // A random UUID (version 4 layout) from the seeded RNG.
  const std::uint64_t hi = rng_(), lo = rng_();
  char uuid[64];
  std::snprintf(uuid, sizeof uuid, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xfff),
                static_cast<unsigned>(0x8000 | ((lo >> 48) & 0x3fff)),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  std::string token = Base64(std::string(user) + ":" + uuid);
  sessions_[token] = Session{std::string(user), now_ms_, now_ms_};
  ++counters_.logins;
  return token;
}

bool UcontactSessions::Live(const Session& s) const {
  if (options_.idle_timeout.count() > 0 && now_ms_ - s.used_ms >= options_.idle_timeout.count()) return false;
  return now_ms_ - s.created_ms < options_.lifetime.count();
}

std::map<std::string, UcontactSessions::Session>::iterator UcontactSessions::Find(std::string_view header) {
  constexpr std::string_view kScheme = "basic ";
  if (header.size() <= kScheme.size()) return sessions_.end();
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return sessions_.end();
  }
  auto it = sessions_.find(std::string(header.substr(kScheme.size())));
  if (it != sessions_.end() && !Live(it->second)) {
    sessions_.erase(it);
    return sessions_.end();
  }
  return it;
}

bool UcontactSessions::Authorize(std::string_view header) {
  std::lock_guard lock(mu_);
  auto it = Find(header);
  if (it == sessions_.end()) {
    ++counters_.unauthorized;
    return false;
  }
  it->second.used_ms = now_ms_;
  return true;
}

bool UcontactSessions::End(std::string_view header, std::string_view user, std::string_view token) {
  std::lock_guard lock(mu_);
  auto it = Find(header);
  if (it == sessions_.end() || it->first != token || it->second.user != user) return false;
  sessions_.erase(it);
  ++counters_.end_sessions;
  return true;
}

void UcontactSessions::ExpireAll() {
  std::lock_guard lock(mu_);
  sessions_.clear();
}

void UcontactSessions::Advance(std::chrono::milliseconds dt) {
  std::lock_guard lock(mu_);
  now_ms_ += dt.count();
}

UcontactAuthCounters UcontactSessions::Counters() const {
  std::lock_guard lock(mu_);
  UcontactAuthCounters c = counters_;
  c.live_sessions = 0;
  for (const auto& [token, s] : sessions_) c.live_sessions += Live(s) ? 1 : 0;
  return c;
}

}  // namespace cc::sim::ucontact
