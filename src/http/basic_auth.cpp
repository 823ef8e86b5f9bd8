#include "http/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "http/basic_credentials.h"

namespace cc::http {
namespace {

namespace asio = boost::asio;

bool BcryptMatches(const std::string& password, const std::string& hash) {
  crypt_data data{};
  const char* out = crypt_r(password.c_str(), hash.c_str(), &data);
  return out != nullptr && std::strlen(out) == hash.size() && CRYPTO_memcmp(out, hash.data(), hash.size()) == 0;
}

// "$2y$10$…" → 10.
int BcryptCost(const std::string& hash) {
  if (hash.size() < 7 || hash[6] != '$') return 0;
  return (hash[4] - '0') * 10 + (hash[5] - '0');
}

// A bcrypt setting ("$2b$NN$" and a random salt) of `cost`: crypt_r with it
// does the full work of a real hash of that cost and never matches a stored one.
std::string DummySetting(int cost) {
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> out{};
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, out.data(), out.size()) == nullptr) {
    throw std::runtime_error("basic auth: cannot make a bcrypt salt of cost " + std::to_string(cost));
  }
  return out.data();
}

// A check runs at the lowest CPU priority there is, on this thread only: the
// SCHED_IDLE policy (sched(7); any thread may lower its own), so that under a
// flood the cores serve requests first and check passwords with what is left.
// nice +10 (setpriority(2) takes a thread id on Linux) stays as the fallback
// where the policy cannot be set, and orders the checks among other idle work.
void LowerThisThreadsPriority() {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  const id_t tid = static_cast<id_t>(gettid());
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, tid);
  if (errno == 0) setpriority(PRIO_PROCESS, tid, std::min(nice + BasicAuth::kVerifierNice, 19));
  const sched_param idle{};
  pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
}

std::string RandomKey() {
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("basic auth: no random bytes for the verdict cache key");
  }
  return key;
}

// User and password cannot hold NUL (ParseBasicAuthorization), so the
// separator keeps "a"+"b\0c" and "a\0b"+"c" apart.
std::string VerdictKey(const std::string& key, const Credentials& c) {
  const std::string data = c.user + '\0' + c.password;
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md.data(), &len);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

}  // namespace

std::size_t BasicAuth::DefaultThreads() { return std::max(1u, std::thread::hardware_concurrency() / 2); }

BasicAuth::BasicAuth(std::vector<std::pair<std::string, std::string>> users) : BasicAuth(std::move(users), Options{}) {}

BasicAuth::BasicAuth(std::vector<std::pair<std::string, std::string>> users, Options options)
    : users_(std::move(users)),
      options_(std::move(options)),
      hmac_key_(RandomKey()),
      pool_(std::max<std::size_t>(1, options_.threads)) {
  if (!options_.verify) options_.verify = BcryptMatches;
  for (const auto& [name, hash] : users_) dummy_cost_ = std::max(dummy_cost_, BcryptCost(hash));
  dummy_cost_ = std::clamp(dummy_cost_, 4, 31);
  dummy_setting_ = DummySetting(dummy_cost_);
}

BasicAuth::~BasicAuth() { Stop(); }

void BasicAuth::Stop() {
  stopped_ = true;
  pool_.join();
}

const std::string& BasicAuth::HashFor(const std::string& user) const {
  const std::string* hash = &dummy_setting_;
  for (const auto& [name, h] : users_) {
    if (name == user) hash = &h;
  }
  return *hash;
}

BasicAuth::Cached BasicAuth::Lookup(const std::string& key) {
  std::lock_guard lock(mu_);
  if (successes_.contains(key)) return Cached::success;
  if (failures_.contains(key)) return Cached::failure;
  return Cached::none;
}

void BasicAuth::Remember(const std::string& key, bool success) {
  std::lock_guard lock(mu_);
  auto& set = success ? successes_ : failures_;
  if (set.size() >= (success ? kMaxSuccesses : kMaxFailures)) set.clear();
  set.insert(key);
}

// A coroutine with parameters, not a capturing lambda: its arguments live in
// its own frame wherever it runs.
asio::awaitable<bool> BasicAuth::VerifyOnPool(std::string password, const std::string& hash) {
  LowerThisThreadsPriority();
  ++verifications_;
  co_return options_.verify(password, hash);
}

asio::awaitable<AuthVerdict> BasicAuth::Check(std::string authorization) {
  Result<Credentials> creds = ParseBasicAuthorization(authorization);
  if (!creds) {
    if (!authorization.empty()) log::Debug("basic auth refused", {{"err", creds.error().message}});
    co_return AuthVerdict::deny;
  }
  const std::string key = VerdictKey(hmac_key_, *creds);
  if (const Cached c = Lookup(key); c != Cached::none)
    co_return c == Cached::success ? AuthVerdict::allow : AuthVerdict::deny;

  if (stopped_) co_return AuthVerdict::busy;
  if (pending_.fetch_add(1) >= options_.max_pending) {
    pending_.fetch_sub(1);
    asio::steady_timer tarpit(co_await asio::this_coro::executor, options_.busy_delay);
    co_await tarpit.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return AuthVerdict::busy;
  }
  struct Release {
    std::atomic<std::size_t>& n;
    ~Release() { n.fetch_sub(1); }
  } release{pending_};
  const std::string& hash = HashFor(creds->user);
  const bool known = &hash != &dummy_setting_;
  const bool ok = co_await asio::co_spawn(pool_, VerifyOnPool(std::move(creds->password), hash), asio::use_awaitable);
  Remember(key, ok && known);
  co_return ok&& known ? AuthVerdict::allow : AuthVerdict::deny;
}

}  // namespace cc::http
