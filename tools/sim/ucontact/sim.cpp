// uContact Integra as a VendorSim: the model, the sessions, the REST routes
// and the controls tests need (tools/sim/ucontact/README.md).

#include <atomic>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "tools/sim/ucontact/api.h"
#include "tools/sim/ucontact/auth.h"
#include "tools/sim/ucontact/model.h"
#include "tools/sim/vendor_sim.h"

namespace cc::sim::ucontact {
namespace {

std::optional<int> ParseInt(std::string_view s, int min, int max) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || v < min || v > max) return std::nullopt;
  return v;
}

// Locations are "SIP/1001"-like; only those are echoed into JSON.
bool PlainLocation(std::string_view s) {
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/') return false;
  }
  return !s.empty();
}

class UcontactSim final : public VendorSim {
 public:
  UcontactSim(const SimOptions& o, UcontactAuthOptions auth)
      : model_(UcontactOptions{o.queues, o.agents, o.seed}), sessions_(std::move(auth)) {}

  std::string_view name() const override { return "ucontact"; }
  std::string Describe() const override {
    return "uContact: POST /Integra/resources/auth/getUserToken, auth/EndSession, Supervisor/queuesummary,\n"
           "  Supervisor/campaignstatus (form queue=) with Authorization: Basic <token>\n"
           "  control: POST /_sim/ucontact/remove_agent?location=L, /_sim/ucontact/expire_sessions,\n"
           "  /_sim/ucontact/set_agent?location=L&status=S&paused=true|false[&hold_s=N]\n";
  }
  bool Owns(const http::Request& req) const override { return IsUcontactPath(req.path); }
  http::Response Handle(const http::Request& req) override {
    // The AMI action id of each answer: a fixed prefix and a sequence, as in seed 004.
    const std::string action_id = "1982468278_" + std::to_string(++actions_);
    return HandleUcontactApi(req, model_, sessions_, action_id);
  }
  void Advance(std::chrono::milliseconds dt) override {
    model_.Advance(dt);
    sessions_.Advance(dt);
  }
  void SetPaused(bool paused) override { model_.SetPaused(paused); }
  std::string StateJson() const override { return RenderUcontactState(model_.Campaigns(), sessions_.Counters()); }

  std::optional<http::Response> Control(std::string_view route, const http::Request& req) override {
    if (route == "expire_sessions") {
      sessions_.ExpireAll();
      return JsonResponse(200, R"({"expired":true})");
    }
    const std::string location = req.Param("location");
    if (route == "remove_agent") {
      if (!model_.RemoveAgent(location)) return JsonError(404, "no such agent");
      return JsonResponse(200, R"({"removed":")" + (PlainLocation(location) ? location : "") + "\"}");
    }
    if (route == "set_agent") {
      const auto status = ParseInt(req.Param("status"), 0, 9);
      const std::string paused = req.Param("paused");
      const std::string hold = req.Param("hold_s");
      const auto hold_s = hold.empty() ? std::optional<int>(300) : ParseInt(hold, 1, 86400);
      if (!status || (paused != "true" && paused != "false") || !hold_s) {
        return JsonError(400, "want status=0..9, paused=true|false, optional hold_s=1..86400");
      }
      if (!model_.SetAgent(location, *status, paused == "true", std::chrono::seconds(*hold_s))) {
        return JsonError(404, "no such agent");
      }
      return JsonResponse(200, R"({"set":")" + (PlainLocation(location) ? location : "") + "\"}");
    }
    return std::nullopt;
  }

 private:
  UcontactModel model_;
  UcontactSessions sessions_;
  std::atomic<std::uint64_t> actions_{0};
};

}  // namespace

std::unique_ptr<VendorSim> MakeSim(const SimOptions& options) {
  CheckSettings(options, "ucontact", {"user", "password", "session_timeout_s", "session_idle_s"});
  UcontactAuthOptions auth;
  auth.user = StringSetting(options, "user", auth.user);
  auth.password = StringSetting(options, "password", auth.password);
  if (auth.user.empty() || auth.password.empty()) {
    throw std::invalid_argument("ucontact.user and ucontact.password must not be empty");
  }
  auth.lifetime = std::chrono::seconds(IntSetting(options, "ucontact", "session_timeout_s", 1800, 1, 7 * 86400));
  auth.idle_timeout = std::chrono::seconds(IntSetting(options, "ucontact", "session_idle_s", 0, 0, 7 * 86400));
  auth.seed = options.seed;
  return std::make_unique<UcontactSim>(options, std::move(auth));
}

}  // namespace cc::sim::ucontact
