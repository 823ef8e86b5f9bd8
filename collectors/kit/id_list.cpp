#include "collectors/kit/id_list.h"

#include <set>

namespace cc::kit {

std::vector<std::string> ReadIdList(ConfigNode& node, const std::string& key, IdListRules rules) {
  std::vector<std::string> ids = node.StringList(key);
  const std::string noun(rules.noun);
  std::set<std::string_view> seen;
  for (const std::string& id : ids) {
    if (id.empty()) node.Fail(key, "a " + noun + " must not be empty");
    for (unsigned char c : id) {
      if (c < 0x20 || c == 0x7f) node.Fail(key, noun + " \"" + id + "\" contains control characters");
      if (c == ' ' && !rules.allow_spaces) node.Fail(key, noun + " \"" + id + "\" contains a space");
    }
    if (!seen.insert(id).second) node.Fail(key, noun + " \"" + id + "\" is listed twice");
  }
  return ids;
}

std::vector<std::int64_t> ReadIntIdList(ConfigNode& node, const std::string& key, std::string_view noun,
                                        std::int64_t min, std::int64_t max) {
  std::vector<std::int64_t> ids = node.IntList(key);
  std::set<std::int64_t> seen;
  for (std::int64_t id : ids) {
    const std::string text = std::string(noun) + " " + std::to_string(id);
    if (id < min || id > max) {
      node.Fail(key, text + " is outside " + std::to_string(min) + "-" + std::to_string(max));
    }
    if (!seen.insert(id).second) node.Fail(key, text + " is listed twice");
  }
  return ids;
}

}  // namespace cc::kit
