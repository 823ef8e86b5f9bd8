// The exporter's own HTTP side as a real process: requests counted by handler
// and code once answered, --web.max-requests refusing scrapes past the
// limit while a slow reader holds a slot (health checks still answered), and
// gzip scrapes that read back as the plain ones.

#include <stdio.h>
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "tests/integration/sim_exporter.h"

namespace cc::test {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

class HttpSide : public SimExporterTest {
 protected:
  std::string MixcallTarget() const {
    return "  - name: hq\n    vendor: mixcall\n    url: http://" + sim_addr_ + "/admin/\n";
  }
  // The value of a series of the exporter's /metrics, -1 when absent.
  double Value(const std::string& name, const std::map<std::string, std::string>& labels) {
    return Scrape().Value(name, labels).value_or(-1);
  }
};

TEST_F(HttpSide, RequestsAreCountedByHandlerAndCode) {
  StartSim({"--queues", "2", "--agents", "2"});
  StartExporter(MixcallTarget());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Get(addr_, "/-/healthy").status, 200);
  ASSERT_EQ(Post(addr_, "/-/healthy").status, 405);
  ASSERT_EQ(Get(addr_, "/no/such/page").status, 404);
  ASSERT_EQ(Get(addr_, "/favicon.ico").status, 404);
  ASSERT_EQ(Get(addr_, "/probe?target=nobody").status, 404);
  ASSERT_EQ(Get(addr_, "/probe?target=hq").status, 200);

  // A request is counted once its answer is written, a moment after the client has it:
  // wait for a scrape that is the only one in flight, so every request before it counts,
  // an earlier scrape among them.
  const std::string requests = "callcenter_exporter_http_requests_total";
  Exposition m;
  ASSERT_TRUE(WaitUntil(
      [&] {
        m = Scrape();
        return m.Value(requests, {{"handler", "/probe"}, {"code", "200"}}) == 1 &&
               m.Value("callcenter_exporter_scrapes_in_flight", {}) == 1 &&
               m.Value(requests, {{"handler", "/metrics"}, {"code", "200"}}).value_or(0) >= 1;
      },
      10s));
  EXPECT_EQ(m.Value(requests, {{"handler", "/-/healthy"}, {"code", "200"}}), 3);
  EXPECT_EQ(m.Value(requests, {{"handler", "/-/healthy"}, {"code", "405"}}), 1);
  EXPECT_EQ(m.Value(requests, {{"handler", "other"}, {"code", "404"}}), 2) << "paths are not labels";
  EXPECT_EQ(m.Value(requests, {{"handler", "/probe"}, {"code", "404"}}), 1);
  EXPECT_EQ(m.Count(requests, {{"handler", "/no/such/page"}}), 0u);
  const std::string duration = "callcenter_exporter_http_request_duration_seconds";
  EXPECT_EQ(m.type.at(duration), "histogram");
  EXPECT_EQ(m.Value(duration + "_count", {{"handler", "/-/healthy"}}), 4);
  EXPECT_EQ(m.Value(duration + "_bucket", {{"handler", "/-/healthy"}, {"le", "+Inf"}}), 4);
  EXPECT_EQ(m.Value(duration + "_count", {{"handler", "other"}}), 2);
  EXPECT_EQ(m.Value("callcenter_exporter_scrapes_max_in_flight", {}), 40) << "the default --web.max-requests";
  // /probe is about its target: none of the exporter's own HTTP series there.
  auto probe = Get(addr_, "/probe?target=hq");
  EXPECT_EQ(probe.body.find("callcenter_exporter_http_"), std::string::npos);
}

// A scraper that sends its request and reads nothing, with a receive window of
// a few KiB: the exporter's write of a large /metrics cannot finish, so the
// scrape stays in flight until the connection goes.
class SlowReader {
 public:
  explicit SlowReader(const std::string& host_port) : socket_(ioc_) {
    const auto colon = host_port.rfind(':');
    asio::ip::tcp::resolver resolver(ioc_);
    const auto endpoints = resolver.resolve(host_port.substr(0, colon), host_port.substr(colon + 1));
    socket_.open(endpoints.begin()->endpoint().protocol());
    socket_.set_option(asio::socket_base::receive_buffer_size(4096));
    socket_.connect(*endpoints.begin());
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: " + host_port + "\r\n\r\n";
    asio::write(socket_, asio::buffer(request));
  }
  void Close() { socket_.close(); }

 private:
  asio::io_context ioc_;
  asio::ip::tcp::socket socket_;
};

TEST_F(HttpSide, ScrapesPastMaxRequestsGet503WhileHealthChecksPass) {
  // 7,000 agents: a /metrics of over 4 MiB, more than the exporter's socket
  // buffer can take (Linux's tcp_wmem maximum, 4 MiB by default).
  StartSim({"--queues", "70", "--agents", "100", "--warmup-s", "0"});
  StartExporter(MixcallTarget(), {"--web.max-requests", "1"});
  const auto first = Get(addr_, "/metrics");
  ASSERT_EQ(first.status, 200);
  ASSERT_GT(first.body.size(), 4u << 20) << "the test needs a /metrics larger than the socket buffers";

  SlowReader slow(addr_);
  HttpResult refused;
  ASSERT_TRUE(WaitUntil([&] { return (refused = Get(addr_, "/metrics")).status == 503; }, 20s))
      << "last status " << refused.status;
  EXPECT_NE(refused.body.find("--web.max-requests"), std::string::npos) << refused.body;
  EXPECT_EQ(Get(addr_, "/probe?target=hq").status, 503) << "/probe is a scrape too";
  EXPECT_EQ(Get(addr_, "/-/healthy").status, 200);
  EXPECT_EQ(Get(addr_, "/-/ready").status, 200);

  slow.Close();  // the write fails, the slot is free again
  HttpResult again;
  ASSERT_TRUE(WaitUntil([&] { return (again = Get(addr_, "/metrics")).status == 200; }, 20s)) << again.status;
  const Exposition m = ParseExposition(again.body);
  EXPECT_GE(m.Value("callcenter_exporter_http_requests_total", {{"handler", "/metrics"}, {"code", "503"}}).value_or(0),
            1);
  EXPECT_EQ(m.Value("callcenter_exporter_scrapes_max_in_flight", {}), 1);
}

// What Debian's gzip program makes of `member` (`gzip -dc`, which also checks the
// trailer's CRC-32 and length); empty and a test failure if it refuses it.
std::string Gunzip(const TempDir& dir, const std::string& member) {
  const std::string path = dir.Write("scrape.gz", member);
  FILE* pipe = popen(("gzip -dc " + path).c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen gzip";
    return "";
  }
  std::string out;
  char buf[65536];
  for (std::size_t n; (n = fread(buf, 1, sizeof(buf), pipe)) > 0;) out.append(buf, n);
  const int status = pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "gzip -dc exit status " << status;
  return out;
}

// Without the exporter's own HTTP and process series, which change with every scrape.
std::string WithoutSelfSeries(const std::string& text) {
  std::string kept;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string::npos ? text.size() : end + 1;
    const std::string_view line(text.data() + pos, end - pos);
    std::string_view name = line;
    if (name.starts_with("# HELP ") || name.starts_with("# TYPE ")) name.remove_prefix(7);
    const bool self = name.starts_with("callcenter_exporter_http_") ||
                      name.starts_with("callcenter_exporter_scrapes_") || name.starts_with("process_");
    if (!self) kept += line;
    pos = end;
  }
  return kept;
}

TEST_F(HttpSide, GzipScrapeInflatesToThePlainScrapeOfTheSamePoll) {
  // 7,000 agents: ~4 MiB of text whose families are kept deflated, and the exporter's
  // own series, deflated per scrape. Polls 10 s apart.
  StartSim({"--queues", "70", "--agents", "100", "--warmup-s", "0"});
  StartExporter("  - {name: hq, vendor: mixcall, url: 'http://" + sim_addr_ + "/admin/', poll_interval: 10s}\n");
  for (const std::string path : {"/metrics", "/probe?target=hq"}) {
    HttpResult before, gz, after;
    // The same poll: the plain scrapes before and after the gzip one have the same series.
    ASSERT_TRUE(WaitUntil(
        [&] {
          before = Get(addr_, path);
          gz = Http("GET", addr_, path, {{"Accept-Encoding", "gzip"}});
          after = Get(addr_, path);
          return WithoutSelfSeries(before.body) == WithoutSelfSeries(after.body);
        },
        60s, 1s))
        << path;
    ASSERT_EQ(gz.status, 200) << path;
    EXPECT_EQ(gz.headers["content-encoding"], "gzip") << path;
    EXPECT_EQ(gz.headers["vary"], "Accept-Encoding") << path;
    EXPECT_LT(gz.body.size() * 8, before.body.size()) << path << ": the deflated pieces are used";
    const std::string inflated = Gunzip(dir_, gz.body);
    EXPECT_EQ(WithoutSelfSeries(inflated), WithoutSelfSeries(before.body)) << path;
    EXPECT_GT(ParseExposition(inflated).series.size(), 20000u) << path;
  }
}

}  // namespace
}  // namespace cc::test
