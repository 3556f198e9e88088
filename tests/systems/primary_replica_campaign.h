#pragma once
// Scenarios for the primary-replica store's bug and run tests, with the flags of the
// `faultline campaign` commands recorded in docs/benchmarks.md (the CLI's defaults unless a
// test sets more).
#include <optional>
#include <string>
#include <vector>

#include "framework/run.h"
#include "tests/systems/seed_search.h"

namespace faultline::primary_replica::testing {

inline Scenario pr_scenario(uint64_t seed, std::string workload, std::vector<std::string> nemesis,
                            Json params = Json::object(), std::optional<std::string> bug = std::nullopt) {
  Scenario s;
  s.system = "primary-replica";
  s.workload = std::move(workload);
  s.nemesis = std::move(nemesis);
  s.seed = seed;
  s.system_params = std::move(params);
  s.bug = std::move(bug);
  s.check_invariants = true;
  return s;
}

using seed_search::campaign;
using seed_search::CampaignOutcome;
using seed_search::run_seed;
using seed_search::SeedOutcome;

}  // namespace faultline::primary_replica::testing
