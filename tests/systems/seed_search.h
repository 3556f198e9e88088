#pragma once
// Seed searches over run_scenario, shared by every system's bug and run tests: what a
// `faultline campaign` reports, judged in process. A seed "detects" when an invariant broke
// or a claim the scenario makes was violated; a claim it does not make (`claimed = false`)
// never counts, as in the campaign's table.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "framework/cli/builtins.h"
#include "framework/run.h"

namespace faultline::seed_search {

struct SeedOutcome {
  bool detected = false;
  std::string why;  // the invariant or the violated claims' summaries
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
  int seeds_run = 0;
  double wall_s = 0;
  std::string why;
};

// The seeds a many-seed test runs in this build: all of them, or a quarter under
// AddressSanitizer, whose stage looks for memory and UB errors on the paths the first seeds
// already reach (every seed is about 6 times slower there); the release stage runs them all.
inline int seeds_for_this_build(int seeds) {
#if defined(__SANITIZE_ADDRESS__)
  return seeds / 4;
#else
  return seeds;
#endif
}

// Runs seeds 1..max_seeds until one detects.
inline CampaignOutcome campaign(const std::function<Scenario(uint64_t)>& make, int max_seeds) {
  CampaignOutcome out;
  const auto begin = std::chrono::steady_clock::now();
  for (uint64_t seed = 1; seed <= static_cast<uint64_t>(max_seeds); ++seed) {
    ++out.seeds_run;
    SeedOutcome seed_outcome = run_seed(make(seed));
    if (!seed_outcome.detected) continue;
    out.first_seed = seed;
    out.why = seed_outcome.why;
    break;
  }
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return out;
}

}  // namespace faultline::seed_search
