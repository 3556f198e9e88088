#include <gtest/gtest.h>

#include <algorithm>
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
    requests.insert(std::to_string(op.slot) + " " + op.op.f + " " + op.op.key.value_or("") + " " + op.op.value.dump() +
                    (op.op.node ? " at node " + std::to_string(*op.op.node) : ""));
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

TEST(Script, KeepsOpsTheWorkloadAddressedToANode) {
  // The session workload reads from nodes drawn at random (a replica read): the script kept
  // only unaddressed invokes, so a shrink lost every such read (issue 11).
  Scenario scenario = lost_write_scenario(3);
  scenario.bug.reset();
  scenario.workload = "session";
  Simulation original = run(scenario);
  Scenario scripted = scenario;
  scripted.script = script_from_history(original.run.history, scenario);
  const auto addressed = std::count_if(scripted.script->ops.begin(), scripted.script->ops.end(),
                                       [](const ScriptedOp& op) { return op.op.node.has_value(); });
  EXPECT_GT(addressed, 10);
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
  EXPECT_EQ(result.error().message.rfind("script fault #0 (start-kill at 1us): malformed value", 0), 0u)
      << result.error().message;
}

TEST(Shrink, ReducesALostWriteToAWriteACrashAndARead) {
  Scenario failing = lost_write_scenario(first_failing_seed());
  auto shrunk = shrink(failing, single_registry(), ShrinkOptions{});
  ASSERT_TRUE(shrunk) << shrunk.error().message;
  const ShrinkResult& result = shrunk.value();
  EXPECT_TRUE(result.failing_claims.count("linearizable"));
  // A scripted write and read (after.ops also counts the final reads, as the run line does).
  EXPECT_LE(result.minimal.script->ops.size(), 2u) << describe(result.after);
  EXPECT_LE(result.after.faults, 2u);  // the power loss and the heal
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

TEST(Shrink, BeforeAndAfterCountWhatTheRunLineCounts) {
  Scenario failing = lost_write_scenario(first_failing_seed());
  Simulation original = run(failing);
  auto shrunk = shrink(failing, single_registry(), ShrinkOptions{});
  ASSERT_TRUE(shrunk) << shrunk.error().message;
  const ShrinkResult& result = shrunk.value();
  // Client ops with the final reads, fault events with the heal: as `ops N, faults F` of the run line.
  EXPECT_EQ(result.before.ops, static_cast<size_t>(original.run.client_op_count));
  EXPECT_EQ(result.before.faults, static_cast<size_t>(original.run.fault_count));
  ASSERT_TRUE(result.minimal_run);
  EXPECT_EQ(result.after.ops, static_cast<size_t>(result.minimal_run->client_op_count));
  EXPECT_EQ(result.after.faults, static_cast<size_t>(result.minimal_run->fault_count));
  EXPECT_EQ(result.original_failing_claims, violated_claims(original.run));
}

// The linearizability witness's failing op, as the CLI's report::witness_focus would name it
// (among others).
std::vector<int64_t> failing_op(const RunResult& run, const std::string& claim) {
  for (const auto& outcome : run.claims)
    if (outcome.claim.name == claim && outcome.result.evidence.contains("failing_op"))
      return {outcome.result.evidence["failing_op"]["index"].get<int64_t>()};
  return {};
}

// Three keys, five clients: the projection keeps the failing op's key and client first, so
// delta debugging starts from far fewer ops and the whole shrink needs fewer runs.
TEST(Shrink, ProjectingOntoTheWitnessNeedsFewerRuns) {
  Scenario failing = lost_write_scenario(first_failing_seed());
  failing.key_count = 3;
  ASSERT_TRUE(run(failing).run.any_claim_violated());
  auto plain = shrink(failing, single_registry(), ShrinkOptions{});
  auto projected = shrink(failing, single_registry(), ShrinkOptions{.witness_ops = failing_op});
  ASSERT_TRUE(plain && projected);
  EXPECT_LT(projected.value().runs, plain.value().runs);
  EXPECT_LE(projected.value().after.ops, plain.value().after.ops + 1) << describe(projected.value().after);
  EXPECT_TRUE(projected.value().failing_claims.count("linearizable"));
}

TEST(Shrink, KeepsTheFirstViolatedClaimOrTheOneChosen) {
  Scenario failing = lost_write_scenario(first_failing_seed());
  auto chosen = shrink(failing, single_registry(), ShrinkOptions{.claim = "linearizable"});
  ASSERT_TRUE(chosen) << chosen.error().message;
  EXPECT_TRUE(chosen.value().failing_claims.count("linearizable"));
  auto unviolated = shrink(failing, single_registry(), ShrinkOptions{.claim = "liveness"});
  ASSERT_FALSE(unviolated);
  EXPECT_EQ(unviolated.error().message.rfind("--claim: the run does not violate \"liveness\"", 0), 0u)
      << unviolated.error().message;
}

}  // namespace
}  // namespace faultline
