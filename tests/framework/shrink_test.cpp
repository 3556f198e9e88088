#include <gtest/gtest.h>

#include <map>

#include "framework/shrink.h"
#include "test_registry.h"

namespace faultline {
namespace {

using testing::single_registry;

Scenario lost_write_scenario(uint64_t seed) {
  Scenario s;
  s.system = "single";
  s.node_count = 1;
  s.seed = seed;
  s.time_ns = 4'000'000'000;
  s.nemesis = {"crash", "pause"};
  s.nemesis_interval_ns = 700'000'000;
  s.rate_hz = 200;
  s.bug = single::kBugAckBeforeFsync;
  return s;
}

Simulation run(const Scenario& scenario) { return testing::simulate_single(scenario); }

uint64_t first_failing_seed() {
  for (uint64_t seed = 1; seed <= 50; ++seed)
    if (run(lost_write_scenario(seed)).run.any_claim_violated()) return seed;
  ADD_FAILURE() << "no seed in 1..50 loses an acknowledged write";
  return 1;
}

// What the main phase asked for: (slot, f, key, value) per invocation, and the fault events.
std::multiset<std::string> main_phase_requests(const History& history, const Scenario& s) {
  std::multiset<std::string> requests;
  Script script = script_from_history(history, s);
  for (const auto& op : script.ops)
    requests.insert(std::to_string(op.slot) + " " + op.op.f + " " + op.op.key.value_or("") + " " + op.op.value.dump());
  for (const auto& fault : script.faults)
    requests.insert(std::to_string(fault.at_ns) + " " + fault.f + " " + fault.value.dump());
  return requests;
}

TEST(Script, ReplayingARunsScriptAsksForTheSameOpsAndFaults) {
  Scenario scenario = lost_write_scenario(3);
  scenario.bug.reset();
  Simulation original = run(scenario);
  Scenario scripted = scenario;
  scripted.script = script_from_history(original.run.history, scenario);
  ASSERT_FALSE(scripted.script->ops.empty());
  ASSERT_FALSE(scripted.script->faults.empty());
  Simulation replay = run(scripted);
  EXPECT_EQ(main_phase_requests(replay.run.history, scenario),
            main_phase_requests(original.run.history, scenario));
}

TEST(Script, SurvivesTheHeader) {
  Scenario scenario = lost_write_scenario(4);
  scenario.script = script_from_history(run(scenario).run.history, scenario);
  auto back = scenario_from_header(scenario_to_header(scenario), "h:1");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(scenario_to_header(back.value()), scenario_to_header(scenario));
}

TEST(Script, UnknownFaultEventIsAnError) {
  Scenario scenario = lost_write_scenario(1);
  scenario.script = Script{{}, {ScriptedFault{1000, "start-meteor", Json()}}};
  MemorySink sink;
  auto result = run_scenario(scenario, single_registry(), sink);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "script: unknown fault event \"start-meteor\"");
}

TEST(Script, MalformedFaultValueIsAnError) {
  Scenario scenario = lost_write_scenario(1);
  scenario.script = Script{{}, {ScriptedFault{1000, "start-kill", Json{{"nodes", "all of them"}}}}};
  MemorySink sink;
  auto result = run_scenario(scenario, single_registry(), sink);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message.rfind("script fault #0 (start-kill at 1000ns): malformed value", 0), 0u)
      << result.error().message;
}

TEST(Shrink, ReducesALostWriteToAWriteACrashAndARead) {
  Scenario failing = lost_write_scenario(first_failing_seed());
  auto shrunk = shrink(failing, single_registry(), ShrinkOptions{});
  ASSERT_TRUE(shrunk) << shrunk.error().message;
  const ShrinkResult& result = shrunk.value();
  EXPECT_TRUE(result.failing_claims.count("linearizable"));
  EXPECT_LE(result.after.ops, 2u) << describe(result.after);
  EXPECT_LE(result.after.faults, 2u);
  EXPECT_EQ(result.after.clients, 1);
  EXPECT_LT(result.after.ops, result.before.ops);
  EXPECT_LT(result.after.time_ns, result.before.time_ns);
  // The minimal scenario is itself a deterministic, replayable failure.
  Simulation replay = run(result.minimal);
  EXPECT_EQ(replay.history_jsonl, result.minimal_history);
  EXPECT_TRUE(replay.run.any_claim_violated());
}

TEST(Shrink, SameInputSameResult) {
  Scenario failing = lost_write_scenario(first_failing_seed());
  auto first = shrink(failing, single_registry(), ShrinkOptions{});
  auto second = shrink(failing, single_registry(), ShrinkOptions{});
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first.value().minimal_history, second.value().minimal_history);
  EXPECT_EQ(first.value().runs, second.value().runs);
}

TEST(Shrink, RefusesAScenarioThatDoesNotFail) {
  Scenario passing = lost_write_scenario(1);
  passing.bug.reset();
  auto shrunk = shrink(passing, single_registry(), ShrinkOptions{});
  ASSERT_FALSE(shrunk);
  EXPECT_EQ(shrunk.error().message, "the scenario does not fail: every claim held, nothing to shrink");
}

TEST(Shrink, StopsAtItsRunBudgetWithTheBestSoFar) {
  Scenario failing = lost_write_scenario(first_failing_seed());
  auto shrunk = shrink(failing, single_registry(), ShrinkOptions{3});
  ASSERT_TRUE(shrunk);
  EXPECT_TRUE(shrunk.value().budget_exhausted);
  ASSERT_TRUE(shrunk.value().minimal_run);
  EXPECT_TRUE(shrunk.value().minimal_run->any_claim_violated());
}

}  // namespace
}  // namespace faultline
