#pragma once
// Scenarios for the Dynamo store's bug and run tests, as `faultline campaign` runs them on
// default flags: 5 nodes, 10 s of faults, a named configuration (workload and params).
#include <optional>
#include <string>
#include <vector>

#include "framework/run.h"
#include "tests/systems/seed_search.h"

namespace faultline::dynamo::testing {

struct DynamoConfiguration {
  std::string name;
  std::string workload;
  Json params;
};

inline Scenario dynamo_scenario(const DynamoConfiguration& configuration, uint64_t seed,
                                std::vector<std::string> nemesis, std::optional<std::string> bug = std::nullopt) {
  Scenario s;
  s.system = "dynamo";
  s.workload = configuration.workload;
  s.system_params = configuration.params;
  s.nemesis = std::move(nemesis);
  s.seed = seed;
  s.node_count = 5;
  // The correct build is held to the store's invariants after every event; a bug is found
  // as a user finds it, by the claims alone (the campaign's default flags).
  s.check_invariants = !bug.has_value();
  s.bug = std::move(bug);
  return s;
}

using seed_search::campaign;
using seed_search::CampaignOutcome;
using seed_search::run_seed;
using seed_search::SeedOutcome;

}  // namespace faultline::dynamo::testing
