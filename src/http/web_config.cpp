#include "http/web_config.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>

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

bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

// RFC 9110 §5.6.2 tchar.
bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Headers go into every response as written: a CR or LF would split one into
// two (RFC 9110 §5.5 allows no control character but HTAB in a value).
void CheckHeaders(const ConfigNode& node, const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar))
      node.Fail(name, "a header name must be an RFC 9110 token (letters, digits, !#$%&'*+-.^_`|~)");
    if (std::any_of(value.begin(), value.end(), [](char c) { return c != '\t' && IsControl(c); }))
      node.Fail(name, "a header value must not contain CR, LF, NUL or other control characters");
  }
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
  if (!config.headers.empty()) {
    CheckHeaders(ConfigNode(doc["http_server_config"]["headers"], path, "http_server_config.headers"), config.headers);
  }
  ConfigNode users(doc["basic_auth_users"], path, "basic_auth_users");
  for (const auto& [user, hash] : config.basic_auth_users) {
    if (user.empty() || user.find(':') != std::string::npos || std::any_of(user.begin(), user.end(), IsControl))
      users.Fail(user, "a user name must be non-empty, without ':' or control characters");
    if (!IsBcrypt(hash)) users.Fail(user, "must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters)");
  }
  return config;
}

}  // namespace cc::http
