#pragma once
// Campaigns over run_scenario for the Raft store: a register workload with faults, the
// Raft invariants checked after every event, and the linearizability claim judged at the
// end. A seed "detects" when an invariant broke or a claim was violated.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "framework/cli/builtins.h"
#include "framework/run.h"

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

struct SeedOutcome {
  bool detected = false;
  std::string why;  // the invariant or the claim summary
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
    if (claim.result.verdict != Verdict::invalid) continue;
    out.detected = true;
    out.why += (out.why.empty() ? "" : "; ") + claim.claim.name + ": " + claim.result.summary;
  }
  return out;
}

struct CampaignOutcome {
  std::optional<uint64_t> first_seed;  // the first seed that detected, if any
  int seeds_run = 0;
  double wall_s = 0;
  std::string why;
};

// Runs seeds 1..max_seeds until one detects.
inline CampaignOutcome campaign(const std::function<Scenario(uint64_t)>& make, int max_seeds) {
  CampaignOutcome out;
  const auto begin = std::chrono::steady_clock::now();
  for (uint64_t seed = 1; seed <= static_cast<uint64_t>(max_seeds); ++seed) {
    ++out.seeds_run;
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

}  // namespace faultline::raft::testing
