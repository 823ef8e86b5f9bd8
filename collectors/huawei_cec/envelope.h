#pragma once
// The CC-CMS response envelope (docs/vendors/api/huawei_cec.md §1): success is
// resultCode "0100000", or result "0" when there is no resultCode; the payload
// is resultDesc, else its compatibility copy resultDatas. On failure resultDesc
// is a message ("Invalid parameter"). Pure; thread-safe.

#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "common/result.h"

namespace cc::huawei_cec {

// The payload (an array or object inside `doc`). Errors: a failure code is
// vendor_error "CC-CMS request failed: resultCode 0100002 (Invalid parameter)",
// and `*failure_code` (when given) is set to the code as sent; no code or no
// payload is parse.
Result<const rapidjson::Value*> Payload(const rapidjson::Document& doc, std::string_view body,
                                        std::string* failure_code = nullptr);

}  // namespace cc::huawei_cec
