#include "tests/integration/harness.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

extern char** environ;

namespace cc::test {

namespace asio = boost::asio;
namespace beast = boost::beast;

Process::Process(const std::string& program, const std::vector<std::string>& args, const std::string& log_file)
    : log_file_(log_file) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ADD_FAILURE() << "cannot start " << program << ": " << std::strerror(rc);
    pid_ = -1;
  }
}

Process::~Process() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string Process::Log() const {
  std::ifstream in(log_file_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<std::string> Process::WaitForLine(const std::string& needle, std::chrono::milliseconds timeout) const {
  std::optional<std::string> found;
  WaitUntil(
      [&] {
        std::istringstream in(Log());
        for (std::string line; std::getline(in, line);) {
          if (line.find(needle) != std::string::npos) {
            found = line;
            return true;
          }
        }
        return false;
      },
      timeout);
  return found;
}

void Process::Signal(int sig) {
  if (pid_ > 0 && !exited_) kill(pid_, sig);
}

std::optional<int> Process::Wait(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  bool done =
      WaitUntil([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, timeout, std::chrono::milliseconds(20));
  if (!done) return std::nullopt;
  exited_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

HttpResult Http(const std::string& method, const std::string& host_port, const std::string& target,
                const std::map<std::string, std::string>& headers, const std::string& body,
                std::chrono::milliseconds timeout) {
  HttpResult result;
  try {
    auto colon = host_port.rfind(':');
    asio::io_context ioc;
    asio::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout);
    stream.connect(resolver.resolve(host_port.substr(0, colon), host_port.substr(colon + 1)));
    beast::http::request<beast::http::string_body> req{beast::http::string_to_verb(method), target, 11};
    req.set(beast::http::field::host, host_port);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    beast::http::write(stream, req);
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(256ull << 20);
    beast::http::read(stream, buffer, parser);
    auto res = parser.release();
    result.status = static_cast<int>(res.result_int());
    result.body = std::move(res.body());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      result.headers[name] = std::string(f.value());
    }
    beast::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  } catch (const std::exception& e) {
    result.status = 0;
    result.error = e.what();
  }
  return result;
}

std::map<std::string, std::string> ParseLabels(const std::string& key) {
  std::map<std::string, std::string> labels;
  auto open = key.find('{');
  if (open == std::string::npos) return labels;
  std::size_t i = open + 1;
  while (i < key.size() && key[i] != '}') {
    auto eq = key.find('=', i);
    std::string name = key.substr(i, eq - i);
    std::string value;
    i = eq + 2;  // skip ="
    while (i < key.size() && key[i] != '"') {
      if (key[i] == '\\' && i + 1 < key.size()) {
        char n = key[++i];
        value += n == 'n' ? '\n' : n;
      } else {
        value += key[i];
      }
      ++i;
    }
    ++i;  // closing quote
    if (i < key.size() && key[i] == ',') ++i;
    labels[name] = value;
  }
  return labels;
}

Exposition ParseExposition(const std::string& text) {
  Exposition e;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line.starts_with("# HELP ")) {
      auto rest = line.substr(7);
      auto sp = rest.find(' ');
      e.help[rest.substr(0, sp)] = sp == std::string::npos ? "" : rest.substr(sp + 1);
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      auto rest = line.substr(7);
      auto sp = rest.find(' ');
      e.type[rest.substr(0, sp)] = rest.substr(sp + 1);
      continue;
    }
    if (line[0] == '#') continue;
    auto sp = line.rfind(' ');
    std::string value = line.substr(sp + 1);
    double v = value == "+Inf"   ? INFINITY
               : value == "-Inf" ? -INFINITY
               : value == "NaN"  ? NAN
                                 : std::strtod(value.c_str(), nullptr);
    e.series[line.substr(0, sp)] = v;
  }
  return e;
}

namespace {
bool Matches(const std::string& key, const std::string& name, const std::map<std::string, std::string>& labels) {
  if (key.compare(0, name.size(), name) != 0) return false;
  if (key.size() > name.size() && key[name.size()] != '{') return false;
  auto have = ParseLabels(key);
  for (const auto& [k, v] : labels) {
    auto it = have.find(k);
    if (it == have.end() || it->second != v) return false;
  }
  return true;
}
}  // namespace

std::optional<double> Exposition::Value(const std::string& name,
                                        const std::map<std::string, std::string>& labels) const {
  std::optional<double> found;
  for (const auto& [key, v] : series) {
    if (!Matches(key, name, labels)) continue;
    EXPECT_FALSE(found.has_value()) << "several series match " << name;
    found = v;
  }
  return found;
}

std::size_t Exposition::Count(const std::string& name, const std::map<std::string, std::string>& labels) const {
  std::size_t n = 0;
  for (const auto& [key, v] : series) n += Matches(key, name, labels);
  return n;
}

bool WaitUntil(const std::function<bool()>& predicate, std::chrono::milliseconds timeout,
               std::chrono::milliseconds step) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (predicate()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(step);
  }
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "cc_test_XXXXXX").string();
  path_ = mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::string p = path_ + "/" + name;
  std::ofstream(p) << content;
  return p;
}

std::string AddressAfter(const std::string& line, const std::string& marker) {
  std::string addr = line.substr(line.find(marker) + marker.size());
  while (!addr.empty() && std::isspace(static_cast<unsigned char>(addr.back()))) addr.pop_back();
  return addr;
}

int FreePort() {
  asio::io_context ioc;
  asio::ip::tcp::acceptor acceptor(ioc, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

std::string ExporterBinary() { return CC_EXPORTER_BINARY; }
std::string SimulatorBinary() { return CC_SIM_BINARY; }

}  // namespace cc::test
