#include "collectors/mixcall/collector.h"

#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "collectors/mixcall/parse.h"
#include "common/log.h"
#include "config/config_node.h"

namespace cc::mixcall {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kCollector = "queueinfo";
constexpr std::size_t kMaxLoggedFields = 400;  // bytes of the skipped-field list in one log line

class QueueInfoCollector final : public Collector {
 public:
  explicit QueueInfoCollector(std::vector<std::string> queues) : queues_(std::move(queues)) {}

  std::string_view name() const override { return kCollector; }

  asio::awaitable<Result<Snapshot>> Poll(PollContext& ctx) override {
    // Without a filter one request returns every queue; with one, MixCall takes
    // a single `queue` per request. Sequential: the server answers each request
    // by running `queue show` on Asterisk, no point in loading it in parallel.
    static const std::vector<std::string> kAllQueues{""};
    const auto& requests = queues_.empty() ? kAllQueues : queues_;
    std::vector<Queue> queues;
    for (const std::string& queue : requests) {
      auto part = co_await Fetch(ctx, queue);
      if (!part) co_return part.error();
      std::move(part->begin(), part->end(), std::back_inserter(queues));
    }
    KeepQueues(queues, queues_);
    ReportInvalidFields(ctx, queues);
    co_return BuildSnapshot(queues, ParseOptions{.agent_metrics = ctx.target.poll.agent_metrics});
  }

 private:
  static asio::awaitable<Result<std::vector<Queue>>> Fetch(PollContext& ctx, const std::string& queue) {
    HttpRequest request;
    request.target = QueueInfoTarget(ctx.target.url.path, queue);
    request.headers.emplace_back("Accept", "application/json");
    auto response = co_await ctx.http.Send(std::move(request), ctx.deadline);
    if (!response) co_return response.error();
    if (response->status != 200) {
      co_return MakeError(Reason::http_status, "queueinfo: HTTP status " + std::to_string(response->status));
    }
    co_return ParseQueues(response->body);
  }

  // Skipped fields are logged when the set changes, not on every poll.
  void ReportInvalidFields(const PollContext& ctx, const std::vector<Queue>& queues) {
    std::string fields;
    for (const Queue& q : queues) {
      for (const std::string& f : q.invalid_fields) {
        if (fields.size() >= kMaxLoggedFields) break;
        fields += (fields.empty() ? "" : " ") + q.id + ":" + f;
      }
    }
    if (fields.size() > kMaxLoggedFields) fields.replace(kMaxLoggedFields, std::string::npos, "...");
    if (fields == last_invalid_fields_) return;
    last_invalid_fields_ = fields;
    if (fields.empty()) return;
    log::Warn("mixcall fields not understood, their series are skipped",
              {{"target", ctx.target.name}, {"collector", kCollector}, {"fields", fields}});
  }

  const std::vector<std::string> queues_;
  std::string last_invalid_fields_;
};

std::vector<std::shared_ptr<Collector>> Build(const TargetConfig& /*target*/, ConfigNode& node) {
  std::vector<std::string> queues = node.StringList("queues");
  std::set<std::string> seen;
  for (const std::string& q : queues) {
    if (q.empty()) node.Fail("queues", "a queue number must not be empty");
    for (unsigned char c : q) {
      if (c <= 0x20 || c == 0x7f) node.Fail("queues", "queue \"" + q + "\" contains whitespace or control characters");
    }
    if (!seen.insert(q).second) node.Fail("queues", "queue \"" + q + "\" is listed twice");
  }
  return {std::make_shared<QueueInfoCollector>(std::move(queues))};
}

}  // namespace

VendorDef Vendor() { return VendorDef{"mixcall", &Build}; }

}  // namespace cc::mixcall
