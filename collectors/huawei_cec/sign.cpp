#include "collectors/huawei_cec/sign.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace cc::huawei_cec {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Hex(const unsigned char* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0f];
  }
  return out;
}

}  // namespace

std::string Normalize(std::string_view s) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 0x0f];
    }
  }
  return out;
}

std::string FormatTimestamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

std::string SignedHeaders(const NameValues& headers) {
  std::vector<std::string> names;
  for (const auto& [name, value] : headers) names.push_back(Lower(name));
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ";") + n;
  return out;
}

std::string CanonicalRequest(const SignRequest& r) {
  std::string out(r.method);
  out += '\n';
  out += r.uri;
  out += '\n';
  if (!r.query.empty()) {
    std::vector<std::string> pairs;
    for (const auto& [k, v] : r.query) pairs.push_back(Normalize(k) + "=" + Normalize(v));
    std::sort(pairs.begin(), pairs.end());
    for (std::size_t i = 0; i < pairs.size(); ++i) out += (i ? "&" : "") + pairs[i];
    out += '\n';
  }
  out += SignedHeaders(r.headers);
  out += '\n';
  std::vector<std::string> lines;
  for (const auto& [name, value] : r.headers) lines.push_back(Normalize(Lower(name)) + ":" + Normalize(value));
  std::sort(lines.begin(), lines.end());
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  out += '\n';
  out += Normalize(r.body);
  return out;
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &len);
  return Hex(digest, len);
}

std::string Authorization(std::string_view access_key, std::string_view secret_key, const SignRequest& request,
                          std::chrono::system_clock::time_point now) {
  std::string prefix = "auth-v2/";
  prefix += access_key;
  prefix += '/';
  prefix += FormatTimestamp(now);
  prefix += '/';
  prefix += SignedHeaders(request.headers);
  // The signature is keyed by the hex text of the signing key, not its bytes.
  const std::string signing_key = HmacSha256Hex(secret_key, prefix);
  return prefix + "/" + HmacSha256Hex(signing_key, CanonicalRequest(request));
}

}  // namespace cc::huawei_cec
