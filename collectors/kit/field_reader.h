#pragma once
// Reading the fields of one vendor JSON object so that one bad value costs
// only its own series: a value that is present but unusable (wrong type, not
// a number, out of range) gives no value and is recorded by name, for the
// collector's "fields not understood" report (kit/unusable_fields_report.h).
// Pure; a reader is used by one thread at a time.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/kit/json.h"

namespace cc::kit {

// Fields present but unusable, as "<prefix><key>", e.g. "agents.6103.status".
using UnusableFields = std::vector<std::string>;

// The values a number may take; one outside is unusable, like a non-number.
enum class Range {
  any,
  non_negative,  // counts, counters, durations, timestamps
  unit,          // ratios: 0 ≤ v ≤ 1
};

// One key, or the spellings one field has across vendor versions
// (workno/workNo): the first present one wins. Only valid during the call it
// is passed to.
class Keys {
 public:
  Keys(const char* key) : one_(key) {}  // NOLINT: implicit on purpose
  Keys(std::initializer_list<const char*> keys) : many_(keys) {}
  const char* const* begin() const { return many_.size() ? many_.begin() : &one_; }
  const char* const* end() const { return many_.size() ? many_.end() : &one_ + 1; }

 private:
  const char* one_ = nullptr;
  std::initializer_list<const char*> many_;
};

class FieldReader {
 public:
  // Vendor values meaning "no value" besides absent, null and a blank string
  // (how PHP renders a missing value): no series and nothing to report.
  using NonePredicate = bool (*)(const Value&);

  // `obj` must outlive the reader; unusable fields are appended to `unusable`.
  FieldReader(const Value& obj, std::string prefix, UnusableFields& unusable, NonePredicate is_none = nullptr);

  // The first of `keys` that carries a value (see NonePredicate); null if none does.
  const Value* Get(Keys keys) const;

  // 3 or "3", finite and within `range`.
  std::optional<double> Number(Keys keys, Range range = Range::any);
  // `parse(value)` → a number, or nullopt for unusable; then checked against `range`.
  template <class Parse>
  std::optional<double> Parsed(Keys keys, Parse parse, Range range = Range::any) {
    const char* key = nullptr;
    const Value* v = Find(keys, &key);
    if (v == nullptr) return std::nullopt;
    return Checked(key, parse(*v), range);
  }
  // true/false, 1/0, "true"/"false"/"1"/"0".
  std::optional<bool> Bool(Keys keys);
  // A string (trimmed) or a number written as text; empty when absent.
  std::string Text(Keys keys);
  // A non-empty id: "90" (trimmed) or 90. Absent → nullopt; anything else is
  // also nullopt and recorded.
  std::optional<std::string> Id(Keys keys);

  // Records "<prefix><key>" as unusable.
  void Unusable(std::string_view key);

 private:
  const Value* Find(Keys keys, const char** found) const;
  std::optional<double> Checked(const char* key, std::optional<double> v, Range range);

  const Value& obj_;
  std::string prefix_;
  UnusableFields& unusable_;
  NonePredicate is_none_;
};

}  // namespace cc::kit
