#include "collectors/huawei_cec/collector.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "collectors/huawei_cec/discovery.h"
#include "collectors/huawei_cec/listing.h"
#include "collectors/huawei_cec/parse.h"
#include "collectors/huawei_cec/sign.h"
#include "collectors/kit/fan_out.h"
#include "collectors/kit/http_status.h"
#include "collectors/kit/id_list.h"
#include "collectors/kit/unusable_fields_report.h"
#include "common/log.h"

namespace cc::huawei_cec {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxSkillIds = 1000;  // per request, [CMS-REF]
constexpr milliseconds kMaxBackoff{10 * 60 * 1000};
constexpr std::string_view kContentType = "application/json;charset=UTF-8";

enum class Kind { skill_agents, skill_status, skill_call_stats, vdn_rest, skill_discovery };

struct Paths {
  std::string skill_agents = "/rest/cmsapp/v1/openapi/skill/agentbyconfigedskill";
  std::string skill_status = "/rest/cmsapp/v1/openapi/skill/totalskillstatusex3";
  std::string skill_call_stats = "/rest/cmsapp/v1/openapi/skill/currentcallstateinfo";
  std::string vdn_rest = "/rest/cmsapp/v1/openapi/agentgroup/agentrestinfo";
  std::string skill_discovery = "/rest/cmsapp/v1/openapi/configures/skills";
};

struct Options : VendorOptions {
  std::int64_t cc_id = 0;
  std::int64_t vdn = 0;
  std::vector<std::int64_t> skills;  // empty: every listed skill
  std::vector<int> media_types;      // call media-type codes; empty: any
  milliseconds discovery_interval{5 * 60 * 1000};
  Paths paths;
  std::int64_t max_concurrent_requests = 4;
  std::string access_key;
  Secret secret_key;
};

// Shared by a target's collectors (all on the target's strand: no locking).
// Holds the options and the back-off after HTTP 403, which CC-CMS sends once
// it has locked our IP for repeated bad signatures: more requests would only
// prolong the lock.
struct TargetState : Options {
  explicit TargetState(const Options& options, milliseconds interval)
      : Options(options), poll_interval(interval), directory(options.discovery_interval) {}
  milliseconds poll_interval;

  // The skills come from the listing unless configured without a media filter.
  bool Discovers() const { return skills.empty() || !media_types.empty(); }
  SkillDirectory directory;
  BodyForm listing_form = BodyForm::flat;  // the last one the CMS took
  kit::UnusableFields listing_unusable;    // of the last listing

  SteadyClock::time_point backoff_until{};
  milliseconds backoff{0};
  std::string backoff_until_text;  // UTC, for messages
};

std::string_view NameOf(Kind kind) {
  switch (kind) {
    case Kind::skill_agents: return "skill_agents";
    case Kind::skill_status: return "skill_status";
    case Kind::skill_call_stats: return "skill_call_stats";
    case Kind::vdn_rest: return "vdn_rest";
    case Kind::skill_discovery: return "skill_discovery";
  }
  return "";
}

// `{url}{path}`: the configured URL's path is a prefix (reverse proxies).
std::string JoinPath(const std::string& base, const std::string& path) {
  std::string out = base;
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out + path;
}

class CmsCollector final : public Collector {
 public:
  CmsCollector(Kind kind, std::shared_ptr<TargetState> state) : kind_(kind), state_(std::move(state)) {}

  std::string_view name() const override { return NameOf(kind_); }

  asio::awaitable<Result<Snapshot>> Poll(PollContext& ctx) override {
    kit::UnusableFields unusable;
    auto result = co_await PollKind(ctx, unusable);
    if (result) report_.Report(ctx, name(), std::move(unusable));
    // A retired queue's id is refused ("invalid parameter") until the next
    // listing: list again at the next discovery poll, not minutes later.
    if (!result && result.error().reason == Reason::vendor_error && kind_ != Kind::vdn_rest) {
      state_->directory.Expire();
    }
    co_return result;
  }

 private:
  asio::awaitable<Result<Snapshot>> PollKind(PollContext& ctx, kit::UnusableFields& unusable) {
    TargetState& st = *state_;
    const SnapshotOptions options{.agent_metrics = ctx.target.poll.agent_metrics, .now = ctx.started};
    if (kind_ == Kind::skill_discovery) co_return co_await PollDiscovery(ctx, unusable);
    if (kind_ == Kind::vdn_rest) {
      auto body = co_await Post(ctx, st.paths.vdn_rest, VdnBody(st.cc_id, st.vdn));
      if (!body) co_return body.error();
      auto info = ParseRestInfo(*body, &unusable);
      if (!info) co_return Annotate(info.error());
      co_return BuildRestSnapshot(*info, options);
    }
    auto selected = co_await SkillIds(ctx);
    if (!selected) co_return selected.error();
    const std::vector<std::int64_t>& ids = *selected;
    switch (kind_) {
      case Kind::skill_agents: {
        std::vector<SkillAgents> skills(ids.size());
        auto fetch = [&](std::size_t i) -> asio::awaitable<std::optional<Error>> {
          const std::int64_t skill = ids[i];
          auto body = co_await Post(ctx, st.paths.skill_agents, SkillAgentsBody(st.cc_id, st.vdn, skill));
          if (!body) co_return body.error();
          auto agents = ParseSkillAgents(*body, &unusable);
          if (!agents) co_return Annotate(agents.error());
          skills[i] = SkillAgents{std::to_string(skill), std::move(agents).value()};
          co_return std::nullopt;
        };
        if (auto error = co_await kit::ForEachBounded(ids.size(), Limit(), fetch)) co_return *error;
        co_return BuildAgentsSnapshot(skills, options);
      }
      case Kind::skill_status: {
        auto all = co_await FetchBatches<SkillStatus>(ctx, ids, st.paths.skill_status, ParseSkillStatus, unusable);
        if (!all) co_return all.error();
        const SkillDirectory::List* listed = st.Discovers() ? st.directory.Known() : nullptr;
        co_return BuildSkillStatusSnapshot(
            *all, listed ? std::span<const ListedSkill>(*listed) : std::span<const ListedSkill>());
      }
      case Kind::skill_call_stats: {
        auto all = co_await FetchBatches<WindowStats>(ctx, ids, st.paths.skill_call_stats, ParseCallStats, unusable);
        if (!all) co_return all.error();
        co_return BuildCallStatsSnapshot(*all);
      }
      default: break;
    }
    co_return MakeError(Reason::parse, "unknown collector");
  }

  std::size_t Limit() const { return static_cast<std::size_t>(state_->max_concurrent_requests); }

  // The skill ids in batches of at most 1000, results in batch order.
  template <class T, class Parse>
  asio::awaitable<Result<std::vector<T>>> FetchBatches(PollContext& ctx, const std::vector<std::int64_t>& ids,
                                                       const std::string& path, Parse parse,
                                                       kit::UnusableFields& unusable) {
    const TargetState& st = *state_;
    const std::size_t batches = (ids.size() + kMaxSkillIds - 1) / kMaxSkillIds;
    std::vector<std::vector<T>> parts(batches);
    auto fetch = [&](std::size_t b) -> asio::awaitable<std::optional<Error>> {
      const std::size_t first = b * kMaxSkillIds;
      const auto batch = std::span(ids).subspan(first, std::min(kMaxSkillIds, ids.size() - first));
      auto body = co_await Post(ctx, path, SkillIdsBody(st.cc_id, st.vdn, batch));
      if (!body) co_return body.error();
      auto part = parse(*body, &unusable);
      if (!part) co_return Annotate(part.error());
      parts[b] = std::move(part).value();
      co_return std::nullopt;
    };
    if (auto error = co_await kit::ForEachBounded(batches, Limit(), fetch)) co_return *error;
    std::vector<T> all;
    for (auto& part : parts) std::move(part.begin(), part.end(), std::back_inserter(all));
    co_return all;
  }

  // The skills to poll: the configured ones, or the selection from the last
  // listing (listing first when there is none yet).
  asio::awaitable<Result<std::vector<std::int64_t>>> SkillIds(PollContext& ctx) {
    TargetState& st = *state_;
    if (!st.Discovers()) co_return st.skills;
    if (st.directory.Known() == nullptr) {
      auto error = co_await st.directory.Refresh([&] { return ListSkills(ctx); }, ctx.deadline);
      if (st.directory.Known() == nullptr) {
        Error e = error.value_or(MakeError(Reason::vendor_error, "no listing"));
        e.message = std::string(name()) + ": no skill list yet (skill_discovery: " + e.message + ")";
        co_return e;
      }
    }
    co_return SelectSkills(*st.directory.Known(), st.skills, st.media_types);
  }

  // skill_discovery: lists when due; an empty snapshot (the list is what it gives).
  asio::awaitable<Result<Snapshot>> PollDiscovery(PollContext& ctx, kit::UnusableFields& unusable) {
    TargetState& st = *state_;
    if (st.directory.Due(SteadyClock::now())) {
      if (auto error = co_await st.directory.Refresh([&] { return ListSkills(ctx); }, ctx.deadline)) co_return *error;
    }
    unusable = st.listing_unusable;
    co_return Snapshot{};
  }

  // configures/skills in the body form that worked last; on "invalid
  // parameter" once more in the other form, which is then kept.
  asio::awaitable<Result<SkillDirectory::List>> ListSkills(PollContext& ctx) {
    TargetState& st = *state_;
    for (const BodyForm form : {st.listing_form, Other(st.listing_form)}) {
      auto body = co_await Post(ctx, st.paths.skill_discovery, SkillListBody(st.cc_id, st.vdn, form));
      if (!body) co_return body.error();
      kit::UnusableFields unusable;
      std::string code;
      auto list = ParseSkillList(*body, &unusable, &code);
      if (list) {
        st.listing_form = form;
        st.listing_unusable = std::move(unusable);
        co_return list;
      }
      if (code != kInvalidParameterCode || form != st.listing_form) co_return Annotate(list.error());
    }
    co_return MakeError(Reason::vendor_error, "unreachable");
  }

  static BodyForm Other(BodyForm form) { return form == BodyForm::flat ? BodyForm::query_param : BodyForm::flat; }

  Error Annotate(Error e) const {
    e.message = std::string(name()) + ": " + e.message;
    return e;
  }

  // One signed POST; the response body on HTTP 200.
  asio::awaitable<Result<std::string>> Post(PollContext& ctx, const std::string& path, std::string body) {
    TargetState& st = *state_;
    if (SteadyClock::now() < st.backoff_until) {
      co_return LockedOut(std::string(name()) + ": backing off after HTTP 403 until " + st.backoff_until_text +
                          ", not sending");
    }
    http::ClientRequest request;
    request.method = http::ClientRequest::Method::post;
    request.target = JoinPath(ctx.target.url.path, path);
    const std::string host = ctx.target.url.HostHeader();
    const SignRequest sign{
        .method = "POST", .uri = request.target, .query = {}, .headers = {{"host", host}}, .body = body};
    std::string authorization =
        Authorization(st.access_key, st.secret_key.reveal(), sign, std::chrono::system_clock::now());
    // Sent exactly as signed: http::Client passes a given Host header through.
    request.headers.emplace_back("Host", host);
    request.headers.emplace_back("Content-Type", std::string(kContentType));
    request.headers.emplace_back("Authorization", std::move(authorization));
    request.body = std::move(body);

    auto response = co_await ctx.http.Send(std::move(request), ctx.deadline);
    if (!response) co_return response.error();
    const std::string where = std::string(name()) + ": " + path + ": ";
    switch (response->status) {
      case 200: st.backoff = milliseconds{0}; co_return std::move(response->body);
      case 401:
        co_return MakeError(Reason::auth, where + "HTTP 401, signature rejected (check access_key / secret_key)");
      case 403: {
        // Concurrent requests of one poll may all get 403: that is one lock-out, not several.
        if (SteadyClock::now() >= st.backoff_until) {
          st.backoff = NextBackoff(st.backoff, st.poll_interval);
          st.backoff_until = SteadyClock::now() + st.backoff;
          st.backoff_until_text = FormatTimestamp(std::chrono::system_clock::now() + st.backoff);
        }
        log::Warn("huawei_cec: HTTP 403 (IP locked after bad signatures?), backing off",
                  {{"target", ctx.target.name},
                   {"collector", name()},
                   {"backoff_seconds", std::chrono::duration<double>(st.backoff).count()},
                   {"until", st.backoff_until_text}});
        co_return LockedOut(where + "HTTP 403, IP locked after repeated bad signatures; backing off " +
                            FormatDuration(st.backoff) + " until " + st.backoff_until_text);
      }
      default: co_return kit::ResponseError(std::string(name()) + ": " + path, *response);
    }
  }

  // The scheduler does not poll the target again before the lock-out ends
  // (as after a Retry-After), so the lock is not prolonged by our requests.
  Error LockedOut(std::string message) const {
    Error error = MakeError(Reason::auth, std::move(message));
    const auto left = state_->backoff_until - SteadyClock::now();
    error.retry_after = std::chrono::ceil<std::chrono::seconds>(std::max<SteadyClock::duration>(left, {}));
    return error;
  }

  const Kind kind_;
  std::shared_ptr<TargetState> state_;
  kit::UnusableFieldsReport report_;
};

std::int64_t RangedInt(ConfigNode& node, const std::string& key, std::int64_t lo, std::int64_t hi) {
  const std::int64_t v = node.Int(key);
  if (v < lo || v > hi) node.Fail(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return v;
}

// `media_types: [voice, 51]`: names CallMediaName gives, or codes.
std::vector<int> ReadMediaTypes(ConfigNode& node) {
  std::vector<int> codes;
  for (const std::string& entry : node.StringList("media_types")) {
    const auto code = CallMediaCode(entry);
    if (!code)
      node.Fail("media_types", "\"" + entry + "\" is no media type (a name such as voice or web_chat, or a code)");
    if (std::find(codes.begin(), codes.end(), *code) != codes.end())
      node.Fail("media_types", "\"" + entry + "\" is listed twice");
    codes.push_back(*code);
  }
  return codes;
}

std::shared_ptr<const VendorOptions> Read(const TargetConfig& target, ConfigNode& node) {
  auto o = std::make_shared<Options>();
  o->cc_id = RangedInt(node, "cc_id", 1, 65535);
  o->vdn = RangedInt(node, "vdn", 1, 5000);
  o->skills = kit::ReadIntIdList(node, "skills", "skill", 1, 10000);
  if (o->skills.empty() && node.Has("skills")) {
    node.Fail("skills", "must not be empty (leave it out to poll every skill queue CC-CMS lists)");
  }
  o->media_types = ReadMediaTypes(node);
  o->discovery_interval = node.Duration("skill_discovery_interval", o->discovery_interval);
  if (o->discovery_interval < std::chrono::seconds(1)) node.Fail("skill_discovery_interval", "must be at least 1s");
  o->max_concurrent_requests = node.Int("max_concurrent_requests", 4);
  if (o->max_concurrent_requests < 1 || o->max_concurrent_requests > 10) {
    node.Fail("max_concurrent_requests", "must be between 1 and 10 (CC-CMS allows 10)");
  }
  if (target.url.path.find('?') != std::string::npos) node.Fail("url", "must not carry a query for huawei_cec");

  ConfigNode auth = node.Child("auth");
  o->access_key = auth.String("access_key");
  if (o->access_key.empty() || o->access_key.find('/') != std::string::npos) {
    auth.Fail("access_key", "must be non-empty and must not contain '/'");
  }
  o->secret_key = auth.RequiredSecret("secret_key");

  ConfigNode paths = node.Child("paths");
  auto path = [&](const std::string& key, std::string& out) {
    if (auto p = paths.OptString(key)) {
      if (p->empty() || p->front() != '/' || p->find_first_of("?# ") != std::string::npos) {
        paths.Fail(key, "must be a path starting with '/', without query");
      }
      out = *p;
    }
  };
  path("skill_agents", o->paths.skill_agents);
  path("skill_status", o->paths.skill_status);
  path("skill_call_stats", o->paths.skill_call_stats);
  path("vdn_rest", o->paths.vdn_rest);
  path("skill_discovery", o->paths.skill_discovery);
  return o;
}

std::vector<std::shared_ptr<Collector>> Build(const TargetConfig& target) {
  auto st = std::make_shared<TargetState>(OptionsOf<Options>(target), target.poll.poll_interval);
  std::vector<std::shared_ptr<Collector>> out;
  for (Kind kind : {Kind::skill_agents, Kind::skill_status, Kind::skill_call_stats, Kind::vdn_rest}) {
    out.push_back(std::make_shared<CmsCollector>(kind, st));
  }
  if (st->Discovers()) out.push_back(std::make_shared<CmsCollector>(Kind::skill_discovery, st));
  return out;
}

}  // namespace

milliseconds NextBackoff(milliseconds current, milliseconds poll_interval) {
  if (current.count() <= 0) return std::clamp(poll_interval, milliseconds{1000}, kMaxBackoff);
  return current >= kMaxBackoff / 2 ? kMaxBackoff : current * 2;
}

VendorDef Vendor() { return VendorDef{.name = "huawei_cec", .read = &Read, .build = &Build}; }

}  // namespace cc::huawei_cec
