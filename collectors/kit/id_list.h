#pragma once
// Reading a vendor's list of ids from the configuration (queues, campaigns,
// skills) with one set of rules: no empty id, no control characters, no id
// listed twice. Start-up only: errors throw ConfigError via ConfigNode::Fail.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_node.h"

namespace cc::kit {

struct IdListRules {
  std::string_view noun;      // "queue", "campaign": names one id in messages
  bool allow_spaces = false;  // names (campaigns) may hold spaces; numbers may not
};

// `key` as a list of strings; absent → empty.
std::vector<std::string> ReadIdList(ConfigNode& node, const std::string& key, IdListRules rules);

// `key` as a list of integers within [min, max]; absent → empty.
std::vector<std::int64_t> ReadIntIdList(ConfigNode& node, const std::string& key, std::string_view noun,
                                        std::int64_t min, std::int64_t max);

}  // namespace cc::kit
