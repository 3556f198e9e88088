#pragma once
// Campaigns over run_scenario for the Dynamo store, as `faultline campaign` runs them on
// default flags: 5 nodes, 10 s of faults, a named configuration (workload and params). A
// seed "detects" when an invariant broke or a claim the configuration makes was violated;
// a claim the configuration does not make never counts.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "framework/cli/builtins.h"
#include "framework/run.h"

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
  s.bug = std::move(bug);
  return s;
}

struct SeedOutcome {
  bool detected = false;
  std::string why;  // the invariant or the claims' summaries
  RunResult result;
};

inline SeedOutcome run_seed(const Scenario& scenario) {
  MemorySink sink;
  auto run = run_scenario(scenario, cli::builtin_registry(), sink);
  EXPECT_TRUE(run) << (run ? "" : run.error().message);
  SeedOutcome out;
  if (!run) return out;
  out.result = std::move(run).value();
  if (out.result.invariant_violation) {
    out.detected = true;
    out.why = "invariant: " + *out.result.invariant_violation;
  }
  for (const auto& claim : out.result.claims) {
    if (!claim.claim.claimed || claim.result.verdict != Verdict::invalid) continue;
    out.detected = true;
    out.why += (out.why.empty() ? "" : "; ") + claim.claim.name + ": " + claim.result.summary;
  }
  return out;
}

struct CampaignOutcome {
  std::optional<uint64_t> first_seed;  // the first seed that detected, if any
  double wall_s = 0;
  std::string why;
};

// Runs seeds 1..max_seeds until one detects.
inline CampaignOutcome campaign(const std::function<Scenario(uint64_t)>& make, int max_seeds) {
  CampaignOutcome out;
  const auto begin = std::chrono::steady_clock::now();
  for (uint64_t seed = 1; seed <= static_cast<uint64_t>(max_seeds); ++seed) {
    SeedOutcome seed_outcome = run_seed(make(seed));
    if (seed_outcome.detected) {
      out.first_seed = seed;
      out.why = seed_outcome.why;
      break;
    }
  }
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return out;
}

}  // namespace faultline::dynamo::testing
