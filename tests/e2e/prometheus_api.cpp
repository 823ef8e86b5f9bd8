#include "tests/e2e/prometheus_api.h"

#include <cctype>
#include <cstdio>

#include <rapidjson/document.h>

#include "tests/integration/harness.h"

namespace cc::test {
namespace {

std::string UrlEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

LabelSet Labels(const rapidjson::Value& obj) {
  LabelSet out;
  for (const auto& m : obj.GetObject()) {
    if (m.value.IsString()) out[m.name.GetString()] = m.value.GetString();
  }
  return out;
}

// The parsed body of an API answer whose status is "success", or the reason it is not.
bool Success(const HttpResult& r, rapidjson::Document& d, std::string& error) {
  if (r.status == 0) {
    error = r.error;
    return false;
  }
  d.Parse(r.body.c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("status")) {
    error = "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
    return false;
  }
  if (std::string(d["status"].GetString()) != "success") {
    error = d.HasMember("error") ? d["error"].GetString() : r.body.substr(0, 200);
    return false;
  }
  return true;
}

}  // namespace

QueryResult Query(const std::string& prom, const std::string& expr) {
  QueryResult out;
  rapidjson::Document d;
  if (!Success(Get(prom, "/api/v1/query?query=" + UrlEncode(expr)), d, out.error)) return out;
  out.ok = true;
  const auto& data = d["data"];
  const std::string type = data["resultType"].GetString();
  if (type == "scalar") {
    out.series.emplace_back(LabelSet{}, std::stod(data["result"][1].GetString()));
  } else if (type == "vector") {
    for (const auto& s : data["result"].GetArray()) {
      out.series.emplace_back(Labels(s["metric"]), std::stod(s["value"][1].GetString()));
    }
  } else {
    out.ok = false;
    out.error = "unexpected result type " + type;
  }
  return out;
}

std::vector<std::pair<LabelSet, double>> Series(const std::string& prom, const std::string& expr) {
  return Query(prom, expr).series;
}

std::optional<double> Value(const std::string& prom, const std::string& expr) {
  const QueryResult q = Query(prom, expr);
  if (!q.ok || q.series.size() != 1) return std::nullopt;
  return q.series[0].second;
}

std::vector<LabelSet> ActiveAlerts(const std::string& prom) {
  std::vector<LabelSet> out;
  rapidjson::Document d;
  std::string error;
  if (!Success(Get(prom, "/api/v1/alerts"), d, error)) return out;
  for (const auto& a : d["data"]["alerts"].GetArray()) {
    LabelSet labels = Labels(a["labels"]);
    labels["alertstate"] = a["state"].GetString();
    out.push_back(std::move(labels));
  }
  return out;
}

}  // namespace cc::test
