#pragma once
// Helpers for tests that run the real programs: child processes, a blocking
// HTTP client, a parser for the exposition text format, and waiting.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cc::test {

// A child process with stdout and stderr captured (merged into one log file
// that tests can scan for a line).
class Process {
 public:
  Process(const std::string& program, const std::vector<std::string>& args, const std::string& log_file);
  ~Process();  // SIGKILL if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Waits until the log contains `needle`; returns the first full line containing it.
  std::optional<std::string> WaitForLine(const std::string& needle, std::chrono::milliseconds timeout) const;
  std::string Log() const;
  void Signal(int sig);
  // Waits for exit; returns the exit status or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string log_file_;
  bool exited_ = false;
};

struct HttpResult {
  int status = 0;  // 0: transport error
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string error;
};

// Blocking HTTP/1.1 request to "host:port" with a timeout; never throws.
HttpResult Http(const std::string& method, const std::string& host_port, const std::string& target,
                const std::map<std::string, std::string>& headers = {}, const std::string& body = "",
                std::chrono::milliseconds timeout = std::chrono::seconds(10));
inline HttpResult Get(const std::string& host_port, const std::string& target) {
  return Http("GET", host_port, target);
}
inline HttpResult Post(const std::string& host_port, const std::string& target) {
  return Http("POST", host_port, target);
}

// Exposition text as series → value. Keys are the series as written, e.g.
// `callcenter_up{target="a",collector="queueinfo"}`; label order as rendered.
struct Exposition {
  std::map<std::string, double> series;
  std::map<std::string, std::string> help;  // family → HELP text
  std::map<std::string, std::string> type;  // family → TYPE

  // The value of the series of `name` whose labels include all of `labels`;
  // nullopt if none, fails the test if several match.
  std::optional<double> Value(const std::string& name, const std::map<std::string, std::string>& labels) const;
  // Number of series of `name` whose labels include all of `labels`.
  std::size_t Count(const std::string& name, const std::map<std::string, std::string>& labels = {}) const;
};
Exposition ParseExposition(const std::string& text);
std::map<std::string, std::string> ParseLabels(const std::string& series_key);

// What follows `marker` on a log line, trailing space removed: the address in
// "msg=listening scheme=http address=127.0.0.1:41081".
std::string AddressAfter(const std::string& line, const std::string& marker);

bool WaitUntil(const std::function<bool()>& predicate, std::chrono::milliseconds timeout,
               std::chrono::milliseconds step = std::chrono::milliseconds(50));

// A fresh directory under $TMPDIR, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (for programs that
// cannot report the port they bound).
int FreePort();

// Path of a program built by this tree (set by CMake).
std::string ExporterBinary();
std::string SimulatorBinary();

}  // namespace cc::test
