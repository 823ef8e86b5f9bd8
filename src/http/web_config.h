#pragma once
// --web.config.file: the exporter-toolkit web configuration that Prometheus'
// own exporters read (TLS for the listeners, bcrypt basic auth, extra
// response headers), so one file format serves the whole fleet.

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
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
WebConfig LoadWebConfig(const std::string& path);
// The same from the file's text; relative certificate paths are resolved
// against the directory of `path`, which names the file in errors.
WebConfig ParseWebConfig(const std::string& yaml_text, const std::string& path);

// Checks `Authorization: Basic …` against bcrypt hashes. A bcrypt check costs
// tens of milliseconds by design, so good credentials are remembered (as a
// digest, never in clear) and a scrape every 15 s pays once.
//
// Thread safety: Check may be called from any thread.
class BasicAuth {
 public:
  explicit BasicAuth(std::vector<std::pair<std::string, std::string>> users);
  // The value of the Authorization header; false for anything but valid
  // credentials of a configured user.
  bool Check(std::string_view authorization);

 private:
  std::vector<std::pair<std::string, std::string>> users_;
  std::mutex mu_;
  std::set<std::string> verified_;  // SHA-256 of hash, user and password
};

}  // namespace cc::http
