#pragma once
// The skill queues of a VDN as CC-CMS lists them (`configures/skills`,
// docs/vendors/huawei_cec.md "Skill discovery"; Huawei AICC CC-CMS Interface
// Reference §4.1.1.9): the request body in both forms the documents show, the
// parser of the answer, the call media-type names (Interface Reference §5.4)
// and the choice of the skills to poll. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/kit/field_reader.h"
#include "common/result.h"

namespace cc::huawei_cec {

// One listed queue.
struct ListedSkill {
  std::int64_t id = 0;            // the skill id the monitoring calls take, 1–10000
  std::optional<int> media_type;  // call media-type code; nullopt when absent or unusable
  std::string name;               // free text (often Chinese); "" when absent
};

// The table shows ccId and vdn flat, its example wraps them in queryParam.
enum class BodyForm { flat, query_param };

std::string SkillListBody(std::int64_t cc_id, std::int64_t vdn, BodyForm form);

// CC-CMS' "invalid parameter" result code: the answer to a body form the
// server does not take.
inline constexpr std::string_view kInvalidParameterCode = "0100002";

// The listing in `resultDesc` (else `resultDatas`). An element without a usable
// id (1–10000) is dropped and recorded in `unusable`, as are unusable media
// types; a repeated id keeps its first element. Errors: the envelope's failure
// code (resultDesc then a string) is vendor_error, and `*failure_code` (when
// given) is set to it, so the caller can tell kInvalidParameterCode; bytes
// that are not the documented shape are parse.
Result<std::vector<ListedSkill>> ParseSkillList(std::string_view body, kit::UnusableFields* unusable = nullptr,
                                                std::string* failure_code = nullptr);

// Call media types, §5.4: 5 → "voice", 51 → "web_chat"; a code without a
// documented name as its number ("77").
std::string CallMediaName(int code);
// The code of a name CallMediaName gives, or of a number written as text; nullopt otherwise.
std::optional<int> CallMediaCode(std::string_view name_or_code);

// The skill ids to poll: every listed skill (in listing order) when
// `configured` is empty, else the configured ones (in their order); and, when `media_types`
// is not empty, only those listed with one of these media types (a configured
// skill the listing does not have is then left out: its media type is unknown).
std::vector<std::int64_t> SelectSkills(std::span<const ListedSkill> listed, std::span<const std::int64_t> configured,
                                       std::span<const int> media_types);

}  // namespace cc::huawei_cec
