#include "core/http_metrics.h"

#include <algorithm>
#include <functional>

#include "core/text_format.h"
#include "model/snapshot.h"

namespace cc {
namespace {

constexpr MetricDef kRequests{"callcenter_exporter_http_requests_total",
                              "HTTP requests answered by the exporter, by handler and status code.",
                              MetricType::counter};
constexpr MetricDef kDuration{"callcenter_exporter_http_request_duration_seconds",
                              "Time from reading an HTTP request to having written its response, by handler.",
                              MetricType::histogram};
constexpr MetricDef kInFlight{"callcenter_exporter_scrapes_in_flight",
                              "Scrapes (/metrics and /probe) being answered or written now.", MetricType::gauge};
constexpr MetricDef kMaxInFlight{"callcenter_exporter_scrapes_max_in_flight",
                                 "Scrapes answered at once before 503 (--web.max-requests).", MetricType::gauge};

constexpr std::string_view kOther = "other";

std::string Number(double v) {
  std::string s;
  text_format::AppendValue(s, v);
  return s;
}

// Runs `done` once, when the token goes (made in place, never copied: a
// copy's destructor would run it twice).
class Token {
 public:
  explicit Token(std::function<void()> done) : done_(std::move(done)) {}
  Token(const Token&) = delete;
  Token& operator=(const Token&) = delete;
  ~Token() { done_(); }

 private:
  std::function<void()> done_;
};

}  // namespace

HttpMetrics::HttpMetrics(std::vector<std::string> handlers, std::size_t max_scrapes)
    : handlers_(std::move(handlers)), max_scrapes_(max_scrapes) {}

std::string_view HttpMetrics::HandlerOf(std::string_view path) const {
  auto it = std::find(handlers_.begin(), handlers_.end(), path);
  return it == handlers_.end() ? kOther : std::string_view(*it);
}

std::shared_ptr<void> HttpMetrics::TryStartScrape() {
  {
    std::lock_guard lock(counts_->mu);
    if (max_scrapes_ != 0 && counts_->scrapes_in_flight >= max_scrapes_) return nullptr;
    ++counts_->scrapes_in_flight;
  }
  return std::make_shared<Token>([counts = counts_] {
    std::lock_guard lock(counts->mu);
    --counts->scrapes_in_flight;
  });
}

std::shared_ptr<void> HttpMetrics::Track(std::string_view handler, unsigned code, Clock::time_point start,
                                         std::shared_ptr<void> scrape_slot) {
  return std::make_shared<Token>(
      [counts = counts_, handler = std::string(handler), code, start, slot = std::move(scrape_slot)]() mutable {
        counts->Record(handler, code, std::chrono::duration<double>(Clock::now() - start).count());
        slot.reset();
      });
}

void HttpMetrics::Counts::Record(const std::string& handler, unsigned code, double seconds) {
  std::lock_guard lock(mu);
  PerHandler& h = per_handler[handler];
  ++h.by_code[code];
  ++h.count;
  h.sum += seconds;
  // Le: a duration equal to a bound falls in that bucket (the bucket counts <= le).
  auto bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds);
  if (bucket != kBuckets.end()) ++h.buckets[static_cast<std::size_t>(bucket - kBuckets.begin())];
}

void HttpMetrics::Append(std::string& out) const {
  std::lock_guard lock(counts_->mu);
  const auto& per_handler = counts_->per_handler;
  const std::string requests(kRequests.name), duration(kDuration.name);
  if (!per_handler.empty()) {
    text_format::AppendHeader(out, kRequests);
    for (const auto& [handler, h] : per_handler) {
      for (const auto& [code, n] : h.by_code) {
        text_format::AppendSample(out, requests, {}, {{"handler", handler}, {"code", std::to_string(code)}},
                                  static_cast<double>(n));
      }
    }
    text_format::AppendHeader(out, kDuration);
    for (const auto& [handler, h] : per_handler) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.buckets[i];
        text_format::AppendSample(out, duration + "_bucket", {}, {{"handler", handler}, {"le", Number(kBuckets[i])}},
                                  static_cast<double>(cumulative));
      }
      text_format::AppendSample(out, duration + "_bucket", {}, {{"handler", handler}, {"le", "+Inf"}},
                                static_cast<double>(h.count));
      text_format::AppendSample(out, duration + "_sum", {}, {{"handler", handler}}, h.sum);
      text_format::AppendSample(out, duration + "_count", {}, {{"handler", handler}}, static_cast<double>(h.count));
    }
  }
  text_format::AppendHeader(out, kInFlight);
  text_format::AppendSample(out, kInFlight.name, {}, {}, static_cast<double>(counts_->scrapes_in_flight));
  if (max_scrapes_ != 0) {
    text_format::AppendHeader(out, kMaxInFlight);
    text_format::AppendSample(out, kMaxInFlight.name, {}, {}, static_cast<double>(max_scrapes_));
  }
}

}  // namespace cc
