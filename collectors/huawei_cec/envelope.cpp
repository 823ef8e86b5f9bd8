#include "collectors/huawei_cec/envelope.h"

#include <optional>

#include "collectors/kit/json.h"

namespace cc::huawei_cec {
namespace {

using namespace cc::kit;

constexpr std::string_view kSuccessCode = "0100000";

std::optional<std::string> CodeOf(const Value& v) {
  auto id = IdText(v);
  if (id && id->empty()) return std::nullopt;
  return id;
}

}  // namespace

Result<const Value*> Payload(const rapidjson::Document& doc, std::string_view body, std::string* failure_code) {
  if (!doc.IsObject()) return ShapeError("", "response is not a JSON object", body);
  const Value* code = Member(doc, "resultCode");
  const Value* result = Member(doc, "result");
  std::optional<std::string> text;
  bool ok = false;
  std::string failure;
  if (code != nullptr) {
    text = CodeOf(*code);
    ok = text == kSuccessCode;
    failure = "resultCode " + Snippet(text.value_or("?"));
  } else if (result != nullptr) {
    text = CodeOf(*result);
    ok = text == "0";
    failure = "result " + Snippet(text.value_or("?"));
  } else {
    return ParseError("response has neither `resultCode` nor `result`");
  }
  if (!ok) {
    if (failure_code != nullptr) *failure_code = text.value_or("");
    if (const Value* desc = Member(doc, "resultDesc"); desc != nullptr && desc->IsString()) {
      failure += " (" + Snippet(Str(*desc)) + ")";
    }
    return MakeError(Reason::vendor_error, "CC-CMS request failed: " + failure);
  }
  const Value* desc = Member(doc, "resultDesc");
  if (desc != nullptr && (desc->IsArray() || desc->IsObject())) return desc;
  const Value* datas = Member(doc, "resultDatas");
  if (datas != nullptr && (datas->IsArray() || datas->IsObject())) return datas;
  return ParseError("response has no `resultDesc` or `resultDatas` payload");
}

}  // namespace cc::huawei_cec
