#pragma once
// What every fuzz target needs: the input as text.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cc::fuzz {

inline std::string_view Text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace cc::fuzz
