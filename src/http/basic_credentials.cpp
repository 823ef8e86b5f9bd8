#include "http/basic_credentials.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace cc::http {
namespace {

bool IsBase64Char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/'; }

// Strict RFC 4648 §4: whole 4-character groups, '=' only as the last one or
// two characters. OpenSSL's decoder alone would accept inner whitespace and
// count padding as data.
bool IsStrictBase64(std::string_view in) {
  if (in.empty() || in.size() % 4 != 0) return false;
  std::size_t pad = 0;
  while (pad < 2 && in[in.size() - 1 - pad] == '=') ++pad;
  return std::all_of(in.begin(), in.end() - static_cast<std::ptrdiff_t>(pad), IsBase64Char);
}

Result<std::string> Base64Decode(std::string_view in) {
  if (!IsStrictBase64(in)) return MakeError(Reason::auth, "credentials are not base64 (RFC 4648)");
  std::string out(in.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return MakeError(Reason::auth, "credentials are not base64 (RFC 4648)");
  // EVP_DecodeBlock writes the padding as zero bytes.
  const std::size_t pad = static_cast<std::size_t>(std::count(in.end() - 2, in.end(), '='));
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

bool StartsWithBasic(std::string_view header) {
  constexpr std::string_view kScheme = "basic";
  return header.size() > kScheme.size() &&
         std::equal(kScheme.begin(), kScheme.end(), header.begin(),
                    [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }) &&
         header[kScheme.size()] == ' ';
}

}  // namespace

Result<Credentials> ParseBasicAuthorization(std::string_view header) {
  if (header.size() > kMaxAuthorizationBytes) return MakeError(Reason::auth, "Authorization header too long");
  if (!StartsWithBasic(header)) return MakeError(Reason::auth, "no Basic credentials");
  std::string_view token = header.substr(6);
  token.remove_prefix(std::min(token.find_first_not_of(' '), token.size()));  // RFC 9110 §11.4: 1*SP
  Result<std::string> decoded = Base64Decode(token);
  if (!decoded) return decoded.error();
  if (decoded->find('\0') != std::string::npos) return MakeError(Reason::auth, "credentials contain a NUL byte");
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return MakeError(Reason::auth, "credentials without ':'");
  return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace cc::http
