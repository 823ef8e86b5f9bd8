#include "collectors/ucontact/collector.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "collectors/kit/fan_out.h"
#include "collectors/kit/http_status.h"
#include "collectors/kit/id_list.h"
#include "collectors/kit/unusable_fields_report.h"
#include "collectors/ucontact/parse.h"
#include "collectors/ucontact/session.h"

namespace cc::ucontact {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kQueueSummary = "queue_summary";
constexpr std::string_view kCampaignStatus = "campaign_status";
constexpr std::int64_t kDefaultConcurrency = 4;
constexpr std::int64_t kMaxConcurrency = 64;

struct Options : VendorOptions {
  std::vector<std::string> campaigns;  // empty: every campaign
  std::size_t max_concurrent_requests = kDefaultConcurrency;
  AuthConfig auth;
};

class QueueSummaryCollector final : public Collector {
 public:
  explicit QueueSummaryCollector(std::shared_ptr<Session> session) : session_(std::move(session)) {}

  std::string_view name() const override { return kQueueSummary; }

  asio::awaitable<Result<Snapshot>> Poll(PollContext& ctx) override {
    constexpr std::string_view kResource = "Supervisor/queuesummary";
    auto body = kit::BodyOf(co_await session_->Post(ctx, kResource, ""), kResource);
    if (!body) co_return body.error();
    UnusableFields unusable;
    auto queues = ParseQueueSummary(*body, &unusable);
    if (!queues) co_return queues.error();
    report_.Report(ctx, kQueueSummary, std::move(unusable));
    co_return BuildQueueSummarySnapshot(*queues);
  }

  // Both collectors of the target share the session; it ends once.
  asio::awaitable<void> Close(PollContext& ctx) override { co_await session_->End(ctx); }

 private:
  std::shared_ptr<Session> session_;
  kit::UnusableFieldsReport report_;
};

class CampaignStatusCollector final : public Collector {
 public:
  CampaignStatusCollector(std::shared_ptr<Session> session, std::vector<std::string> campaigns,
                          std::size_t max_concurrent)
      : session_(std::move(session)), campaigns_(std::move(campaigns)), max_concurrent_(max_concurrent) {}

  std::string_view name() const override { return kCampaignStatus; }

  asio::awaitable<Result<Snapshot>> Poll(PollContext& ctx) override {
    UnusableFields unusable;
    // Every campaign's statistics in one call; agents need one call per campaign.
    auto all = co_await Fetch(ctx, "", unusable);
    if (!all) co_return all.error();
    CampaignStatus status = std::move(all).value();

    std::vector<std::string> names = campaigns_;
    if (names.empty()) {
      for (const Campaign& c : status.campaigns) names.push_back(c.name);
    }
    std::vector<std::optional<CampaignStatus>> parts(names.size());
    std::vector<UnusableFields> part_unusable(names.size());
    auto fetch_one = [&](std::size_t i) -> asio::awaitable<std::optional<Error>> {
      auto part = co_await Fetch(ctx, names[i], part_unusable[i]);
      if (!part) co_return part.error();
      parts[i] = std::move(part).value();
      co_return std::nullopt;
    };
    if (auto error = co_await kit::ForEachBounded(names.size(), max_concurrent_, fetch_one)) co_return *error;

    std::set<std::string> known;
    for (const Campaign& c : status.campaigns) known.insert(c.name);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      // A configured campaign missing from the overview still has its own answer.
      for (Campaign& c : parts[i]->campaigns) {
        if (known.insert(c.name).second) status.campaigns.push_back(std::move(c));
      }
      std::move(parts[i]->members.begin(), parts[i]->members.end(), std::back_inserter(status.members));
      unusable.insert(unusable.end(), part_unusable[i].begin(), part_unusable[i].end());
    }
    report_.Report(ctx, kCampaignStatus, std::move(unusable));
    co_return BuildCampaignSnapshot(status, ParseOptions{.agent_metrics = ctx.target.poll.agent_metrics});
  }

  asio::awaitable<void> Close(PollContext& ctx) override { co_await session_->End(ctx); }

 private:
  asio::awaitable<Result<CampaignStatus>> Fetch(PollContext& ctx, const std::string& campaign,
                                                UnusableFields& unusable) {
    constexpr std::string_view kResource = "Supervisor/campaignstatus";
    // Built outside the co_await: GCC 12 cannot keep an initializer_list's
    // array in a coroutine frame ("array used as initializer").
    std::string form = FormEncode({{"queue", campaign}});
    auto body = kit::BodyOf(co_await session_->Post(ctx, kResource, std::move(form)), kResource);
    if (!body) co_return body.error();
    auto status = ParseCampaignStatus(*body, campaign, &unusable);
    if (!status) {
      Error e = status.error();
      if (!campaign.empty()) e.message = "campaign " + campaign + ": " + e.message;
      co_return e;
    }
    co_return std::move(status).value();
  }

  std::shared_ptr<Session> session_;
  const std::vector<std::string> campaigns_;
  const std::size_t max_concurrent_;
  kit::UnusableFieldsReport report_;
};

std::shared_ptr<const VendorOptions> Read(const TargetConfig& /*target*/, ConfigNode& node) {
  auto options = std::make_shared<Options>();
  options->campaigns = kit::ReadIdList(node, "campaigns", {.noun = "campaign", .allow_spaces = true});
  const std::int64_t concurrency = node.Int("max_concurrent_requests", kDefaultConcurrency);
  if (concurrency < 1 || concurrency > kMaxConcurrency) {
    node.Fail("max_concurrent_requests", "must be between 1 and " + std::to_string(kMaxConcurrency));
  }
  options->max_concurrent_requests = static_cast<std::size_t>(concurrency);

  ConfigNode auth = node.Child("auth");
  AuthConfig& config = options->auth;
  config.username = auth.String("username", "");
  config.password = auth.OptSecret("password");
  config.token = auth.OptSecret("token");
  if (!config.token.empty()) {
    if (!config.username.empty() || !config.password.empty()) {
      auth.Fail("", "give either token (or token_file) or username and password, not both");
    }
    for (unsigned char ch : config.token.reveal()) {
      if (ch <= 0x20 || ch >= 0x7f) auth.Fail("token", "the token must be printable ASCII without spaces");
    }
  } else {
    if (config.username.empty()) auth.Fail("username", "required (or give token / token_file)");
    if (config.password.empty()) auth.Fail("password", "required: password or password_file");
  }
  return options;
}

std::vector<std::shared_ptr<Collector>> Build(const TargetConfig& target) {
  const Options& options = OptionsOf<Options>(target);
  // Both collectors share the session: one login, ended once.
  auto session = std::make_shared<Session>(options.auth);
  return {std::make_shared<QueueSummaryCollector>(session),
          std::make_shared<CampaignStatusCollector>(session, options.campaigns, options.max_concurrent_requests)};
}

}  // namespace

VendorDef Vendor() { return VendorDef{.name = "ucontact", .read = &Read, .build = &Build}; }

}  // namespace cc::ucontact
