// The physical limit of a scrape: a trivial HTTP/1.1 server that answers every
// request with the same bytes read from files at start, so that a client's time
// against it is what moving those bytes costs on this machine. The scale bench
// (bench/scale.sh) serves it an exporter's own /metrics body.
//
//   same_bytes_server PLAIN_FILE [GZIP_FILE]
//
// Listens on 127.0.0.1 at a free port and prints "listening address=127.0.0.1:PORT".
// A request whose Accept-Encoding names gzip gets GZIP_FILE's bytes (as they are, with
// Content-Encoding: gzip) when given. One thread per connection, keep-alive, the head and
// body written with one writev; no parsing beyond finding the end of the head.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path);
    std::exit(2);
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Head(std::size_t length, bool gzip) {
  std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n";
  if (gzip) head += "Content-Encoding: gzip\r\n";
  return head + "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

bool WantsGzip(std::string head) {
  std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto at = head.find("\naccept-encoding:");
  if (at == std::string::npos) return false;
  const auto end = head.find('\n', at + 1);
  return head.substr(at, end - at).find("gzip") != std::string::npos;
}

bool WriteAll(int fd, const std::string& head, const std::string& body) {
  iovec iov[2] = {{const_cast<char*>(head.data()), head.size()}, {const_cast<char*>(body.data()), body.size()}};
  std::size_t left = head.size() + body.size();
  int first = 0;
  while (left > 0) {
    const ssize_t n = writev(fd, iov + first, 2 - first);
    if (n <= 0) return false;
    left -= static_cast<std::size_t>(n);
    for (std::size_t done = static_cast<std::size_t>(n); done > 0 && first < 2;) {
      const std::size_t take = std::min(done, iov[first].iov_len);
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + take;
      iov[first].iov_len -= take;
      done -= take;
      if (iov[first].iov_len == 0) ++first;
    }
  }
  return true;
}

void Serve(int fd, const std::string& plain, const std::string& gzip) {
  const std::string plain_head = Head(plain.size(), false);
  const std::string gzip_head = Head(gzip.size(), true);
  std::string pending;
  char buf[16384];
  for (;;) {
    const auto end = pending.find("\r\n\r\n");
    if (end == std::string::npos) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      pending.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    const bool use_gzip = !gzip.empty() && WantsGzip(pending.substr(0, end));
    pending.erase(0, end + 4);
    if (!WriteAll(fd, use_gzip ? gzip_head : plain_head, use_gzip ? gzip : plain)) break;
  }
  close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: same_bytes_server PLAIN_FILE [GZIP_FILE]\n");
    return 2;
  }
  // A client that closes while its answer is being written (wrk at the end of each run)
  // must cost an EPIPE on that connection, not the whole server: SIGPIPE's default ends
  // the process, which is why scale.sh found this server gone now and then.
  std::signal(SIGPIPE, SIG_IGN);
  static const std::string plain = ReadFile(argv[1]);
  static const std::string gzip = argc == 3 ? ReadFile(argv[2]) : std::string();
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(listener, 128) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("listen");
    return 1;
  }
  std::printf("listening address=127.0.0.1:%u\n", ntohs(addr.sin_port));
  std::fflush(stdout);
  for (;;) {
    const int fd = accept(listener, nullptr, nullptr);
    if (fd < 0) continue;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread(Serve, fd, std::cref(plain), std::cref(gzip)).detach();
  }
}
