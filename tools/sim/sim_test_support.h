#pragma once
// What the simulator's unit tests share: the seed documents and JSON checks.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace cc::sim::test {

// A vendor document of tests/fixtures/seeds, whole; a missing or empty one fails the test.
inline std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(CC_SEEDS) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << "missing seed document tests/fixtures/seeds/" << name;
  return ss.str();
}

// The JSON value that starts at `marker` in `text` (a marker that is not
// itself JSON, such as a heading, skips to the next '{').
inline rapidjson::Document JsonAt(const std::string& text, const std::string& marker) {
  rapidjson::Document d;
  auto at = text.find(marker);
  EXPECT_NE(at, std::string::npos) << marker;
  if (at == std::string::npos) return d;
  if (text[at] != '{' && text[at] != '[') at = text.find('{', at);
  d.Parse<rapidjson::kParseStopWhenDoneFlag>(text.c_str() + at);
  EXPECT_FALSE(d.HasParseError()) << marker;
  return d;
}

inline rapidjson::Document Parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  EXPECT_FALSE(d.HasParseError()) << body;
  return d;
}

// The member names of an object, in order.
inline std::vector<std::string> Keys(const rapidjson::Value& obj) {
  std::vector<std::string> out;
  for (const auto& m : obj.GetObject()) out.emplace_back(m.name.GetString());
  return out;
}

}  // namespace cc::sim::test
