#include "collectors/ucontact/collector.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "collectors/ucontact/parse.h"
#include "collectors/ucontact/session.h"
#include "common/log.h"
#include "config/config_node.h"
#include "core/for_each_bounded.h"

namespace cc::ucontact {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kQueueSummary = "queue_summary";
constexpr std::string_view kCampaignStatus = "campaign_status";
constexpr std::size_t kMaxLoggedFields = 400;  // bytes of the skipped-field list in one log line
constexpr std::int64_t kDefaultConcurrency = 4;
constexpr std::int64_t kMaxConcurrency = 64;

Result<std::string> Body(const Result<HttpResponse>& response, std::string_view resource) {
  if (!response) return response.error();
  if (response->status != 200) {
    return MakeError(Reason::http_status, std::string(resource) + ": HTTP status " + std::to_string(response->status));
  }
  return response->body;
}

// Skipped fields are logged when the set changes, not on every poll.
class InvalidFieldReporter {
 public:
  void Report(const PollContext& ctx, std::string_view collector, const InvalidFields& invalid) {
    std::string fields;
    for (const std::string& f : invalid) {
      if (fields.size() >= kMaxLoggedFields) break;
      fields += (fields.empty() ? "" : " ") + f;
    }
    if (fields.size() > kMaxLoggedFields) fields.replace(kMaxLoggedFields, std::string::npos, "...");
    if (fields == last_) return;
    last_ = fields;
    if (fields.empty()) return;
    log::Warn("ucontact fields not understood, their series are skipped",
              {{"target", ctx.target.name}, {"collector", collector}, {"fields", fields}});
  }

 private:
  std::string last_;
};

class QueueSummaryCollector final : public Collector {
 public:
  explicit QueueSummaryCollector(std::shared_ptr<Session> session) : session_(std::move(session)) {}

  std::string_view name() const override { return kQueueSummary; }

  asio::awaitable<Result<Snapshot>> Poll(PollContext& ctx) override {
    constexpr std::string_view kResource = "Supervisor/queuesummary";
    auto body = Body(co_await session_->Post(ctx, kResource, ""), kResource);
    if (!body) co_return body.error();
    InvalidFields invalid;
    auto queues = ParseQueueSummary(*body, &invalid);
    if (!queues) co_return queues.error();
    reporter_.Report(ctx, kQueueSummary, invalid);
    co_return BuildQueueSummarySnapshot(*queues);
  }

  // Both collectors of the target share the session; it ends once.
  asio::awaitable<void> Close(PollContext& ctx) override { co_await session_->End(ctx); }

 private:
  std::shared_ptr<Session> session_;
  InvalidFieldReporter reporter_;
};

class CampaignStatusCollector final : public Collector {
 public:
  CampaignStatusCollector(std::shared_ptr<Session> session, std::vector<std::string> campaigns,
                          std::size_t max_concurrent)
      : session_(std::move(session)), campaigns_(std::move(campaigns)), max_concurrent_(max_concurrent) {}

  std::string_view name() const override { return kCampaignStatus; }

  asio::awaitable<Result<Snapshot>> Poll(PollContext& ctx) override {
    InvalidFields invalid;
    // Every campaign's statistics in one call; agents need one call per campaign.
    auto all = co_await Fetch(ctx, "", invalid);
    if (!all) co_return all.error();
    CampaignStatus status = std::move(all).value();

    std::vector<std::string> names = campaigns_;
    if (names.empty()) {
      for (const Campaign& c : status.campaigns) names.push_back(c.name);
    }
    std::vector<std::optional<CampaignStatus>> parts(names.size());
    std::vector<InvalidFields> part_invalid(names.size());
    auto fetch_one = [&](std::size_t i) -> asio::awaitable<std::optional<Error>> {
      auto part = co_await Fetch(ctx, names[i], part_invalid[i]);
      if (!part) co_return part.error();
      parts[i] = std::move(part).value();
      co_return std::nullopt;
    };
    if (auto error = co_await ForEachBounded(names.size(), max_concurrent_, fetch_one)) co_return *error;

    std::set<std::string> known;
    for (const Campaign& c : status.campaigns) known.insert(c.name);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      // A configured campaign missing from the overview still has its own answer.
      for (Campaign& c : parts[i]->campaigns) {
        if (known.insert(c.name).second) status.campaigns.push_back(std::move(c));
      }
      std::move(parts[i]->members.begin(), parts[i]->members.end(), std::back_inserter(status.members));
      invalid.insert(invalid.end(), part_invalid[i].begin(), part_invalid[i].end());
    }
    std::sort(invalid.begin(), invalid.end());
    invalid.erase(std::unique(invalid.begin(), invalid.end()), invalid.end());
    reporter_.Report(ctx, kCampaignStatus, invalid);
    co_return BuildCampaignSnapshot(status, ParseOptions{.agent_metrics = ctx.target.poll.agent_metrics});
  }

  asio::awaitable<void> Close(PollContext& ctx) override { co_await session_->End(ctx); }

 private:
  asio::awaitable<Result<CampaignStatus>> Fetch(PollContext& ctx, const std::string& campaign, InvalidFields& invalid) {
    constexpr std::string_view kResource = "Supervisor/campaignstatus";
    // Built outside the co_await: GCC 12 cannot keep an initializer_list's
    // array in a coroutine frame ("array used as initializer").
    std::string form = FormEncode({{"queue", campaign}});
    auto body = Body(co_await session_->Post(ctx, kResource, std::move(form)), kResource);
    if (!body) co_return body.error();
    auto status = ParseCampaignStatus(*body, campaign, &invalid);
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
  InvalidFieldReporter reporter_;
};

std::vector<std::shared_ptr<Collector>> Build(const TargetConfig& /*target*/, ConfigNode& node) {
  std::vector<std::string> campaigns = node.StringList("campaigns");
  std::set<std::string> seen;
  for (const std::string& c : campaigns) {
    if (c.empty()) node.Fail("campaigns", "a campaign name must not be empty");
    for (unsigned char ch : c) {
      if (ch < 0x20 || ch == 0x7f) node.Fail("campaigns", "campaign \"" + c + "\" contains control characters");
    }
    if (!seen.insert(c).second) node.Fail("campaigns", "campaign \"" + c + "\" is listed twice");
  }
  const std::int64_t concurrency = node.Int("max_concurrent_requests", kDefaultConcurrency);
  if (concurrency < 1 || concurrency > kMaxConcurrency) {
    node.Fail("max_concurrent_requests", "must be between 1 and " + std::to_string(kMaxConcurrency));
  }

  ConfigNode auth = node.Child("auth");
  AuthConfig config;
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

  auto session = std::make_shared<Session>(std::move(config));
  return {
      std::make_shared<QueueSummaryCollector>(session),
      std::make_shared<CampaignStatusCollector>(session, std::move(campaigns), static_cast<std::size_t>(concurrency))};
}

}  // namespace

VendorDef Vendor() { return VendorDef{"ucontact", &Build}; }

}  // namespace cc::ucontact
