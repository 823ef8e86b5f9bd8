#include "collectors/huawei_cec/listing.h"

#include <algorithm>
#include <set>
#include <utility>

#include <rapidjson/document.h>

#include "collectors/huawei_cec/envelope.h"
#include "collectors/kit/json.h"

namespace cc::huawei_cec {
namespace {

using namespace cc::kit;

constexpr std::int64_t kMaxSkillId = 10000;  // AICC 25.300.0 and later

struct MediaName {
  int code;
  std::string_view name;
};

// Interface Reference §5.4 (call media types). 12 and 13 are both "ISDN
// video" there and 23 is the table's size: they stay numbers.
constexpr MediaName kMediaNames[] = {{1, "chat"},
                                     {2, "click_to_dial"},
                                     {3, "escort"},
                                     {4, "callback"},
                                     {5, "voice"},
                                     {6, "email"},
                                     {7, "fax"},
                                     {8, "ip_video"},
                                     {9, "whiteboard"},
                                     {10, "app_share"},
                                     {11, "file_transfer"},
                                     {14, "ops"},
                                     {15, "predictive_outbound"},
                                     {16, "preview_outbound"},
                                     {17, "message"},
                                     {18, "click_to_dial_video"},
                                     {19, "video"},
                                     {20, "non_real_time"},
                                     {21, "desktop_share"},
                                     {22, "vc_call"},
                                     {50, "email_chat"},
                                     {51, "web_chat"},
                                     {52, "sms_chat"},
                                     {53, "social_chat"},
                                     {54, "fax_chat"},
                                     {55, "h5_video"}};

// One element; nullopt (recorded) when it has no usable id.
std::optional<ListedSkill> ParseListed(const Value& v, std::size_t index, UnusableFields& unusable) {
  FieldReader f(v, "skills[" + std::to_string(index) + "].", unusable);
  const auto id = f.Number("id", Range::non_negative);
  const auto whole = id ? IntegerCode(*id) : std::nullopt;
  if (!whole || *whole < 1 || *whole > kMaxSkillId) {
    f.Unusable("id");  // also when absent: a queue without its id cannot be polled
    return std::nullopt;
  }
  ListedSkill s;
  s.id = *whole;
  FieldReader named(v, "skill " + std::to_string(s.id) + ".", unusable);
  if (const auto media = named.Number({"mediaType", "mediatype"}, Range::non_negative)) {
    s.media_type = IntegerCode(*media);
    if (!s.media_type) named.Unusable("mediaType");
  }
  s.name = named.Text("name");
  return s;
}

}  // namespace

std::string SkillListBody(std::int64_t cc_id, std::int64_t vdn, BodyForm form) {
  const std::string fields = R"("ccId":)" + std::to_string(cc_id) + R"(,"vdn":)" + std::to_string(vdn);
  return form == BodyForm::flat ? "{" + fields + "}" : R"({"queryParam":{)" + fields + "}}";
}

Result<std::vector<ListedSkill>> ParseSkillList(std::string_view body, UnusableFields* unusable,
                                                std::string* failure_code) {
  UnusableFields ignored;
  UnusableFields& out = unusable ? *unusable : ignored;
  rapidjson::Document doc;
  if (auto error = ParseDocument(doc, body, "skill list", Echo::body, &out)) return *error;
  auto payload = Payload(doc, body, failure_code);
  if (!payload) return payload.error();
  const Value& p = **payload;
  if (!p.IsArray()) return ShapeError("skill list", "resultDesc is not an array", body);
  std::vector<ListedSkill> skills;
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < p.Size(); ++i) {
    if (!p[static_cast<rapidjson::SizeType>(i)].IsObject()) {
      return ShapeError("skill list", "element " + std::to_string(i) + " is not an object", body);
    }
    auto skill = ParseListed(p[static_cast<rapidjson::SizeType>(i)], i, out);
    if (skill && seen.insert(skill->id).second) skills.push_back(std::move(*skill));
  }
  return skills;
}

std::string CallMediaName(int code) {
  for (const MediaName& m : kMediaNames) {
    if (m.code == code) return std::string(m.name);
  }
  return std::to_string(code);
}

std::optional<int> CallMediaCode(std::string_view name_or_code) {
  for (const MediaName& m : kMediaNames) {
    if (m.name == name_or_code) return m.code;
  }
  const auto digits = Digits(name_or_code);
  if (!digits || *digits > 1000) return std::nullopt;
  return static_cast<int>(*digits);
}

std::vector<std::int64_t> SelectSkills(std::span<const ListedSkill> listed, std::span<const std::int64_t> configured,
                                       std::span<const int> media_types) {
  auto wanted = [&](std::int64_t id) {
    if (media_types.empty()) return true;
    auto it = std::find_if(listed.begin(), listed.end(), [&](const ListedSkill& s) { return s.id == id; });
    return it != listed.end() && it->media_type &&
           std::find(media_types.begin(), media_types.end(), *it->media_type) != media_types.end();
  };
  std::vector<std::int64_t> out;
  if (configured.empty()) {
    for (const ListedSkill& s : listed) {
      if (wanted(s.id)) out.push_back(s.id);
    }
  } else {
    for (std::int64_t id : configured) {
      if (wanted(id)) out.push_back(id);
    }
  }
  return out;
}

}  // namespace cc::huawei_cec
