#pragma once
// Looking for text in what the daemon wrote (exposition, logs, HTML).

#include <cstddef>
#include <string_view>

namespace cc::test {

inline bool Contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

// How often `needle` occurs in `text`, overlapping occurrences included.
inline std::size_t Occurrences(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

}  // namespace cc::test
