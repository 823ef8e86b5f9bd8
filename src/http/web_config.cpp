#include "http/web_config.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <array>
#include <cstring>
#include <map>

#include "config/config_node.h"

namespace cc::http {
namespace {

namespace ssl = boost::asio::ssl;

// Go's tls.VersionTLS1x names, as exporter-toolkit spells them.
int TlsVersion(ConfigNode& node, const std::string& key, const std::string& fallback) {
  static const std::map<std::string, int> kVersions{
      {"TLS10", TLS1_VERSION}, {"TLS11", TLS1_1_VERSION}, {"TLS12", TLS1_2_VERSION}, {"TLS13", TLS1_3_VERSION}};
  const std::string name = node.String(key, fallback);
  auto it = kVersions.find(name);
  if (it == kVersions.end()) node.Fail(key, "\"" + name + "\" is not one of TLS10, TLS11, TLS12, TLS13");
  return it->second;
}

bool IsBcrypt(std::string_view hash) {
  return hash.size() == 60 && (hash.starts_with("$2a$") || hash.starts_with("$2b$") || hash.starts_with("$2y$"));
}

std::shared_ptr<ssl::context> ReadTls(ConfigNode& node) {
  // Go-specific tuning exporter-toolkit offers; OpenSSL's defaults stand in,
  // and a setting we would silently ignore is refused instead.
  for (const char* key : {"cipher_suites", "curve_preferences", "prefer_server_cipher_suites", "client_allowed_sans"}) {
    if (node.Has(key)) node.Fail(key, "not supported by callcenter_exporter (OpenSSL's defaults apply)");
  }
  const std::string cert = node.FilePath("cert_file", "");
  const std::string key = node.FilePath("key_file", "");
  if (cert.empty()) node.Fail("cert_file", "required key is missing");
  if (key.empty()) node.Fail("key_file", "required key is missing");
  const std::string client_auth = node.String("client_auth_type", "NoClientCert");
  const std::string client_ca = node.FilePath("client_ca_file", "");
  const int min_version = TlsVersion(node, "min_version", "TLS12");
  const int max_version = TlsVersion(node, "max_version", "TLS13");
  node.RejectUnknownKeys();
  if (min_version > max_version) node.Fail("min_version", "is above max_version");

  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), min_version);
  SSL_CTX_set_max_proto_version(ctx->native_handle(), max_version);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert, ec);
  if (ec) node.Fail("cert_file", "cannot load certificate \"" + cert + "\": " + ec.message());
  ctx->use_private_key_file(key, ssl::context::pem, ec);
  if (ec) node.Fail("key_file", "cannot load private key \"" + key + "\": " + ec.message());

  const bool verify = client_auth == "VerifyClientCertIfGiven" || client_auth == "RequireAndVerifyClientCert";
  if (verify && client_ca.empty()) node.Fail("client_ca_file", "required with client_auth_type " + client_auth);
  if (!client_ca.empty()) {
    ctx->load_verify_file(client_ca, ec);
    if (ec) node.Fail("client_ca_file", "cannot load \"" + client_ca + "\": " + ec.message());
  }
  if (client_auth == "NoClientCert") {
    ctx->set_verify_mode(ssl::verify_none);
  } else if (client_auth == "RequestClientCert" || client_auth == "RequireAnyClientCert") {
    // Any certificate will do: exporter-toolkit does not verify these either.
    ctx->set_verify_mode(ssl::verify_peer |
                         (client_auth == "RequireAnyClientCert" ? ssl::verify_fail_if_no_peer_cert : 0));
    ctx->set_verify_callback([](bool, ssl::verify_context&) { return true; });
  } else if (verify) {
    ctx->set_verify_mode(ssl::verify_peer |
                         (client_auth == "RequireAndVerifyClientCert" ? ssl::verify_fail_if_no_peer_cert : 0));
  } else {
    node.Fail("client_auth_type", "\"" + client_auth +
                                      "\" is not one of NoClientCert, RequestClientCert, RequireAnyClientCert, "
                                      "VerifyClientCertIfGiven, RequireAndVerifyClientCert");
  }
  return ctx;
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

std::string Base64Decode(std::string_view in) {
  std::string out(in.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0 || in.size() % 4 != 0) return {};
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the '=' padding as zero bytes.
  for (std::size_t i = in.size(); i > 0 && in[i - 1] == '=' && len > 0; --i) --len;
  out.resize(len);
  return out;
}

bool BcryptMatches(const std::string& password, const std::string& hash) {
  crypt_data data{};
  const char* out = crypt_r(password.c_str(), hash.c_str(), &data);
  return out != nullptr && std::strlen(out) == hash.size() && CRYPTO_memcmp(out, hash.data(), hash.size()) == 0;
}

}  // namespace

WebConfig LoadWebConfig(const std::string& path) {
  std::string error;
  std::optional<std::string> text = ReadFile(path, &error);
  if (!text) throw ConfigError(path + ": cannot read web config file: " + error);
  return ParseWebConfig(*text, path);
}

WebConfig ParseWebConfig(const std::string& yaml_text, const std::string& path) {
  YAML::Node doc = ParseYaml(yaml_text, path);
  WebConfig config;
  if (!doc.IsDefined() || doc.IsNull()) return config;
  ConfigNode root(doc, path, "");
  if (!doc.IsMap()) root.Fail("", "the top level must be a mapping");
  if (root.Has("tls_server_config")) {
    ConfigNode tls = root.Child("tls_server_config");
    config.tls = ReadTls(tls);
  }
  ConfigNode server = root.Child("http_server_config");
  server.Bool("http2", true);  // accepted for compatibility; HTTP/1.1 is all we speak
  config.headers = server.StringMap("headers");
  config.basic_auth_users = root.StringMap("basic_auth_users");
  root.RejectUnknownKeys();
  ConfigNode users(doc["basic_auth_users"], path, "basic_auth_users");
  for (const auto& [user, hash] : config.basic_auth_users) {
    if (user.empty() || user.find(':') != std::string::npos)
      users.Fail(user, "a user name must be non-empty and without ':'");
    if (!IsBcrypt(hash)) users.Fail(user, "must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters)");
  }
  return config;
}

BasicAuth::BasicAuth(std::vector<std::pair<std::string, std::string>> users) : users_(std::move(users)) {}

bool BasicAuth::Check(std::string_view authorization) {
  constexpr std::string_view kScheme = "Basic ";
  if (authorization.size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), authorization.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return false;
  }
  const std::string decoded = Base64Decode(authorization.substr(kScheme.size()));
  const auto colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  const std::string user = decoded.substr(0, colon), password = decoded.substr(colon + 1);

  // An unknown user costs a bcrypt check too, so timing does not tell which
  // user names exist.
  static const std::string kDummy = "$2b$10$abcdefghijklmnopqrstuu4T826PRnz0Hu6YlprUuxkZxOOj5Fw5S";
  const std::string* hash = &kDummy;
  for (const auto& [name, h] : users_) {
    if (name == user) hash = &h;
  }
  const std::string key = Sha256(*hash + '\0' + user + '\0' + password);
  {
    std::lock_guard lock(mu_);
    if (verified_.contains(key)) return true;
  }
  if (!BcryptMatches(password, *hash) || hash == &kDummy) return false;
  std::lock_guard lock(mu_);
  if (verified_.size() >= 1024) verified_.clear();  // bounded: a flood of good logins cannot grow it
  verified_.insert(key);
  return true;
}

}  // namespace cc::http
