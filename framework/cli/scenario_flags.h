#pragma once
// The command-line flags that describe a scenario, shared by run, demo and campaigns.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "framework/registry.h"
#include "framework/scenario.h"

namespace faultline::cli {

struct ScenarioFlags {
  std::string system = "single";
  std::string workload = "register";
  std::vector<std::string> nemesis;
  uint64_t seed = 1;
  std::string time = "10s";
  std::string nemesis_interval = "2s";
  std::string quiesce = "2s";
  std::string op_timeout = "1s";
  std::string latency = "1ms";
  std::string jitter = "1ms";
  std::optional<int> node_count;  // the system's default when absent
  int concurrency = 5;
  int key_count = 3;
  int value_range = 5;
  double rate_hz = 50;
  std::string mix = "1:1:1";
  double loss_probability = 0;
  double duplicate_probability = 0;
  std::optional<std::string> bug;
  bool no_final_reads = false;
  bool codec_roundtrip = false;
  bool torn_writes = false;
  bool check_invariants = false;
};

void add_scenario_flags(CLI::App& command, ScenarioFlags& flags);
Result<Scenario> to_scenario(const ScenarioFlags& flags, const Registry& registry);

}  // namespace faultline::cli
