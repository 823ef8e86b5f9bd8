#include "collectors/kit/field_reader.h"

#include <charconv>
#include <cmath>

namespace cc::kit {
namespace {

bool InRange(double v, Range range) {
  switch (range) {
    case Range::any: return true;
    case Range::non_negative: return v >= 0;
    case Range::unit: return v >= 0 && v <= 1;
  }
  return false;
}

// Shortest text that reads back as `v` ("3.5", not "3.500000").
std::string NumberAsText(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

}  // namespace

FieldReader::FieldReader(const Value& obj, std::string prefix, UnusableFields& unusable, NonePredicate is_none)
    : obj_(obj), prefix_(std::move(prefix)), unusable_(unusable), is_none_(is_none) {}

const Value* FieldReader::Find(Keys keys, const char** found) const {
  for (const char* key : keys) {
    const Value* v = Member(obj_, key);
    if (v == nullptr) continue;
    if (v->IsString() && Trim(Str(*v)).empty()) continue;
    if (is_none_ != nullptr && is_none_(*v)) continue;
    if (found != nullptr) *found = key;
    return v;
  }
  return nullptr;
}

const Value* FieldReader::Get(Keys keys) const { return Find(keys, nullptr); }

std::optional<double> FieldReader::Checked(const char* key, std::optional<double> v, Range range) {
  if (v && !std::isnan(*v) && InRange(*v, range)) return v;
  Unusable(key);
  return std::nullopt;
}

std::optional<double> FieldReader::Number(Keys keys, Range range) {
  return Parsed(
      keys, [](const Value& v) { return NumberOf(v); }, range);
}

std::optional<bool> FieldReader::Bool(Keys keys) {
  const char* key = nullptr;
  const Value* v = Find(keys, &key);
  if (v == nullptr) return std::nullopt;
  if (v->IsBool()) return v->GetBool();
  if (v->IsNumber() && (v->GetDouble() == 0 || v->GetDouble() == 1)) return v->GetDouble() == 1;
  if (v->IsString()) {
    const auto s = Trim(Str(*v));
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0") return false;
  }
  Unusable(key);
  return std::nullopt;
}

std::string FieldReader::Text(Keys keys) {
  const char* key = nullptr;
  const Value* v = Find(keys, &key);
  if (v == nullptr) return {};
  if (auto text = IdText(*v)) return *text;
  if (v->IsNumber() && std::isfinite(v->GetDouble())) return NumberAsText(v->GetDouble());
  Unusable(key);
  return {};
}

std::optional<std::string> FieldReader::Id(Keys keys) {
  const char* key = nullptr;
  const Value* v = Find(keys, &key);
  if (v == nullptr) return std::nullopt;
  auto id = IdText(*v);
  if (!id || id->empty()) {
    Unusable(key);
    return std::nullopt;
  }
  return id;
}

void FieldReader::Unusable(std::string_view key) { unusable_.push_back(prefix_ + std::string(key)); }

}  // namespace cc::kit
