#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "framework/run.h"
#include "test_registry.h"

namespace faultline {
namespace {

const Registry& test_registry() { return testing::single_registry(); }

Scenario single_scenario(uint64_t seed) {
  Scenario s;
  s.system = "single";
  s.node_count = 1;
  s.seed = seed;
  s.time_ns = 3'000'000'000;
  s.nemesis = {"kill", "pause", "partition"};
  s.nemesis_interval_ns = 500'000'000;
  s.link.latency_ns_jitter = 5'000'000;
  return s;
}

Simulation run(const Scenario& scenario) { return testing::simulate_single(scenario); }

TEST(Run, SameSeedGivesByteIdenticalHistory) {
  EXPECT_EQ(run(single_scenario(7)).history_jsonl, run(single_scenario(7)).history_jsonl);
}

TEST(Run, TwentySeedsGiveTwentyHistories) {
  std::set<std::string> histories;
  for (uint64_t seed = 1; seed <= 20; ++seed) histories.insert(run(single_scenario(seed)).history_jsonl);
  EXPECT_EQ(histories.size(), 20u);
}

TEST(Run, DoesNotDependOnTheEnvironment) {
  std::string before = run(single_scenario(3)).history_jsonl;
  // Things a careless core might read: time zone, locale, the wall clock (time passes
  // between the two runs), the address-space layout of fresh allocations.
  setenv("TZ", "Pacific/Chatham", 1);
  setenv("LC_ALL", "C", 1);
  std::vector<std::unique_ptr<int[]>> clutter;
  for (int i = 0; i < 1000; ++i) clutter.push_back(std::make_unique<int[]>(97 + i));
  EXPECT_EQ(run(single_scenario(3)).history_jsonl, before);
}

TEST(Run, HeaderDescribesTheScenarioForReplay) {
  Scenario scenario = single_scenario(11);
  scenario.bug = single::kBugAckBeforeFsync;
  Simulation recorded = run(scenario);
  ASSERT_TRUE(recorded.run.history.header);
  auto back = scenario_from_header(*recorded.run.history.header, "h:1");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(scenario_to_header(back.value()), scenario_to_header(scenario));
  EXPECT_EQ(run(back.value()).history_jsonl, recorded.history_jsonl);
}

// Fields added after histories were recorded stay out of the header at their defaults, so
// old histories replay byte for byte; a system without a convergence probe reports no
// time to converge.
TEST(Run, NewFieldsAppearOnlyWhenSet) {
  Simulation plain = run(single_scenario(11));
  EXPECT_FALSE(plain.run.history.header->at("params").contains("clients_per_node"));
  EXPECT_FALSE(plain.run.metrics.contains("converged_ms_after_heal"));
  Scenario bound = single_scenario(11);
  bound.clients_per_node = true;
  Simulation pinned = run(bound);
  EXPECT_EQ(pinned.run.history.header->at("params").at("clients_per_node"), true);
  auto back = scenario_from_header(*pinned.run.history.header, "h:1");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back.value().clients_per_node);
}

TEST(Run, EveryOpCompletesOnceAndInfoRetiresTheProcess) {
  Scenario scenario = single_scenario(5);
  scenario.nemesis = {"kill"};
  scenario.nemesis_interval_ns = 2 * scenario.op_timeout_ns;  // kills outlast the op timeout
  scenario.time_ns = 6'000'000'000;
  Simulation recorded = run(scenario);
  std::map<int64_t, int> open;  // process -> open invocations
  std::set<int64_t> retired;
  int infos = 0;
  for (const Op& op : recorded.run.history.ops) {
    if (op.is_nemesis()) continue;
    ASSERT_FALSE(retired.count(op.process)) << "process " << op.process << " acted after info";
    if (op.type == OpType::invoke) {
      ASSERT_EQ(open[op.process], 0) << "two ops in flight on process " << op.process;
      ++open[op.process];
    } else {
      ASSERT_EQ(open[op.process], 1);
      --open[op.process];
      if (op.type == OpType::info) {
        retired.insert(op.process);
        ++infos;
      }
    }
  }
  for (const auto& [process, count] : open) EXPECT_EQ(count, 0) << process;
  EXPECT_GT(infos, 0) << "ops sent to a killed node must end unknown";
}

TEST(Run, FinalReadsAskEveryNodeForEveryKeyFromEverySlot) {
  Scenario scenario = single_scenario(2);
  scenario.nemesis.clear();
  Simulation recorded = run(scenario);
  std::set<std::tuple<int64_t, std::string, int64_t>> final_reads;  // slot, key, node
  for (const Op& op : recorded.run.history.ops)
    if (op.type == OpType::invoke && op.node)
      final_reads.insert({op.process % scenario.concurrency, *op.key, *op.node});
  EXPECT_EQ(final_reads.size(), static_cast<size_t>(scenario.concurrency * scenario.key_count));
}

TEST(Run, OfferedLoadFollowsTheRate) {
  Scenario scenario = single_scenario(4);
  scenario.nemesis.clear();
  scenario.final_reads = false;
  scenario.time_ns = 10'000'000'000;
  scenario.rate_hz = 40;
  Simulation recorded = run(scenario);
  EXPECT_NEAR(static_cast<double>(recorded.run.client_op_count), 400, 20);
}

TEST(Run, NemesisEventsAreRecordedAndHealed) {
  Simulation recorded = run(single_scenario(6));
  std::vector<std::string> nemesis_fs;
  for (const Op& op : recorded.run.history.ops)
    if (op.is_nemesis()) nemesis_fs.push_back(op.f);
  ASSERT_FALSE(nemesis_fs.empty());
  EXPECT_EQ(nemesis_fs.back(), "heal");
  EXPECT_EQ(nemesis_fs.front().rfind("start-", 0), 0u);
}

TEST(Run, SingleStoreKeepsItsClaimUnderEveryFault) {
  for (const char* fault : {"kill", "crash", "pause", "partition", "clock"}) {
    for (uint64_t seed = 1; seed <= 5; ++seed) {
      Scenario scenario = single_scenario(seed);
      scenario.nemesis = {fault};
      Simulation recorded = run(scenario);
      ASSERT_EQ(recorded.run.claims.size(), 2u);  // linearizable, liveness
      for (const auto& claim : recorded.run.claims)
        EXPECT_EQ(claim.result.verdict, Verdict::valid) << fault << " seed " << seed << ": " << claim.result.summary;
    }
  }
}

TEST(Run, AckBeforeFsyncBugIsCaughtByPowerLoss) {
  int caught = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Scenario scenario = single_scenario(seed);
    scenario.nemesis = {"crash"};
    scenario.bug = single::kBugAckBeforeFsync;
    scenario.rate_hz = 200;
    caught += run(scenario).run.any_claim_violated();
  }
  EXPECT_GT(caught, 0);
}

TEST(Run, BadParametersAreRejectedByName) {
  MemorySink sink;
  Scenario scenario = single_scenario(1);
  scenario.node_count = 3;
  auto result = run_scenario(scenario, test_registry(), sink);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "--nodes: system \"single\" runs on 1..1 nodes, not 3");
  scenario = single_scenario(1);
  scenario.nemesis = {"meteor"};
  result = run_scenario(scenario, test_registry(), sink);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "--nemesis: unknown fault \"meteor\" (known: clock, crash, flaky, kill, partition, pause; or all alone, drawn per seed)");
  scenario = single_scenario(1);
  scenario.bug = "single.nope";
  result = run_scenario(scenario, test_registry(), sink);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("--bug"), std::string::npos);
  scenario = single_scenario(1);
  scenario.link.loss_probability = 1.5;
  result = run_scenario(scenario, test_registry(), sink);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "--loss must be in [0, 1], got 1.5");
}

TEST(Duration, ParsesUnits) {
  EXPECT_EQ(parse_duration_ns("10s").value(), 10'000'000'000);
  EXPECT_EQ(parse_duration_ns("250ms").value(), 250'000'000);
  EXPECT_EQ(parse_duration_ns("2m").value(), 120'000'000'000);
  EXPECT_EQ(parse_duration_ns("1.5").value(), 1'500'000'000);
  EXPECT_FALSE(parse_duration_ns("ten seconds"));
  EXPECT_FALSE(parse_duration_ns("5 parsecs"));
  EXPECT_FALSE(parse_duration_ns("-3s"));
}

}  // namespace
}  // namespace faultline
