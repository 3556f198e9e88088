#pragma once
// The command-line flags that describe a scenario, shared by run, campaign and shrink. The
// plain settings come from the scenario field table (framework/scenario_fields.h); the ones
// with registry meaning (system, workload, nemesis, mix, bug, --param) are added here.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "framework/registry.h"
#include "framework/scenario.h"

namespace faultline::cli {

struct ScenarioFlags {
  std::string system = "single";
  std::optional<std::string> workload;  // the system's first workload when absent
  std::optional<std::string> nemesis;    // comma-separated fault packages
  std::optional<std::string> mix;
  std::optional<std::string> bug;
  std::string runtime = kRuntimeSim;
  std::vector<std::string> params;            // --param key=value, repeatable
  std::map<std::string, std::string> given;  // table fields given, by flag: their text
};

// "partition:leader,kill" -> {"partition:leader", "kill"}; an empty item is an error.
Result<std::vector<std::string>> split_packages(const std::string& text);

void add_scenario_flags(CLI::App& command, ScenarioFlags& flags, const Registry& registry);
// The scenario, with every default filled in (so its header replays it exactly), checked
// against the registry: an unknown name or a bad value is an error naming its flag.
Result<Scenario> to_scenario(const ScenarioFlags& flags, const Registry& registry);

}  // namespace faultline::cli
