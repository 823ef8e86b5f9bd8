#pragma once
// The base of every integration test: one simulator process, one exporter
// process configured with targets pointing at it, and the calls tests make on
// both (scrape, poll counting, faults, the simulator's state).

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/integration/harness.h"

namespace cc::test {

class SimExporterTest : public ::testing::Test {
 protected:
  // Starts the simulator on free ports, plain HTTP and HTTPS (the fixture
  // certificate for 127.0.0.1 and localhost, tests/fixtures/tls/ca.pem), with
  // `args` after the listen flags.
  void StartSim(const std::vector<std::string>& args);
  // Starts the exporter with `targets` (YAML list items under `targets:`) and
  // `extra_args` after the usual flags, and waits for /-/ready.
  void StartExporter(const std::string& targets, const std::vector<std::string>& extra_args = {});

  // The config file's text for `targets`: 1 s polls.
  std::string Config(const std::string& targets) const;
  // The CA that signed the simulator's HTTPS certificate.
  static std::string CaFile();

  Exposition Scrape(const std::string& target = "/metrics");
  // callcenter_polls_total of a one-collector target, -1 when absent.
  double Polls(const std::string& target);
  // callcenter_polls_total of one collector in `m`, -1 when absent.
  static double PollsOf(const Exposition& m, const std::string& target, const std::string& collector);
  // Waits until every collector of `target` finished a poll that started
  // after this call.
  void WaitForFreshPoll(const std::string& target);
  void SetFault(const std::string& mode);
  rapidjson::Document SimState();

  TempDir dir_;
  std::unique_ptr<Process> sim_;
  std::unique_ptr<Process> exporter_;
  std::string sim_addr_;      // host:port, plain HTTP
  std::string sim_tls_addr_;  // host:port, HTTPS
  std::string addr_;          // the exporter's
  std::string config_;        // the exporter's config file
};

}  // namespace cc::test
