#pragma once
// --web.config.file: the exporter-toolkit web configuration that Prometheus'
// own exporters read (TLS for the listeners, bcrypt basic auth, extra
// response headers), so one file format serves the whole fleet.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/ssl/context.hpp>

namespace cc::http {

struct WebConfig {
  std::shared_ptr<boost::asio::ssl::context> tls;                     // null: plain HTTP
  std::vector<std::pair<std::string, std::string>> basic_auth_users;  // user → bcrypt hash
  std::vector<std::pair<std::string, std::string>> headers;           // added to every response
};

// Reads and validates the file: certificates and keys are loaded now, so a
// mistake fails at start-up. Throws ConfigError "FILE:LINE: key: message".
// A header name must be an RFC 9110 §5.6.2 token and a value must hold no
// control character but HTAB (§5.5): a CR or LF would end the header and
// start another one in every response. Basic auth: see http/basic_auth.h.
WebConfig LoadWebConfig(const std::string& path);
// The same from the file's text; relative certificate paths are resolved
// against the directory of `path`, which names the file in errors.
WebConfig ParseWebConfig(const std::string& yaml_text, const std::string& path);

}  // namespace cc::http
