#include "collectors/mixcall/collector.h"

#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "collectors/kit/http_status.h"
#include "collectors/kit/id_list.h"
#include "collectors/kit/unusable_fields_report.h"
#include "collectors/mixcall/parse.h"

namespace cc::mixcall {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kCollector = "queueinfo";

struct Options : VendorOptions {
  std::vector<std::string> queues;  // empty: every queue
};

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
    kit::UnusableFields unusable;
    for (const std::string& queue : requests) {
      auto part = co_await Fetch(ctx, queue, unusable);
      if (!part) co_return part.error();
      std::move(part->begin(), part->end(), std::back_inserter(queues));
    }
    KeepQueues(queues, queues_);
    for (Queue& q : queues) {
      for (std::string& f : q.unusable_fields) unusable.push_back(q.id + ":" + std::move(f));
    }
    report_.Report(ctx, kCollector, std::move(unusable));
    co_return BuildSnapshot(queues, ParseOptions{.agent_metrics = ctx.target.poll.agent_metrics});
  }

 private:
  static asio::awaitable<Result<std::vector<Queue>>> Fetch(PollContext& ctx, const std::string& queue,
                                                           kit::UnusableFields& repairs) {
    http::ClientRequest request;
    request.target = QueueInfoTarget(ctx.target.url.path, queue);
    request.headers.emplace_back("Accept", "application/json");
    auto body = kit::BodyOf(co_await ctx.http.Send(std::move(request), ctx.deadline), kCollector);
    if (!body) co_return body.error();
    co_return ParseQueues(*body, &repairs);
  }

  const std::vector<std::string> queues_;
  kit::UnusableFieldsReport report_;
};

std::shared_ptr<const VendorOptions> Read(const TargetConfig& /*target*/, ConfigNode& node) {
  auto options = std::make_shared<Options>();
  options->queues = kit::ReadIdList(node, "queues", {.noun = "queue"});
  return options;
}

std::vector<std::shared_ptr<Collector>> Build(const TargetConfig& target) {
  return {std::make_shared<QueueInfoCollector>(OptionsOf<Options>(target).queues)};
}

}  // namespace

VendorDef Vendor() { return VendorDef{.name = "mixcall", .read = &Read, .build = &Build}; }

}  // namespace cc::mixcall
