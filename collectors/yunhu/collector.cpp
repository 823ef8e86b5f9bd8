#include "collectors/yunhu/collector.h"

#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "collectors/kit/http_status.h"
#include "collectors/kit/id_list.h"
#include "collectors/kit/unusable_fields_report.h"
#include "collectors/yunhu/parse.h"
#include "collectors/yunhu/session.h"
#include "common/log.h"

namespace cc::yunhu {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kCollector = "queue_sip_status";
constexpr std::string_view kDefaultUtcOffset = "+08:00";  // the platform runs on Beijing time

struct Options : VendorOptions {
  std::vector<std::string> queues;  // empty: every queue
  int utc_offset_seconds = 0;       // the platform's local time zone
  std::string appid;
  Secret accesskey;
};

bool IsAuthRet(int ret) { return ret >= kRetTokenInvalid && ret <= 604; }

class QueueSipStatusCollector final : public Collector {
 public:
  QueueSipStatusCollector(std::shared_ptr<Session> session, std::vector<std::string> queues, int utc_offset_seconds)
      : session_(std::move(session)), queues_(std::move(queues)), utc_offset_seconds_(utc_offset_seconds) {}

  std::string_view name() const override { return kCollector; }

  asio::awaitable<Result<Snapshot>> Poll(PollContext& ctx) override {
    // One request per configured queue (the API takes one `queuename`), or
    // one for all. Sequential: they share the session and the connection.
    static const std::vector<std::string> kAllQueues{""};
    const auto& requests = queues_.empty() ? kAllQueues : queues_;
    Rows all;
    for (const std::string& queue : requests) {
      auto part = co_await Call(ctx, queue);
      if (!part) co_return Fail(ctx, part.error());
      std::move(part->rows.begin(), part->rows.end(), std::back_inserter(all.rows));
      std::move(part->unusable_fields.begin(), part->unusable_fields.end(), std::back_inserter(all.unusable_fields));
    }
    last_auth_error_.clear();
    KeepQueues(all.rows, queues_);
    report_.Report(ctx, kCollector, std::move(all.unusable_fields));
    co_return BuildSnapshot(all.rows, BuildOptions{.agent_metrics = ctx.target.poll.agent_metrics, .queues = queues_});
  }

 private:
  // GetQueueSipStatus with a valid token: logs in when there is none, and
  // once more when the platform says the token is invalid (ret 600), so an
  // expired or revoked token never fails a poll.
  asio::awaitable<Result<Rows>> Call(PollContext& ctx, const std::string& queue) {
    bool fresh = false;
    if (session_->Token(Session::Clock::now()) == nullptr) {
      if (auto err = co_await Login(ctx)) co_return *err;
      fresh = true;
    }
    auto reply = co_await Fetch(ctx, queue);
    if (!reply.result.ok() && reply.ret == kRetTokenInvalid && !fresh) {
      log::Write(LoginLogLevel(), "yunhu token rejected (ret 600), logging in again",
                 {{"target", ctx.target.name}, {"collector", kCollector}});
      session_->Invalidate();
      if (auto err = co_await Login(ctx)) co_return *err;
      reply = co_await Fetch(ctx, queue);
    }
    // Refused even when fresh: the next poll starts with a new login.
    if (!reply.result.ok() && reply.ret == kRetTokenInvalid) session_->Invalidate();
    co_return std::move(reply.result);
  }

  asio::awaitable<std::optional<Error>> Login(PollContext& ctx) {
    auto reply = co_await Post(ctx, LoginBody(session_->appid(), session_->accesskey()), &ParseLogin);
    if (!reply.result.ok()) {
      Error err = reply.result.error();
      // A refused login (data.status ≠ 0) is a credentials problem.
      if (reply.ret == kRetOk && err.reason == Reason::vendor_error) {
        err.reason = Reason::auth;
        err.message = "login refused, " + err.message;
      }
      co_return err;
    }
    session_->SetToken(std::move(reply.result).value(), Session::Clock::now());
    log::Write(LoginLogLevel(), "yunhu logged in", {{"target", ctx.target.name}, {"collector", kCollector}});
    co_return std::nullopt;
  }

  asio::awaitable<Reply<Rows>> Fetch(PollContext& ctx, const std::string& queue) {
    const Secret* token = session_->Token(Session::Clock::now());
    if (token == nullptr) co_return Reply<Rows>{MakeError(Reason::auth, "no session token"), 0};
    const int offset = utc_offset_seconds_;
    co_return co_await Post(ctx, QueueSipStatusBody(*token, queue),
                            [offset](std::string_view body) { return ParseRows(body, offset); });
  }

  template <class Parse>
  static auto Post(PollContext& ctx, std::string body, Parse parse)
      -> asio::awaitable<decltype(parse(std::string_view()))> {
    using ReplyT = decltype(parse(std::string_view()));
    http::ClientRequest request;
    request.method = http::ClientRequest::Method::post;
    request.target = ctx.target.url.path;
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.headers.emplace_back("Accept", "application/json");
    request.body = std::move(body);
    auto response = co_await ctx.http.Send(std::move(request), ctx.deadline);
    if (!response) co_return ReplyT{response.error(), 0};
    ReplyT reply = parse(response->body);
    // PhalApi can be set up to mirror `ret` in the HTTP status; the envelope
    // still tells a stale token apart from a broken server.
    if (response->status != 200 && !IsAuthRet(reply.ret)) {
      co_return ReplyT{kit::ResponseError("", *response), reply.ret};
    }
    co_return reply;
  }

  // While every login ends in a refusal (a token store answering ret 600 even
  // to a fresh token) the scheduler backs off and logs the failure; a login
  // line per attempt would only repeat it.
  log::Level LoginLogLevel() const { return last_auth_error_.empty() ? log::Level::info : log::Level::debug; }

  // The last word on an error: no secret leaves the collector, and an
  // authorisation problem is logged once with what it means.
  Error Fail(const PollContext& ctx, Error err) {
    err.message = Redact(std::move(err.message), {&session_->accesskey(), &session_->LastToken()});
    if (err.reason == Reason::auth && err.message != last_auth_error_) {
      last_auth_error_ = err.message;
      log::Warn("yunhu authorisation failed",
                {{"target", ctx.target.name}, {"collector", kCollector}, {"err", err.message}});
    }
    return err;
  }

  const std::shared_ptr<Session> session_;
  const std::vector<std::string> queues_;
  const int utc_offset_seconds_;
  kit::UnusableFieldsReport report_;
  std::string last_auth_error_;
};

std::shared_ptr<const VendorOptions> Read(const TargetConfig& /*target*/, ConfigNode& node) {
  auto options = std::make_shared<Options>();
  options->queues = kit::ReadIdList(node, "queues", {.noun = "queue", .allow_spaces = true});
  const std::string offset_text = node.String("utc_offset", std::string(kDefaultUtcOffset));
  const auto offset = ParseUtcOffset(offset_text);
  if (!offset) node.Fail("utc_offset", "\"" + offset_text + "\" is not a UTC offset such as +08:00");
  options->utc_offset_seconds = *offset;

  ConfigNode auth = node.Child("auth");
  options->appid = auth.String("appid");
  if (options->appid.empty()) auth.Fail("appid", "must not be empty");
  options->accesskey = auth.RequiredSecret("accesskey");
  return options;
}

std::vector<std::shared_ptr<Collector>> Build(const TargetConfig& target) {
  const Options& options = OptionsOf<Options>(target);
  auto session = std::make_shared<Session>(options.appid, options.accesskey);
  return {std::make_shared<QueueSipStatusCollector>(std::move(session), options.queues, options.utc_offset_seconds)};
}

}  // namespace

VendorDef Vendor() { return VendorDef{.name = "yunhu", .read = &Read, .build = &Build}; }

}  // namespace cc::yunhu
