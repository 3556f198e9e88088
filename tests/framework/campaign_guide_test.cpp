// Coverage-guided campaigns (campaign --guided): the coverage features, the guide's plan, and
// guided campaigns of the Raft store that are deterministic, resumable and replayable.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "framework/campaign.h"
#include "framework/campaign_guide.h"
#include "framework/campaign_store.h"
#include "framework/cli/builtins.h"
#include "framework/swarm.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

SeedRecord record_with(uint64_t seed, std::map<std::string, int64_t> counts) {
  return SeedRecord{.seed = seed, .history_sha256 = "x", .counts = std::move(counts)};
}

std::vector<uint64_t> seed_list(uint64_t first, uint64_t last) {
  std::vector<uint64_t> seeds;
  for (uint64_t seed = first; seed <= last; ++seed) seeds.push_back(seed);
  return seeds;
}

TEST(CoverageFeatures, AreEachCountsLog2BucketAndEachPairReachedTogether) {
  EXPECT_EQ(coverage_features({{"a", 1}, {"b", 5}, {"c", 0}}), (std::set<std::string>{"a@1", "a+b", "b@3"}));
  EXPECT_EQ(coverage_features({{"a", 4}, {"b", 7}}), (std::set<std::string>{"a@3", "a+b", "b@3"}));
  EXPECT_TRUE(coverage_features({{"a", 0}}).empty());
}

TEST(CoverageFeatures, GrowthCountsNewFeaturesInSeedOrder) {
  const CoverageGrowth growth =
      coverage_growth({record_with(1, {{"a", 1}}), record_with(2, {{"a", 1}}), record_with(3, {{"a", 2}, {"b", 1}})});
  EXPECT_EQ(growth.features, 4);  // a@1; then a@2, b@1, a+b
  EXPECT_EQ(growth.last_new_at, 3);
  EXPECT_EQ(growth.steps, (std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {3, 4}}));
}

TEST(SeedGuide, ChildrenOfNewCoverageRunFirstInTheNextBatch) {
  SeedGuide guide(seed_list(1, 120));
  auto first = guide.next_batch();
  ASSERT_EQ(first.size(), kGuidedBatchSeeds);
  for (const auto& planned : first) EXPECT_EQ(planned.swarm_seed, planned.seed) << "nothing learned yet";
  std::vector<SeedRecord> records;
  for (const auto& planned : first) records.push_back(record_with(planned.seed, {}));
  records[2].counts = {{"snapshots", 1}};  // seed 3: new
  records[3].counts = {{"snapshots", 1}};  // seed 4: nothing new after seed 3
  records[9].counts = {{"snapshots", 9}};  // seed 10: a new bucket
  guide.learn(records);
  EXPECT_EQ(guide.features(), 2u);
  auto second = guide.next_batch();
  ASSERT_EQ(second.size(), kGuidedBatchSeeds);
  const std::vector<GuidedSeed> children = {{51, 3}, {52, 3}, {53, 10}, {54, 10}};
  EXPECT_EQ(std::vector<GuidedSeed>(second.begin(), second.begin() + 4), children);
  for (size_t i = 4; i < second.size(); ++i) EXPECT_EQ(second[i].swarm_seed, second[i].seed);
}

TEST(SeedGuide, ChildrenTakeAtMostHalfOfABatchAndWaitForTheNext) {
  SeedGuide guide(seed_list(1, 120));
  auto first = guide.next_batch();
  std::vector<SeedRecord> records;
  for (const auto& planned : first) records.push_back(record_with(planned.seed, {{"n", int64_t{1} << planned.seed}}));
  guide.learn(records);  // 50 parents, 100 children waiting
  auto second = guide.next_batch();
  auto last = guide.next_batch();
  ASSERT_EQ(last.size(), 20u);
  EXPECT_TRUE(guide.next_batch().empty());
  auto children_in = [](const std::vector<GuidedSeed>& batch) {
    return std::count_if(batch.begin(), batch.end(), [](const GuidedSeed& g) { return g.swarm_seed != g.seed; });
  };
  EXPECT_EQ(children_in(second), 25);
  EXPECT_EQ(children_in(last), 10);
  EXPECT_EQ(last.front(), (GuidedSeed{.seed = 101, .swarm_seed = 13}));  // the queue continues where it stopped
}

// Any deterministic digest will do here; the CLI uses SHA-256.
std::string test_digest(std::string_view bytes) { return std::to_string(std::hash<std::string_view>{}(bytes)); }

std::string fresh_dir(const std::string& name) {
  auto dir = fs::path(::testing::TempDir()) / ("faultline-guided-" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  return dir.string();
}

CampaignOptions guided_raft(const std::string& dir, int jobs) {
  CampaignOptions o;
  o.scenario.system = "raft";
  o.scenario.nemesis = {kSwarmNemesis};
  o.scenario.time_ns = 3'000'000'000;
  o.scenario.check_invariants = true;
  o.seeds = {1, 60};  // a batch of 50, then one of 10 that runs parents' configurations
  o.jobs = jobs;
  o.out_dir = dir;
  o.guided = true;
  o.keep_all_histories = true;
  o.history_digest = test_digest;
  return o;
}

Json summary_without_wall_times(const std::string& dir) {
  std::ifstream in(dir + "/summary.json");
  Json summary = Json::parse(in);
  summary["totals"].erase("wall_time_ms");
  for (auto& record : summary["per_seed"]) record.erase("wall_time_ms");
  return summary;
}

Scenario header_of(const std::string& history_path) {
  std::ifstream in(history_path);
  std::string line;
  std::getline(in, line);
  auto scenario = scenario_from_header(Json::parse(line), history_path);
  EXPECT_TRUE(scenario) << history_path;
  return scenario.value();
}

TEST(GuidedCampaign, RunsParentsConfigurationsAndIsTheSameWithOneJobOrTwo) {
  const Registry& registry = cli::builtin_registry();
  const std::string one = fresh_dir("one"), two = fresh_dir("two");
  auto first = run_campaign(guided_raft(one, 1), registry);
  ASSERT_TRUE(first) << first.error().message;
  auto second = run_campaign(guided_raft(two, 2), registry);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(summary_without_wall_times(one), summary_without_wall_times(two));
  EXPECT_EQ(first.value().summary.seeds_failed, 0);
  int children = 0;
  for (const auto& record : first.value().summary.records) {
    if (!record.swarm_seed) continue;
    ++children;
    EXPECT_GT(record.seed, 50u) << "only the second batch runs children";
    // The child's header records its parent's drawn configuration and its own seed.
    Scenario parent = guided_raft(one, 1).scenario;
    parent.seed = *record.swarm_seed;
    auto drawn = resolve_swarm(parent, registry);
    ASSERT_TRUE(drawn);
    const Scenario child = header_of(one + "/" + kept_history_path(record.seed));
    EXPECT_EQ(child.seed, record.seed);
    EXPECT_EQ(child.nemesis, drawn.value().nemesis);
    EXPECT_EQ(child.node_count, drawn.value().node_count);
    EXPECT_EQ(child.system_params, drawn.value().system_params);
    EXPECT_EQ(child.rate_hz, drawn.value().rate_hz);
  }
  EXPECT_EQ(children, 5) << "half of the last batch of 10";
}

TEST(GuidedCampaign, ResumeReplansTheSameBatches) {
  const Registry& registry = cli::builtin_registry();
  const std::string dir = fresh_dir("resume");
  CampaignOptions o = guided_raft(dir, 2);
  ASSERT_TRUE(run_campaign(o, registry));
  const Json full = summary_without_wall_times(dir);
  for (uint64_t seed : {7, 52, 53, 60}) fs::remove(seed_record_file(dir, seed));
  o.resume = true;
  auto resumed = run_campaign(o, registry);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed.value().seeds_skipped, 56);
  EXPECT_EQ(summary_without_wall_times(dir), full);
  o.guided = false;
  EXPECT_FALSE(run_campaign(o, registry)) << "the directory holds a guided campaign";
}

TEST(GuidedCampaign, NeedsAnUnshardedSwarm) {
  const Registry& registry = cli::builtin_registry();
  const std::string dir = fresh_dir("refused");
  CampaignOptions o = guided_raft(dir, 1);
  o.scenario.nemesis = {"partition"};
  auto fixed = run_campaign(o, registry);
  ASSERT_FALSE(fixed);
  EXPECT_NE(fixed.error().message.find("--guided"), std::string::npos) << fixed.error().message;
  o.scenario.nemesis = {kSwarmNemesis};
  o.shard = {0, 2};
  auto sharded = run_campaign(o, registry);
  ASSERT_FALSE(sharded);
  EXPECT_NE(sharded.error().message.find("sharded"), std::string::npos) << sharded.error().message;
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace faultline
