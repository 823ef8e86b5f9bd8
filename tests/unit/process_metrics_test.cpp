#include "core/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fcntl.h>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "tests/unit/support/text.h"

namespace cc {
namespace {

// A /proc/<pid>/stat line as Linux 6.1 writes it, with a command name holding a space and
// a parenthesis (what a plain split on spaces gets wrong).
constexpr std::string_view kStat =
    "4242 (cc exp) (x)) S 1 4242 4242 0 -1 4194560 2311 0 0 0 150 75 0 0 20 0 3 0 123456 "
    "268435456 2048 18446744073709551615 1 1 0 0 0 0 0 4096 17415 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessMetrics, StatFieldsInTheirUnits) {
  auto s = ParseProcStat(kStat, 100, 4096, 1'700'000'000);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 2.25);                            // (150 + 75) ticks / 100
  EXPECT_DOUBLE_EQ(s->start_time_seconds, 1'700'000'000 + 1234.56);  // btime + 123456 / 100
  EXPECT_DOUBLE_EQ(s->virtual_bytes, 268435456);
  EXPECT_DOUBLE_EQ(s->resident_bytes, 2048.0 * 4096);
}

TEST(ProcessMetrics, StatWithoutItsFieldsIsAnError) {
  EXPECT_FALSE(ParseProcStat("", 100, 4096, 0).ok());
  EXPECT_FALSE(ParseProcStat("4242 (cc) S 1 2 3", 100, 4096, 0).ok());
  EXPECT_FALSE(ParseProcStat("4242 cc S 1 4242 4242 0 -1 4194560 2311 0 0 0 150 75", 100, 4096, 0).ok());
  std::string garbled(kStat);
  garbled.replace(garbled.find(" 150 "), 5, " 1x0 ");
  EXPECT_FALSE(ParseProcStat(garbled, 100, 4096, 0).ok());
}

TEST(ProcessMetrics, BootTimeIsTheBtimeLine) {
  EXPECT_EQ(ParseBootTime("cpu  1 2 3\nintr 5\nbtime 1764540000\nprocesses 9\n"), 1764540000.0);
  EXPECT_EQ(ParseBootTime("cpu  1 2 3\n"), std::nullopt);
}

// This process's own figures, checked against what the system says in other ways.
TEST(ProcessMetrics, ThisProcessIsSane) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  auto before = ReadProcessStats();
  ASSERT_TRUE(before.ok()) << before.error().message;
  const int extra = open("/dev/null", O_RDONLY);
  ASSERT_GE(extra, 0);
  auto after = ReadProcessStats();
  close(extra);
  ASSERT_TRUE(after.ok());
  ASSERT_TRUE(before->open_fds && after->open_fds);
  EXPECT_EQ(*after->open_fds, *before->open_fds + 1);
  // What a listing of /proc/self/fd shows, but for the listing's own descriptor (newer
  // kernels give the count without a listing, older ones need one).
  const auto listed = std::distance(std::filesystem::directory_iterator("/proc/self/fd"), {});
  EXPECT_EQ(CountOpenFds(), static_cast<double>(listed - 1));
  if (limit.rlim_cur != RLIM_INFINITY) {
    EXPECT_EQ(after->max_fds, static_cast<double>(limit.rlim_cur));
  }
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(after->start_time_seconds, now + 1);
  EXPECT_GT(after->start_time_seconds, now - 3600);  // a test binary started within the hour
  EXPECT_GT(after->resident_bytes, 1 << 20);
  EXPECT_GE(after->virtual_bytes, after->resident_bytes);
  EXPECT_GE(after->cpu_seconds, before->cpu_seconds);
}

TEST(ProcessMetrics, WrittenWithTheStandardNamesAndTypes) {
  ProcessStats s;
  s.cpu_seconds = 2.25;
  s.resident_bytes = 8388608;
  s.virtual_bytes = 268435456;
  s.start_time_seconds = 1700001234.56;
  s.open_fds = 12;
  s.max_fds = 1024;
  std::string out;
  AppendProcessMetrics(out, s);
  EXPECT_TRUE(test::Contains(out, "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 2.25\n"));
  EXPECT_TRUE(test::Contains(out, "# TYPE process_open_fds gauge\nprocess_open_fds 12\n"));
  EXPECT_TRUE(test::Contains(out, "# TYPE process_max_fds gauge\nprocess_max_fds 1024\n"));
  EXPECT_TRUE(
      test::Contains(out, "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 8388608\n"));
  EXPECT_TRUE(
      test::Contains(out, "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes 268435456\n"));
  EXPECT_TRUE(
      test::Contains(out, "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 1700001234.56\n"));
  s.max_fds.reset();
  out.clear();
  AppendProcessMetrics(out, s);
  EXPECT_FALSE(test::Contains(out, "process_max_fds"));
}

}  // namespace
}  // namespace cc
