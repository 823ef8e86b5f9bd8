// MixCall as a VendorSim: the model, its queueinfo route and the agent
// membership controls.

#include <cctype>
#include <charconv>

#include "tools/sim/mixcall/api.h"
#include "tools/sim/mixcall/model.h"
#include "tools/sim/vendor_sim.h"

namespace cc::sim::mixcall {
namespace {

// Only characters that need no JSON escaping get echoed back.
bool Plain(std::string_view s) {
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

class MixcallSim final : public VendorSim {
 public:
  explicit MixcallSim(const SimOptions& o) : model_(MixcallOptions{o.queues, o.agents, o.seed}) {}

  std::string_view name() const override { return "mixcall"; }
  std::string Describe() const override {
    return "MixCall: GET /admin/?m=interface&c=api&a=queueinfo[&queue=90]\n"
           "  control: POST /_sim/mixcall/remove_agent?exten=E, /_sim/mixcall/add_agent?queue=Q&exten=E,\n"
           "           /_sim/mixcall/set_dnd?exten=E&dnd=N&seconds=S\n";
  }
  bool Owns(const http::Request& req) const override { return IsMixcallPath(req.path); }
  http::Response Handle(const http::Request& req) override { return HandleMixcallApi(req, model_); }
  void Advance(std::chrono::milliseconds dt) override { model_.Advance(dt); }
  void SetPaused(bool paused) override { model_.SetPaused(paused); }
  std::string StateJson() const override { return RenderMixcallState(model_.Queues()); }

  std::optional<http::Response> Control(std::string_view route, const http::Request& req) override {
    if (route == "remove_agent") {
      std::string exten = req.Param("exten");
      if (!model_.RemoveAgent(exten)) return JsonError(404, "no such agent");
      return JsonResponse(200, R"({"removed":")" + (Plain(exten) ? exten : "") + "\"}");
    }
    if (route == "add_agent") {
      std::string queue = req.Param("queue"), exten = req.Param("exten");
      switch (model_.AddAgent(queue, exten)) {
        case MixcallModel::AddResult::added:
          return JsonResponse(200, R"({"added":")" + exten + R"(","queue":")" + (Plain(queue) ? queue : "") + "\"}");
        case MixcallModel::AddResult::already_member: return JsonError(409, "already a member of that queue");
        case MixcallModel::AddResult::no_such_queue: return JsonError(404, "no such queue");
        case MixcallModel::AddResult::bad_exten: return JsonError(400, "exten must be 1-32 letters or digits");
      }
    }
    if (route == "set_dnd") return SetDnd(req);
    return std::nullopt;
  }

 private:
  http::Response SetDnd(const http::Request& req) {
    const std::string exten = req.Param("exten");
    int dnd = -1, seconds = -1;
    const std::string dnd_text = req.Param("dnd"), seconds_text = req.Param("seconds");
    std::from_chars(dnd_text.data(), dnd_text.data() + dnd_text.size(), dnd);
    std::from_chars(seconds_text.data(), seconds_text.data() + seconds_text.size(), seconds);
    if (dnd < 0 || seconds < 0) return JsonError(400, "dnd and seconds must be whole numbers >= 0");
    if (!model_.SetDnd(exten, dnd, std::chrono::seconds(seconds))) return JsonError(404, "no such agent");
    return JsonResponse(200, R"({"dnd":)" + std::to_string(dnd) + "}");
  }

  MixcallModel model_;
};

}  // namespace

std::unique_ptr<VendorSim> MakeSim(const SimOptions& options) {
  CheckSettings(options, "mixcall", {});
  return std::make_unique<MixcallSim>(options);
}

}  // namespace cc::sim::mixcall
