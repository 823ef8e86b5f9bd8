#pragma once
// Prometheus' HTTP API (v1) as the end-to-end tests read it: instant queries
// and active alerts, over plain HTTP to a Prometheus on loopback.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cc::test {

using LabelSet = std::map<std::string, std::string>;

struct QueryResult {
  bool ok = false;                                  // HTTP 200 and status "success"
  std::string error;                                // Prometheus' errorType: error, or the transport error
  std::vector<std::pair<LabelSet, double>> series;  // a vector result; a scalar is one series without labels
};

// GET /api/v1/query?query=EXPR at the current time. `prom` is "host:port".
QueryResult Query(const std::string& prom, const std::string& expr);

// The series of an instant query (empty on error).
std::vector<std::pair<LabelSet, double>> Series(const std::string& prom, const std::string& expr);

// The single value of an instant query, or nullopt (no result yet, several, or an error).
std::optional<double> Value(const std::string& prom, const std::string& expr);

// GET /api/v1/alerts: the labels of every pending or firing alert, with the
// alert's state added as label "alertstate" (pending or firing).
std::vector<LabelSet> ActiveAlerts(const std::string& prom);

}  // namespace cc::test
