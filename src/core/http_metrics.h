#pragma once
// Metrics of the exporter's own HTTP side, after client_golang's promhttp
// instrumentation of its handler (promhttp_metric_handler_requests_total{code},
// promhttp_metric_handler_requests_in_flight), named under the exporter's prefix
// and split by handler:
//
//   callcenter_exporter_http_requests_total{handler,code}         counter
//   callcenter_exporter_http_request_duration_seconds{handler}    histogram, seconds
//   callcenter_exporter_scrapes_in_flight                         gauge
//   callcenter_exporter_scrapes_max_in_flight                     gauge (absent: no limit)
//
// A request is recorded when its response has been written (or its connection
// dropped), so the duration covers making and sending the answer, and a slow
// reader stays in flight. Requests the listener refuses before routing (bad
// framing, basic auth) are not counted, as promhttp does not see what its
// wrappers refuse.
//
// `handler` is one of the routes given at construction, or "other" for any other
// path, so that a client cannot make series by inventing paths; `code` is the
// status, three digits. Buckets: promhttp's defaults (DefBuckets), 5 ms to 10 s.
//
// Thread-safe: one mutex, held for a few additions per request. Tokens may
// outlive the HttpMetrics that made them (they share its counts).

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cc {

class HttpMetrics {
 public:
  using Clock = std::chrono::steady_clock;

  // `handlers`: the routes (exact paths); `max_scrapes`: scrapes served at once,
  // 0 = no limit (--web.max-requests, as node_exporter's flag).
  HttpMetrics(std::vector<std::string> handlers, std::size_t max_scrapes);

  // The handler label of a request path: the route itself, or "other".
  std::string_view HandlerOf(std::string_view path) const;

  // A scrape slot, or null past max_scrapes (the caller answers 503). The slot
  // counts in callcenter_exporter_scrapes_in_flight until destroyed.
  std::shared_ptr<void> TryStartScrape();

  // A token that records one request of `handler` answered with `code`, started
  // at `start`, when it is destroyed; it also keeps `scrape_slot` until then.
  std::shared_ptr<void> Track(std::string_view handler, unsigned code, Clock::time_point start,
                              std::shared_ptr<void> scrape_slot);

  // The families above with HELP and TYPE; handlers without requests yet have
  // no series.
  void Append(std::string& out) const;

 private:
  static constexpr std::array<double, 11> kBuckets{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
  struct PerHandler {
    std::map<unsigned, std::uint64_t> by_code;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative here
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Counts {
    std::mutex mu;
    std::map<std::string, PerHandler, std::less<>> per_handler;  // guarded by mu
    std::size_t scrapes_in_flight = 0;                           // guarded by mu
    void Record(const std::string& handler, unsigned code, double seconds);
  };

  const std::vector<std::string> handlers_;
  const std::size_t max_scrapes_;
  const std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
};

}  // namespace cc
