// The real exporter under a low open-file limit (set with the shell's ulimit
// before exec, as systemd's LimitNOFILE= would): the soft limit is raised to
// the hard one, and hundreds of idle keep-alive connections do not keep
// /metrics from answering. (Running out of descriptors altogether is not
// driven here: under the sanitizers of the test build, UBSan's memory probe
// needs a pipe and aborts the process the first time it finds none.)

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/harness.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;

// A blocking keep-alive connection with 10 s receive timeouts (a guard
// against hangs only).
class KeepAlive {
 public:
  explicit KeepAlive(const std::string& host_port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(std::stoi(host_port.substr(host_port.rfind(':') + 1))));
    inet_pton(AF_INET, host_port.substr(0, host_port.rfind(':')).c_str(), &addr.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~KeepAlive() { close(fd_); }
  KeepAlive(const KeepAlive&) = delete;
  KeepAlive& operator=(const KeepAlive&) = delete;

  // One GET /-/healthy; true when it was answered 200 on this connection.
  bool Healthy() {
    const std::string req = "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n";
    if (!connected_ || send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
      return false;
    }
    std::string got;
    char buf[1024];
    while (got.find("Healthy.\n") == std::string::npos) {
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return false;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got.starts_with("HTTP/1.1 200 ");
  }

  // True when the server closed the connection (end of stream or reset).
  bool ClosedByServer() {
    char buf[64];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

class ListenerLimits : public ::testing::Test {
 protected:
  // Starts the exporter (no targets) with soft and hard RLIMIT_NOFILE set.
  void Start(int soft, int hard, std::vector<std::string> flags = {}) {
    const std::string config = dir_.Write("config.yaml", "targets: []\n");
    std::vector<std::string> args{
        "-c",
        "ulimit -Sn " + std::to_string(soft) + " && ulimit -Hn " + std::to_string(hard) + " && exec \"$0\" \"$@\"",
        ExporterBinary(),
        "--config.file",
        config,
        "--web.listen-address",
        "127.0.0.1:0"};
    args.insert(args.end(), flags.begin(), flags.end());
    exporter_ = std::make_unique<Process>("/bin/sh", args, dir_.path() + "/exporter.log");
    auto line = exporter_->WaitForLine("msg=listening address=", 20s);
    ASSERT_TRUE(line) << exporter_->Log();
    addr_ = AddressAfter(*line, "address=");
  }

  // The "Max open files" line of /proc/PID/limits.
  std::string MaxOpenFiles() const {
    std::ifstream in("/proc/" + std::to_string(exporter_->pid()) + "/limits");
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("Max open files")) {
        std::istringstream fields(line.substr(std::string("Max open files").size()));
        std::string soft, hard;
        fields >> soft >> hard;
        return soft + " " + hard;
      }
    }
    return "";
  }

  // Opens `n` connections, each answered once and then left idle.
  int OpenIdle(std::vector<std::unique_ptr<KeepAlive>>& conns, int n) {
    int answered = 0;
    for (int i = 0; i < n; ++i) {
      conns.push_back(std::make_unique<KeepAlive>(addr_));
      if (conns.back()->Healthy()) ++answered;
    }
    return answered;
  }

  int LogLines(const std::string& needle) const {
    std::istringstream in(exporter_->Log());
    int n = 0;
    for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
    return n;
  }

  TempDir dir_;
  std::unique_ptr<Process> exporter_;
  std::string addr_;
};

// systemd's situation in small: soft 80, hard 160. The exporter raises soft
// to 160, keeps at most 160 - 64 = 96 connections, and each new connection past
// that closes the oldest idle one, so all 300 and then a scrape are answered
// without the process ever running out of descriptors.
TEST_F(ListenerLimits, SoftLimitIsRaisedAndIdleConnectionsMakeRoomForScrapes) {
  Start(80, 160);
  EXPECT_EQ(MaxOpenFiles(), "160 160");
  auto limit = exporter_->WaitForLine("msg=\"open file limit\"", 5s);
  ASSERT_TRUE(limit);
  EXPECT_NE(limit->find("soft=160 hard=160 raised_from=80 max_connections=96"), std::string::npos) << *limit;

  std::vector<std::unique_ptr<KeepAlive>> conns;
  EXPECT_EQ(OpenIdle(conns, 300), 300);
  auto metrics = Get(addr_, "/metrics");
  EXPECT_EQ(metrics.status, 200) << metrics.error;
  EXPECT_TRUE(ParseExposition(metrics.body).Value("callcenter_exporter_build_info", {}).has_value());
  EXPECT_TRUE(conns.front()->ClosedByServer());  // the oldest made room
  EXPECT_TRUE(conns.back()->Healthy());          // the newest is still open
  EXPECT_EQ(LogLines("accept failed"), 0) << exporter_->Log();
}

}  // namespace
}  // namespace cc::test
