#pragma once
// Scenarios for the Raft store's bug and run tests: a register workload with faults, the Raft
// invariants checked after every event, the linearizability claim judged at the end.
#include <optional>
#include <string>
#include <vector>

#include "framework/run.h"
#include "tests/systems/seed_search.h"

namespace faultline::raft::testing {

inline Scenario raft_scenario(uint64_t seed, std::vector<std::string> nemesis,
                              std::optional<std::string> bug = std::nullopt, int nodes = 3) {
  Scenario s;
  s.system = "raft";
  s.nemesis = std::move(nemesis);
  s.seed = seed;
  s.node_count = nodes;
  s.time_ns = 6'000'000'000;
  s.nemesis_interval_ns = 1'000'000'000;
  s.quiesce_ns = 2'000'000'000;
  s.concurrency = 5;
  s.key_count = 3;
  s.rate_hz = 50;
  s.bug = std::move(bug);
  s.check_invariants = true;
  return s;
}

using seed_search::campaign;
using seed_search::CampaignOutcome;
using seed_search::run_seed;
using seed_search::SeedOutcome;

}  // namespace faultline::raft::testing
