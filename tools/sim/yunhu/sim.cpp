// yunhu (App.Sip_*) as a VendorSim: the call-centre model, the token store,
// the PhalApi entry point and the controls tests need.

#include <atomic>
#include <charconv>
#include <stdexcept>
#include <utility>

#include "tools/sim/vendor_sim.h"
#include "tools/sim/yunhu/api.h"
#include "tools/sim/yunhu/auth.h"
#include "tools/sim/yunhu/model.h"

namespace cc::sim::yunhu {
namespace {

constexpr std::string_view kName = "yunhu";

// A decimal setting in [min, max]; throws naming yunhu.KEY when malformed.
double DoubleSetting(const SimOptions& options, const std::string& key, double fallback, double min, double max) {
  auto it = options.settings.find(key);
  if (it == options.settings.end()) return fallback;
  const std::string& v = it->second;
  double out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || ptr != v.data() + v.size() || !(out >= min && out <= max)) {
    throw std::invalid_argument(std::string(kName) + "." + key + " must be a number in " + std::to_string(min) + ".." +
                                std::to_string(max));
  }
  return out;
}

bool BoolSetting(const SimOptions& options, const std::string& key, bool fallback) {
  const std::string v = StringSetting(options, key, fallback ? "1" : "0");
  if (v == "1" || v == "true" || v == "on") return true;
  if (v == "0" || v == "false" || v == "off") return false;
  throw std::invalid_argument(std::string(kName) + "." + key + " must be 0/1, true/false or on/off");
}

// Echoed back only when it needs no JSON escaping.
bool Digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

class YunhuSim final : public VendorSim {
 public:
  YunhuSim(const SimOptions& o, YunhuAuthOptions auth)
      : model_(YunhuOptions{o.queues, o.agents, o.seed}), auth_(std::move(auth)) {}

  std::string_view name() const override { return kName; }
  std::string Describe() const override {
    return "yunhu: POST /api/yunhu service=App.Sip_Auth.Login|App.Sip_Queue.GetQueueSipStatus|…\n"
           "  control: POST /_sim/yunhu/remove_agent?extnumber=E, /_sim/yunhu/expire_tokens,"
           " /_sim/yunhu/deny_ip?on=1|0, /_sim/yunhu/reject_tokens?on=1|0\n";
  }
  bool Owns(const http::Request& req) const override { return IsYunhuPath(req.path); }
  http::Response Handle(const http::Request& req) override { return HandleYunhuApi(req, model_, auth_, calls_); }
  void Advance(std::chrono::milliseconds dt) override {
    if (paused_) return;
    model_.Advance(dt);
    auth_.Advance(dt);
  }
  void SetPaused(bool paused) override {
    paused_ = paused;
    model_.SetPaused(paused);
  }
  std::string StateJson() const override {
    return RenderYunhuState(model_.Queues(), model_.NowUnixSeconds(), auth_, calls_);
  }

  std::optional<http::Response> Control(std::string_view route, const http::Request& req) override {
    if (route == "remove_agent") {
      const std::string ext = req.Param("extnumber");
      if (!model_.RemoveAgent(ext)) return JsonError(404, "no such extension");
      return JsonResponse(200, R"({"removed":")" + (Digits(ext) ? ext : "") + "\"}");
    }
    if (route == "expire_tokens") {
      const std::size_t n = auth_.valid_tokens();
      auth_.ExpireAll();
      return JsonResponse(200, R"({"expired":)" + std::to_string(n) + "}");
    }
    if (route == "reject_tokens") {
      const std::string on = req.Param("on");
      if (on != "" && on != "0" && on != "1") return JsonError(400, "on must be 0 or 1");
      auth_.SetRejectTokens(on != "0");
      return JsonResponse(200, std::string(R"({"reject_tokens":)") + (on != "0" ? "true" : "false") + "}");
    }
    if (route == "deny_ip") {
      const std::string on = req.Param("on");
      if (on != "" && on != "0" && on != "1") return JsonError(400, "on must be 0 or 1");
      auth_.SetDenyIp(on != "0");
      return JsonResponse(200, std::string(R"({"deny_ip":)") + (on != "0" ? "true" : "false") + "}");
    }
    return std::nullopt;
  }

 private:
  YunhuModel model_;
  YunhuAuth auth_;
  YunhuCalls calls_;
  std::atomic<bool> paused_{false};
};

}  // namespace

std::unique_ptr<VendorSim> MakeSim(const SimOptions& options) {
  CheckSettings(options, kName, {"appid", "accesskey", "token_ttl_s", "token_invalid_rate", "deny_ip"});
  YunhuAuthOptions auth;
  auth.appid = StringSetting(options, "appid", auth.appid);
  auth.accesskey = StringSetting(options, "accesskey", auth.accesskey);
  auth.token_ttl = std::chrono::seconds(IntSetting(options, kName, "token_ttl_s", 43200, 1, 30 * 86400));
  auth.token_invalid_rate = DoubleSetting(options, "token_invalid_rate", 0.05, 0.0, 1.0);
  auth.deny_ip = BoolSetting(options, "deny_ip", false);
  auth.seed = options.seed;
  if (auth.appid.empty() || auth.accesskey.empty()) {
    throw std::invalid_argument("yunhu.appid and yunhu.accesskey must not be empty");
  }
  return std::make_unique<YunhuSim>(options, std::move(auth));
}

}  // namespace cc::sim::yunhu
