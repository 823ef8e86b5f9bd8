#pragma once
// The yunhu PhalApi interface over the model and the token store: one entry
// point, `service=App.<Class>.<Action>` in the form body (or the query, as
// PHP's $_REQUEST allows), the {"ret":…,"data":…,"msg":…} envelope rendered
// as PHP's json_encode() does, and /_sim/state's "yunhu" value.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"
#include "tools/sim/yunhu/auth.h"
#include "tools/sim/yunhu/model.h"

namespace cc::sim::yunhu {

// The PhalApi entry point (docs/vendors/api/yunhu.md: http://platform…/api/yunhu).
inline constexpr std::string_view kYunhuApiPath = "/api/yunhu";
// The separate bill interface (appid/accesskey, its own envelope).
inline constexpr std::string_view kYunhuCdrsPath = "/api/cdrs";

// Requests per service, as clients sent them, so tests can see that an
// exporter calls nothing but what it should (no write API, no GetBill).
class YunhuCalls {
 public:
  void Count(std::string_view service);
  std::map<std::string, std::uint64_t> Get() const;
  std::uint64_t ret_600() const;
  void CountRet600();

 private:
  static constexpr std::size_t kMaxNames = 64;  // further names count as "(other)"
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> calls_;
  std::uint64_t ret_600_ = 0;
};

// The GetQueueSipStatus rows of `queues` in the seed's field order; `now_s`
// fills reqtime and rsptime.
std::string RenderQueueSipStatus(const std::vector<YunhuQueueView>& queues, std::int64_t now_s);

// The value of "yunhu" in /_sim/state (shape in tools/sim/yunhu/README.md).
std::string RenderYunhuState(const std::vector<YunhuQueueView>& queues, std::int64_t now_s, const YunhuAuth& auth,
                             const YunhuCalls& calls);

bool IsYunhuPath(std::string_view path);
http::Response HandleYunhuApi(const http::Request& req, const YunhuModel& model, YunhuAuth& auth, YunhuCalls& calls);

}  // namespace cc::sim::yunhu
