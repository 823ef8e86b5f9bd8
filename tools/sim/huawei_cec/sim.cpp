// Huawei CEC (CC-CMS monitoring OpenAPI) as a VendorSim: every request is
// first checked like the platform's gateway would (auth-v2 signature, IP
// lock-out after repeated failures), then answered from the model.

#include <charconv>
#include <mutex>
#include <stdexcept>
#include <string>

#include "common/log.h"
#include "tools/sim/huawei_cec/api.h"
#include "tools/sim/huawei_cec/auth.h"
#include "tools/sim/huawei_cec/model.h"
#include "tools/sim/vendor_sim.h"

namespace cc::sim::huawei_cec {
namespace {

struct HuaweiSettings {
  std::string access_key, secret_key;
  HuaweiVdn vdn;
  int lock_after = 5;                     // consecutive bad signatures
  std::chrono::milliseconds lock_time{};  // then 403 for this long
  std::chrono::seconds max_skew{};        // 0: any timestamp
};

std::int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class HuaweiCecSim final : public VendorSim {
 public:
  HuaweiCecSim(const SimOptions& o, HuaweiSettings s)
      : settings_(std::move(s)),
        model_(HuaweiCecOptions{o.queues, o.agents, o.seed, 0}),
        lockout_(settings_.lock_after, settings_.lock_time) {}

  std::string_view name() const override { return "huawei_cec"; }
  std::string Describe() const override {
    return "Huawei CEC: POST /rest/cmsapp/v1/openapi/{skill,agentgroup}/agentbyconfigedskill, "
           "skill/totalskillstatusex3, skill/currentcallstateinfo, agentgroup/agentrestinfo[s] (auth-v2 signed)\n"
           "  configures/skills (skill listing)\n"
           "  control: POST /_sim/huawei_cec/remove_agent?workno=W, /_sim/huawei_cec/unlock,\n"
           "           /_sim/huawei_cec/add_skill?id=N&media=M&name=TEXT, /_sim/huawei_cec/remove_skill?id=N\n";
  }
  bool Owns(const http::Request& req) const override { return req.path.starts_with(kHuaweiApiPrefix); }

  http::Response Handle(const http::Request& req) override {
    if (auto refused = Authenticate(req)) return *refused;
    return HandleHuaweiCecApi(req, model_.View(), settings_.vdn);
  }

  void Advance(std::chrono::milliseconds dt) override { model_.Advance(dt); }
  void SetPaused(bool paused) override { model_.SetPaused(paused); }

  std::string StateJson() const override {
    HuaweiAuthCounters auth;
    {
      std::lock_guard lock(mu_);
      auth = counters_;
    }
    return RenderHuaweiCecState(model_.View(), settings_.vdn, auth);
  }

  std::optional<http::Response> Control(std::string_view route, const http::Request& req) override {
    if (route == "remove_agent") {
      const std::string w = req.Param("workno");
      int workno = 0;
      auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), workno);
      if (ec != std::errc{} || ptr != w.data() + w.size()) return JsonError(400, "workno must be a number");
      if (!model_.RemoveAgent(workno)) return JsonError(404, "no such agent");
      return JsonResponse(200, R"({"removed":)" + std::to_string(workno) + "}");
    }
    if (route == "add_skill" || route == "remove_skill") return SkillControl(route, req);
    if (route == "unlock") {
      std::lock_guard lock(mu_);
      lockout_.Clear();
      return JsonResponse(200, R"({"unlocked":true})");
    }
    return std::nullopt;
  }

 private:
  static std::optional<int> IntParam(const http::Request& req, std::string_view key) {
    const std::string v = req.Param(key);
    int n = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || ptr != v.data() + v.size()) return std::nullopt;
    return n;
  }

  // Skill queues added and retired at runtime, as an administrator does.
  http::Response SkillControl(std::string_view route, const http::Request& req) {
    const auto id = IntParam(req, "id");
    if (!id) return JsonError(400, "id must be a number");
    if (route == "remove_skill") {
      if (!model_.RemoveSkill(*id)) return JsonError(404, "no such skill");
      return JsonResponse(200, R"({"removed":)" + std::to_string(*id) + "}");
    }
    const auto media = req.Param("media").empty() ? std::optional<int>(5) : IntParam(req, "media");
    if (!media || *media < 0) return JsonError(400, "media must be a media-type code");
    const std::string name = req.Param("name").empty() ? "Skill " + std::to_string(*id) : req.Param("name");
    if (!model_.AddSkill(*id, *media, name)) return JsonError(409, "id outside 1-10000 or already a skill");
    return JsonResponse(200, R"({"added":)" + std::to_string(*id) + "}");
  }

  // nullopt: the request may proceed; else the 401/403 to send.
  std::optional<http::Response> Authenticate(const http::Request& req) {
    const std::string ip = ClientIp(req.remote);
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    ++counters_.requests;
    if (lockout_.Locked(ip, now)) {
      ++counters_.forbidden;
      return JsonResponse(403, RenderHuaweiAuthError(403, WallMs()));
    }
    const auto verdict = VerifyAuthV2(req, settings_.access_key, settings_.secret_key, std::chrono::system_clock::now(),
                                      settings_.max_skew);
    if (verdict == AuthVerdict::ok) {
      lockout_.Succeed(ip);
      ++counters_.ok;
      if (FindHuaweiRoute(req.path)) ++counters_.served[req.path];
      return std::nullopt;
    }
    ++counters_.unauthorized;
    counters_.last_failure = std::string(ToString(verdict));
    if (lockout_.Fail(ip, now)) {
      ++counters_.locks;
      log::Info("huawei_cec: IP locked after repeated bad signatures", {{"ip", ip}});
    }
    return JsonResponse(401, RenderHuaweiAuthError(401, WallMs()));
  }

  const HuaweiSettings settings_;
  HuaweiCecModel model_;
  mutable std::mutex mu_;  // lockout_ and counters_
  IpLockout lockout_;
  HuaweiAuthCounters counters_;
};

}  // namespace

std::unique_ptr<VendorSim> MakeSim(const SimOptions& options) {
  constexpr std::string_view kVendor = "huawei_cec";
  CheckSettings(options, kVendor,
                {"access_key", "secret_key", "cc_id", "vdn", "lock_after", "lock_s", "max_skew_s", "listing_forms"});
  HuaweiSettings s;
  s.access_key = StringSetting(options, "access_key", "sim-ak");
  s.secret_key = StringSetting(options, "secret_key", "sim-sk-change-me");
  if (s.access_key.empty() || s.access_key.find('/') != std::string::npos) {
    throw std::invalid_argument("huawei_cec.access_key must be non-empty and without '/'");
  }
  s.vdn.cc_id = IntSetting(options, kVendor, "cc_id", 1, 1, 65535);
  s.vdn.vdn = IntSetting(options, kVendor, "vdn", 1, 1, 5000);
  const std::string forms = StringSetting(options, "listing_forms", "both");
  if (forms == "flat") {
    s.vdn.listing_forms = HuaweiBodyForms::flat;
  } else if (forms == "query_param") {
    s.vdn.listing_forms = HuaweiBodyForms::query_param;
  } else if (forms != "both") {
    throw std::invalid_argument("huawei_cec.listing_forms must be both, flat or query_param");
  }
  s.lock_after = static_cast<int>(IntSetting(options, kVendor, "lock_after", 5, 1, 1000));
  s.lock_time = std::chrono::seconds(IntSetting(options, kVendor, "lock_s", 60, 1, 86400));
  // The notes leave the allowed clock skew open; 15 minutes is the usual
  // choice of signed-request schemes.
  s.max_skew = std::chrono::seconds(IntSetting(options, kVendor, "max_skew_s", 900, 0, 86400));
  return std::make_unique<HuaweiCecSim>(options, std::move(s));
}

}  // namespace cc::sim::huawei_cec
