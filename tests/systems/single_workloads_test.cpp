// The single store under every workload: the correct build keeps every claim under every
// fault, and each planted bug is caught by the checker of its workload (issue 8, "a reference
// system for the new claims").
#include <gtest/gtest.h>

#include "framework/cli/builtins.h"
#include "framework/simulate.h"

namespace faultline {
namespace {

Scenario single_scenario(const std::string& workload, uint64_t seed) {
  Scenario s;
  s.system = "single";
  s.workload = workload;
  s.node_count = 1;
  s.seed = seed;
  s.time_ns = 4'000'000'000;
  s.nemesis_interval_ns = 500'000'000;
  s.nemesis = {"partition", "kill", "crash", "pause", "clock"};
  return s;
}

RunResult run(const Scenario& scenario) {
  auto simulation = simulate(scenario, cli::builtin_registry(), {.failure_dir = ""});
  EXPECT_TRUE(simulation) << (simulation ? "" : simulation.error().message);
  return std::move(simulation).value().run;
}

class EveryWorkload : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryWorkload, CorrectStoreKeepsEveryClaimUnderEveryFault) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    RunResult result = run(single_scenario(GetParam(), seed));
    ASSERT_GE(result.claims.size(), 2u);
    for (const auto& claim : result.claims)
      EXPECT_EQ(claim.result.verdict, Verdict::valid) << GetParam() << " seed " << seed << " " << claim.claim.name
                                                      << ": " << claim.result.summary;
  }
}

TEST_P(EveryWorkload, DuplicatedAndLostMessagesChangeNothing) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Scenario scenario = single_scenario(GetParam(), seed);
    scenario.nemesis = {"flaky"};
    scenario.link.duplicate_probability = 0.2;
    scenario.link.loss_probability = 0.05;
    // Liveness is claimed for the loss-free network the heal restores: not judged here.
    for (const auto& claim : run(scenario).claims)
      EXPECT_EQ(claim.result.verdict, claim.claim.checker == "liveness" ? Verdict::unknown : Verdict::valid)
          << GetParam() << " seed " << seed << " " << claim.claim.name << ": " << claim.result.summary;
  }
}

INSTANTIATE_TEST_SUITE_P(Single, EveryWorkload, ::testing::Values("register", "set", "counter", "session", "append"));

// The first seed whose run violates `claim`, among 1..max_seed; 0 when none does.
uint64_t first_failing_seed(Scenario scenario, const std::string& claim, uint64_t max_seed) {
  for (uint64_t seed = 1; seed <= max_seed; ++seed) {
    scenario.seed = seed;
    for (const auto& outcome : run(scenario).claims)
      if (outcome.claim.name == claim && outcome.result.verdict == Verdict::invalid) return seed;
  }
  return 0;
}

TEST(SingleBugs, LostAddIsCaughtBySetFullUnderCrashes) {
  Scenario scenario = single_scenario("set", 1);
  scenario.nemesis = {"crash"};
  scenario.bug = "single.lost-add";
  EXPECT_NE(first_failing_seed(scenario, "set-full", 20), 0u);
}

TEST(SingleBugs, DoubleIncrementIsCaughtByTheCounterCheckerUnderPauses) {
  Scenario scenario = single_scenario("counter", 1);
  scenario.nemesis = {"pause"};
  scenario.bug = "single.double-increment";
  EXPECT_NE(first_failing_seed(scenario, "counter", 20), 0u);
}

TEST(SingleBugs, LostAddWithoutFaultsIsNotReported) {
  // No restart, no recovery: the planted off-by-one never runs, and nothing is reported.
  Scenario scenario = single_scenario("set", 1);
  scenario.nemesis = {"pause"};
  scenario.bug = "single.lost-add";
  EXPECT_EQ(first_failing_seed(scenario, "set-full", 10), 0u);
}

}  // namespace
}  // namespace faultline
