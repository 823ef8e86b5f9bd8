// Basic auth: the Authorization header's parsing, bcrypt off the I/O
// threads with bounded concurrency, remembered verdicts, and the unknown-user
// check costed like the configured hashes.

#include "http/basic_auth.h"

#include <crypt.h>
#include <openssl/evp.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "http/basic_credentials.h"

namespace cc::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Users = std::vector<std::pair<std::string, std::string>>;

// crypt_blowfish's test vectors: "U*U" and "U*U*U" at cost 5.
constexpr const char* kHashUU = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
constexpr const char* kHashUUU = "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a";

// Base64 computed outside the code under test (Python's base64 module).
constexpr const char* kPrometheusUU = "Basic cHJvbWV0aGV1czpVKlU=";   // prometheus:U*U
constexpr const char* kPrometheusUUx = "Basic cHJvbWV0aGV1czpVKlUq";  // prometheus:U*U*
constexpr const char* kNobodyUU = "Basic bm9ib2R5OlUqVQ==";           // nobody:U*U
constexpr const char* kGrafanaUUU = "Basic Z3JhZmFuYTpVKlUqVQ==";     // grafana:U*U*U
constexpr const char* kNulThenX = "Basic cHJvbWV0aGV1czpVKlUAeA==";   // prometheus:U*U\0x
constexpr const char* kTrailingNul = "Basic cHJvbWV0aGV1czpVKlUA";    // prometheus:U*U\0
constexpr const char* kNulInUser = "Basic cHJvbWV0aGV1cwA6VSpV";      // prometheus\0:U*U

TEST(BasicCredentialsTest, SplitsUserAndPasswordAtTheFirstColon) {
  auto c = ParseBasicAuthorization(kPrometheusUU);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->user, "prometheus");
  EXPECT_EQ(c->password, "U*U");
  c = ParseBasicAuthorization("bAsIc   cHJvbWV0aGV1czpVKlU6eA==");  // scheme in any case, 1*SP; prometheus:U*U:x
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->password, "U*U:x");
  c = ParseBasicAuthorization("Basic OlUqVQ==");  // ":U*U"
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->user, "");
  c = ParseBasicAuthorization("Basic cHJvbWV0aGV1czo=");  // "prometheus:"
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->password, "");
}

TEST(BasicCredentialsTest, RefusesEveryMalformedValueWithoutEchoingIt) {
  const std::string too_long = "Basic " + std::string(kMaxAuthorizationBytes, 'A');
  for (const std::string& bad :
       std::vector<std::string>{"", "Basic", "Basic ", "Bearer cHJvbWV0aGV1czpVKlU=", "BasiccHJvbWV0aGV1czpVKlU=",
                                "Basic cHJvbWV0aGV1czpVKlU",     // padding missing
                                "Basic cHJvbWV0aGV1czpVKlU==",   // one '=' too many
                                "Basic cHJvbWV0aGV1cz=VKlU=",    // '=' inside
                                "Basic cHJv bWV0aGV1czpVKlU=",   // space inside
                                "Basic cHJvbWV0aGV1czpVKlU=\t",  // trailing byte
                                "Basic !!!!", "Basic ====",
                                "Basic cHJvbWV0aGV1cw==",  // "prometheus", no colon
                                kNulThenX, kTrailingNul, kNulInUser, too_long}) {
    auto c = ParseBasicAuthorization(bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.error().reason, Reason::auth);
    EXPECT_EQ(c.error().message.find("cHJv"), std::string::npos) << c.error().message;
  }
  EXPECT_NE(ParseBasicAuthorization(kNulThenX).error().message.find("NUL"), std::string::npos);
}

// Runs Check on an io_context thread and waits for its verdict.
class AuthRunner {
 public:
  AuthRunner() : thread_([this] { ioc_.run(); }) {}
  ~AuthRunner() {
    work_.reset();
    thread_.join();
  }
  std::future<AuthVerdict> Start(BasicAuth& auth, std::string header) {
    auto done = std::make_shared<std::promise<AuthVerdict>>();
    auto result = done->get_future();
    asio::co_spawn(ioc_, auth.Check(std::move(header)),
                   [done](std::exception_ptr, AuthVerdict v) { done->set_value(v); });
    return result;
  }
  AuthVerdict Run(BasicAuth& auth, std::string header) { return Start(auth, std::move(header)).get(); }
  std::thread::id id() const { return thread_.get_id(); }

 private:
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  std::thread thread_;
};

TEST(BasicAuthTest, AcceptsOnlyConfiguredUsersWithTheirPassword) {
  BasicAuth auth(Users{{"prometheus", kHashUU}, {"grafana", kHashUUU}});
  AuthRunner run;
  EXPECT_EQ(run.Run(auth, kPrometheusUU), AuthVerdict::allow);
  EXPECT_EQ(run.Run(auth, kPrometheusUU), AuthVerdict::allow);  // remembered
  EXPECT_EQ(run.Run(auth, kGrafanaUUU), AuthVerdict::allow);
  EXPECT_EQ(run.Run(auth, "basic cHJvbWV0aGV1czpVKlU="), AuthVerdict::allow);
  EXPECT_EQ(run.Run(auth, kPrometheusUUx), AuthVerdict::deny);
  EXPECT_EQ(run.Run(auth, kNobodyUU), AuthVerdict::deny);  // a configured password, an unknown user
  EXPECT_EQ(run.Run(auth, ""), AuthVerdict::deny);
  EXPECT_EQ(run.Run(auth, "Basic !!!!"), AuthVerdict::deny);
  auth.Stop();
}

TEST(BasicAuthTest, APasswordIsNotCutAtANulByte) {
  // crypt(3) takes a C string: "U*U\0x" would have verified as "U*U".
  BasicAuth auth(Users{{"prometheus", kHashUU}});
  AuthRunner run;
  EXPECT_EQ(run.Run(auth, kNulThenX), AuthVerdict::deny);
  EXPECT_EQ(run.Run(auth, kTrailingNul), AuthVerdict::deny);
  EXPECT_EQ(run.Run(auth, kNulInUser), AuthVerdict::deny);
  EXPECT_EQ(run.Run(auth, kPrometheusUU), AuthVerdict::allow);
  auth.Stop();
}

TEST(BasicAuthTest, RemembersFailuresAndSuccessesOfTheExactPassword) {
  BasicAuth auth(Users{{"prometheus", kHashUU}});
  AuthRunner run;
  EXPECT_EQ(run.Run(auth, kPrometheusUUx), AuthVerdict::deny);
  EXPECT_EQ(auth.verifications(), 1u);
  EXPECT_EQ(run.Run(auth, kPrometheusUUx), AuthVerdict::deny);  // a remembered failure: no bcrypt
  EXPECT_EQ(auth.verifications(), 1u);
  EXPECT_EQ(run.Run(auth, kPrometheusUU), AuthVerdict::allow);  // a remembered failure does not refuse the right one
  EXPECT_EQ(auth.verifications(), 2u);
  EXPECT_EQ(run.Run(auth, kPrometheusUU), AuthVerdict::allow);
  EXPECT_EQ(run.Run(auth, kPrometheusUUx), AuthVerdict::deny);  // nor a remembered success a wrong one
  EXPECT_EQ(run.Run(auth, kNobodyUU), AuthVerdict::deny);
  EXPECT_EQ(run.Run(auth, kNobodyUU), AuthVerdict::deny);
  EXPECT_EQ(auth.verifications(), 3u);
  auth.Stop();
}

TEST(BasicAuthTest, AFloodOfWrongPasswordsIsForgottenButNeverEvictsASuccess) {
  std::atomic<int> calls{0};
  BasicAuth::Options options;
  options.verify = [&](const std::string& password, const std::string&) {
    ++calls;
    return password == "U*U";
  };
  BasicAuth auth(Users{{"prometheus", kHashUU}}, options);
  AuthRunner run;
  EXPECT_EQ(run.Run(auth, kPrometheusUU), AuthVerdict::allow);
  EXPECT_EQ(run.Run(auth, kPrometheusUUx), AuthVerdict::deny);
  // "prometheus:wN" for N = 0 … kMaxFailures: one more distinct failure than is kept.
  for (std::size_t i = 0; i <= BasicAuth::kMaxFailures; ++i) {
    const std::string plain = "prometheus:w" + std::to_string(i);
    std::string b64(4 * ((plain.size() + 2) / 3) + 1, '\0');
    b64.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                                        reinterpret_cast<const unsigned char*>(plain.data()),
                                                        static_cast<int>(plain.size()))));
    ASSERT_EQ(run.Run(auth, "Basic " + b64), AuthVerdict::deny);
  }
  const int after_flood = calls.load();
  EXPECT_EQ(after_flood, 2 + static_cast<int>(BasicAuth::kMaxFailures) + 1);
  EXPECT_EQ(run.Run(auth, kPrometheusUU), AuthVerdict::allow);
  EXPECT_EQ(calls.load(), after_flood);  // the success is still remembered
  EXPECT_EQ(run.Run(auth, kPrometheusUUx), AuthVerdict::deny);
  EXPECT_EQ(calls.load(), after_flood + 1);  // the failures were forgotten: memory is bounded
  auth.Stop();
}

TEST(BasicAuthTest, TheUnknownUserCheckCostsWhatTheDearestConfiguredHashCosts) {
  crypt_data data{};
  // A cost-7 hash of "U*U", made here with libcrypt.
  const std::string hash7 = crypt_r("U*U", "$2b$07$abcdefghijklmnopqrstuu", &data);
  ASSERT_EQ(hash7.size(), 60u) << hash7;
  std::string seen;
  BasicAuth::Options options;
  options.verify = [&](const std::string& password, const std::string& hash) {
    seen = hash;
    crypt_data d{};
    const char* out = crypt_r(password.c_str(), hash.c_str(), &d);
    return out != nullptr && hash == out;
  };
  BasicAuth auth(Users{{"prometheus", kHashUU}, {"grafana", hash7}}, options);
  AuthRunner run;
  EXPECT_EQ(auth.dummy_cost(), 7);
  EXPECT_EQ(run.Run(auth, kNobodyUU), AuthVerdict::deny);
  ASSERT_EQ(seen.rfind("$2b$07$", 0), 0u) << seen;
  // The setting is a usable one: crypt does the whole cost-7 computation
  // (a malformed salt would fail at once with "*0").
  const char* out = crypt_r("U*U", seen.c_str(), &data);
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(std::strlen(out), 60u) << out;
  EXPECT_EQ(std::string(out).rfind("$2b$07$", 0), 0u) << out;

  BasicAuth cheap(Users{{"prometheus", kHashUU}});
  EXPECT_EQ(cheap.dummy_cost(), 5);
  cheap.Stop();
  auth.Stop();
}

TEST(BasicAuthTest, VerifiesOffTheCallersThreadAndAnswersBusyWhenSaturated) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0};
  std::atomic<bool> on_caller_thread{false};
  AuthRunner run;
  BasicAuth::Options options;
  options.threads = 1;
  options.max_pending = 2;
  options.busy_delay = 2s;
  std::atomic<int> verifier_nice{-100};
  std::atomic<int> verifier_policy{-1};
  errno = 0;
  const int caller_nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  ASSERT_EQ(errno, 0);
  options.verify = [&](const std::string& password, const std::string&) {
    if (std::this_thread::get_id() == run.id()) on_caller_thread = true;
    verifier_nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
    verifier_policy = sched_getscheduler(0);  // 0: this thread
    if (password != "U*U") {
      ++started;
      released.wait();  // a slow bcrypt, as long as the test wants
    }
    return password == "U*U";
  };
  BasicAuth auth(Users{{"prometheus", kHashUU}}, options);
  EXPECT_EQ(run.Run(auth, kPrometheusUU), AuthVerdict::allow);
  auto first = run.Start(auth, kPrometheusUUx);                     // running on the pool
  auto second = run.Start(auth, "Basic cHJvbWV0aGV1czpVKlU6eA==");  // queued
  for (int i = 0; i < 1000 && started.load() == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(started.load(), 1);
  // The pool is full: a new credential is turned away after busy_delay (a
  // timer never fires early), a remembered one goes straight through while it
  // waits, and the caller's thread is free for both.
  const auto refused_at = std::chrono::steady_clock::now();
  auto refused = run.Start(auth, kNobodyUU);
  EXPECT_EQ(run.Run(auth, kPrometheusUU), AuthVerdict::allow);
  EXPECT_EQ(refused.wait_for(0s), std::future_status::timeout) << "answered busy before busy_delay";
  EXPECT_EQ(refused.get(), AuthVerdict::busy);
  EXPECT_GE(std::chrono::steady_clock::now() - refused_at, options.busy_delay);
  release.set_value();
  EXPECT_EQ(first.get(), AuthVerdict::deny);
  EXPECT_EQ(second.get(), AuthVerdict::deny);
  EXPECT_FALSE(on_caller_thread.load());
  // The pool's threads yield the CPU to the I/O threads.
  EXPECT_EQ(verifier_nice.load(), std::min(caller_nice + BasicAuth::kVerifierNice, 19));
  EXPECT_EQ(verifier_policy.load(), SCHED_IDLE);
  EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER) << "the caller's thread keeps its policy";
  EXPECT_EQ(run.Run(auth, kNobodyUU), AuthVerdict::deny);  // room again
  auth.Stop();
  EXPECT_EQ(run.Run(auth, "Basic cHJvbWV0aGV1czpVKlU6eQ=="), AuthVerdict::busy);  // stopped
}

}  // namespace
}  // namespace cc::http
