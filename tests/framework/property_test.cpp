// The property-test API: rapidcheck generates scripted scenarios, simulate() judges them,
// and rapidcheck's shrinking reduces a failing script.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "framework/property/claims.h"
#include "framework/property/generators.h"
#include "framework/simulate.h"
#include "test_registry.h"

namespace faultline {
namespace {

using testing::single_registry;

Scenario single_base() {
  Scenario base;
  base.system = "single";
  base.nemesis = {};
  return base;
}

gen::ScriptShape single_shape() {
  gen::ScriptShape shape;
  shape.node_count = 1;
  shape.time_ns = 2'000'000'000;
  shape.max_ops = 60;
  shape.fault_kinds = {"kill", "crash", "pause"};
  return shape;
}

RC_GTEST_PROP(Property, SingleStoreKeepsItsClaimsUnderAnyFaultScript, ()) {
  Scenario scenario = *gen::scenario(single_base(), single_shape(), single_registry());
  property::assert_claims_hold(scenario, single_registry());
}

TEST(Property, GeneratedScriptsReplayIdentically) {
  rc::detail::TestParams params;
  params.maxSuccess = 20;
  auto result = rc::detail::checkTestable(
      [] {
        Scenario scenario = *gen::scenario(single_base(), single_shape(), single_registry());
        auto first = simulate(scenario, single_registry());
        auto second = simulate(scenario, single_registry());
        RC_ASSERT(first && second);
        RC_ASSERT(first.value().history_jsonl == second.value().history_jsonl);
      },
      rc::detail::TestMetadata{}, params);
  rc::detail::FailureResult failure;
  EXPECT_FALSE(result.match(failure)) << failure.description;
}

// rapidcheck finds the planted lost-write bug and shrinks its script: the final
// counterexample has fewer ops and faults than the first failing one.
TEST(Property, FindsAndShrinksAPlantedBug) {
  Scenario base = single_base();
  base.bug = single::kBugAckBeforeFsync;
  gen::ScriptShape shape = single_shape();
  shape.fault_kinds = {"crash"};
  std::vector<size_t> failing_sizes;  // ops + fault events of each failing case, in order
  rc::detail::TestParams params;
  params.maxSuccess = 200;
  params.seed = 42;
  auto result = rc::detail::checkTestable(
      [&] {
        Scenario scenario = *gen::scenario(base, shape, single_registry());
        auto simulation = simulate(scenario, single_registry());
        RC_ASSERT(simulation.has_value());
        if (simulation.value().run.any_claim_violated())
          failing_sizes.push_back(scenario.script->ops.size() + scenario.script->faults.size());
        RC_ASSERT(!simulation.value().run.any_claim_violated());
      },
      rc::detail::TestMetadata{}, params);
  rc::detail::FailureResult failure;
  ASSERT_TRUE(result.match(failure)) << "rapidcheck did not find the lost write";
  ASSERT_GE(failing_sizes.size(), 2u);
  size_t smallest = *std::min_element(failing_sizes.begin(), failing_sizes.end());
  EXPECT_LT(smallest, failing_sizes.front());
  // A crash and its stop, and the update it loses; rapidcheck may keep the one or two ops
  // that set up a cas as that update (it shrinks values, it cannot turn a cas into a write).
  EXPECT_LE(smallest, 5u);
}

}  // namespace
}  // namespace faultline
