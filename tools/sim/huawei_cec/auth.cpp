#include "tools/sim/huawei_cec/auth.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace cc::sim::huawei_cec {
namespace {

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  unsigned char mac[32];
  std::size_t len = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, sizeof mac,
                &len) == nullptr) {
    return {};
  }
  std::string hex;
  char buf[3];
  for (std::size_t i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", mac[i]);
    hex += buf;
  }
  return hex;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

// The query as decoded pairs; nullopt when a name is encoded (the simulator
// does not decode names: the exporter sends no query at all).
std::optional<Pairs> QueryPairs(const http::Request& req) {
  Pairs out;
  if (req.query.empty()) return out;
  for (std::string_view pair : Split(req.query, '&')) {
    if (pair.empty()) continue;
    std::string_view name = pair.substr(0, pair.find('='));
    if (name.find_first_of("%+") != std::string_view::npos) return std::nullopt;
    out.emplace_back(std::string(name), req.Param(name));
  }
  return out;
}

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string PercentEncode(std::string_view s) {
  std::string out;
  char buf[4];
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (Unreserved(c)) {
      out += ch;
    } else {
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string CanonicalRequestOf(const SignedParts& parts) {
  std::vector<std::string> names, header_lines, query;
  for (const auto& [name, value] : parts.headers) {
    names.push_back(name);
    header_lines.push_back(PercentEncode(name) + ":" + PercentEncode(value));
  }
  for (const auto& [name, value] : parts.query) query.push_back(PercentEncode(name) + "=" + PercentEncode(value));
  std::sort(names.begin(), names.end());
  std::sort(header_lines.begin(), header_lines.end());
  std::sort(query.begin(), query.end());
  auto join = [](const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += sep;
      out += items[i];
    }
    return out;
  };
  std::string out = std::string(parts.method) + "\n" + std::string(parts.path) + "\n";
  if (!query.empty()) out += join(query, "&") + "\n";
  out += join(names, ";") + "\n" + join(header_lines, "\n") + "\n";
  if (!parts.body.empty()) out += PercentEncode(parts.body);
  return out;
}

std::string ExpectedAuthorization(std::string_view access_key, std::string_view secret_key, std::string_view timestamp,
                                  const SignedParts& parts) {
  std::vector<std::string> names;
  for (const auto& h : parts.headers) names.push_back(h.first);
  std::sort(names.begin(), names.end());
  std::string signed_names;
  for (const auto& n : names) signed_names += (signed_names.empty() ? "" : ";") + n;
  const std::string prefix = "auth-v2/" + std::string(access_key) + "/" + std::string(timestamp) + "/" + signed_names;
  const std::string signing_key = HmacSha256Hex(secret_key, prefix);
  return prefix + "/" + HmacSha256Hex(signing_key, CanonicalRequestOf(parts));
}

std::string_view ToString(AuthVerdict verdict) {
  switch (verdict) {
    case AuthVerdict::ok: return "ok";
    case AuthVerdict::missing: return "missing";
    case AuthVerdict::malformed: return "malformed";
    case AuthVerdict::unknown_key: return "unknown_key";
    case AuthVerdict::bad_timestamp: return "bad_timestamp";
    case AuthVerdict::host_not_signed: return "host_not_signed";
    case AuthVerdict::header_missing: return "header_missing";
    case AuthVerdict::bad_signature: return "bad_signature";
  }
  return "?";
}

std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view t) {
  // 2018-07-02T02:42:49Z or 2021-08-31T09:38:50.872Z
  if (t.size() != 20 && t.size() != 24) return std::nullopt;
  if (t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t.back() != 'Z') {
    return std::nullopt;
  }
  if (t.size() == 24 && (t[19] != '.' || !Digits(t.substr(20, 3)))) return std::nullopt;
  for (auto [at, n] : {std::pair{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}}) {
    if (!Digits(t.substr(at, n))) return std::nullopt;
  }
  auto num = [&](int at, int n) { return std::stoi(std::string(t.substr(at, n))); };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  const std::time_t secs = timegm(&tm);
  auto out = std::chrono::system_clock::from_time_t(secs);
  if (t.size() == 24) out += std::chrono::milliseconds(num(20, 3));
  return out;
}

AuthVerdict VerifyAuthV2(const http::Request& req, std::string_view access_key, std::string_view secret_key,
                         std::chrono::system_clock::time_point now, std::chrono::seconds max_skew) {
  const std::string_view header = req.Header("authorization");
  if (header.empty()) return AuthVerdict::missing;
  const auto fields = Split(header, '/');
  if (fields.size() != 5 || fields[0] != "auth-v2" || fields[1].empty() || fields[3].empty() ||
      fields[4].size() != 64) {
    return AuthVerdict::malformed;
  }
  if (fields[1] != access_key) return AuthVerdict::unknown_key;
  const auto ts = ParseTimestamp(fields[2]);
  if (!ts) return AuthVerdict::bad_timestamp;
  if (max_skew.count() > 0 && (*ts > now + max_skew || *ts < now - max_skew)) return AuthVerdict::bad_timestamp;

  SignedParts parts{.method = req.method, .path = req.path, .query = {}, .headers = {}, .body = req.body};
  bool host = false;
  for (std::string_view name : Split(fields[3], ';')) {
    if (name.empty()) return AuthVerdict::malformed;
    // The request's own value: a Host other than the signed one fails below.
    const std::string lower(name);
    if (req.Header(lower).empty()) return AuthVerdict::header_missing;
    host = host || lower == "host";
    parts.headers.emplace_back(lower, std::string(req.Header(lower)));
  }
  if (!host) return AuthVerdict::host_not_signed;
  auto query = QueryPairs(req);
  if (!query) return AuthVerdict::malformed;
  parts.query = std::move(*query);

  const std::string expected = ExpectedAuthorization(access_key, secret_key, fields[2], parts);
  // The signed-header list must be given sorted (as every signer writes it)
  // for the prefixes to agree; the whole value is compared in constant time.
  if (expected.size() != header.size() || CRYPTO_memcmp(expected.data(), header.data(), header.size()) != 0) {
    return AuthVerdict::bad_signature;
  }
  return AuthVerdict::ok;
}

std::string ClientIp(std::string_view remote) {
  if (remote.starts_with('[')) {
    auto close = remote.find(']');
    return std::string(remote.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
  }
  return std::string(remote.substr(0, remote.rfind(':')));
}

bool IpLockout::Locked(const std::string& ip, Clock::time_point now) {
  auto it = entries_.find(ip);
  if (it == entries_.end()) return false;
  if (it->second.locked_until == Clock::time_point{}) return false;
  if (now < it->second.locked_until) return true;
  entries_.erase(it);  // the lock ran out: a fresh count
  return false;
}

bool IpLockout::Fail(const std::string& ip, Clock::time_point now) {
  Entry& e = entries_[ip];
  if (++e.failures < limit_) return false;
  e.locked_until = now + lock_time_;
  return true;
}

void IpLockout::Succeed(const std::string& ip) { entries_.erase(ip); }

void IpLockout::Clear() { entries_.clear(); }

}  // namespace cc::sim::huawei_cec
