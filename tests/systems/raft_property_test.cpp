// The property-test API on the Raft store: rapidcheck's generated fault scripts find a
// planted Raft bug, and its shrinking reduces the failing script.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "framework/cli/builtins.h"
#include "framework/property/generators.h"
#include "framework/simulate.h"

namespace faultline {
namespace {

gen::ScriptShape raft_shape() {
  gen::ScriptShape shape;
  shape.node_count = 3;
  shape.concurrency = 3;
  shape.key_count = 1;
  shape.time_ns = 3'000'000'000;
  shape.max_ops = 30;
  shape.max_faults = 3;
  shape.fault_kinds = {"crash"};
  return shape;
}

Scenario raft_base(std::optional<std::string> bug) {
  Scenario base;
  base.system = "raft";
  base.bug = std::move(bug);
  base.check_invariants = true;
  return base;
}

struct Search {
  bool found = false;
  std::vector<size_t> failing_sizes;  // ops + fault events of each failing case, in order
};

Search search(const Scenario& base, int cases) {
  Search search;
  rc::detail::TestParams params;
  params.maxSuccess = cases;
  params.seed = 7;
  auto result = rc::detail::checkTestable(
      [&] {
        Scenario scenario = *gen::scenario(base, raft_shape(), cli::builtin_registry());
        auto simulation = simulate(scenario, cli::builtin_registry());
        RC_ASSERT(simulation.has_value());
        bool violated = simulation.value().run.any_claim_violated();
        if (violated) search.failing_sizes.push_back(scenario.script->ops.size() + scenario.script->faults.size());
        RC_ASSERT(!violated);
      },
      rc::detail::TestMetadata{}, params);
  rc::detail::FailureResult failure;
  search.found = result.match(failure);
  return search;
}

TEST(RaftProperty, FindsAndShrinksAckBeforeFsync) {
  Search found = search(raft_base("raft.ack-before-fsync"), 300);
  ASSERT_TRUE(found.found) << "300 generated fault scripts did not expose raft.ack-before-fsync";
  size_t smallest = *std::min_element(found.failing_sizes.begin(), found.failing_sizes.end());
  EXPECT_LT(smallest, found.failing_sizes.front());
}

TEST(RaftProperty, CorrectBuildPassesTheSameScripts) {
  EXPECT_FALSE(search(raft_base(std::nullopt), 300).found);
}

}  // namespace
}  // namespace faultline
