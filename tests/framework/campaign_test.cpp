// The campaign engine: parallel seeds in forked processes, dying seeds as failures,
// resume, shards and their merge.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "base/assert.h"
#include "checkers/linearizable.h"
#include "checkers/liveness.h"
#include "framework/campaign.h"
#include "framework/campaign_merge.h"
#include "framework/campaign_store.h"
#include "nemesis/process.h"
#include "systems/single/single_store.h"
#include "workloads/workloads.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// The single store, except that on about a third of the seeds its node breaks an invariant
// (FAULTLINE_ASSERT aborts the process) after a seed-drawn number of messages.
class AbortingNode final : public Node {
 public:
  AbortingNode(std::unique_ptr<Node> inner, std::optional<uint64_t> abort_after)
      : inner_(std::move(inner)), abort_after_(abort_after) {}
  void start() override { inner_->start(); }
  void on_message(EndpointId from, const MessagePtr& message) override {
    ++messages_;
    FAULTLINE_ASSERT(!abort_after_ || messages_ < *abort_after_, "planted abort for the campaign test");
    inner_->on_message(from, message);
  }
  void on_timer(TimerId id, uint64_t tag) override { inner_->on_timer(id, tag); }

 private:
  std::unique_ptr<Node> inner_;
  std::optional<uint64_t> abort_after_;
  uint64_t messages_ = 0;
};

class AbortingSystem final : public System {
 public:
  explicit AbortingSystem(const SystemConfig& config) : inner_(std::move(single::make_single_store(config)).value()) {}
  std::string name() const override { return "aborting"; }
  std::vector<ClaimSpec> claims() const override { return inner_->claims(); }
  std::vector<BugSpec> bugs() const override { return inner_->bugs(); }
  std::unique_ptr<Node> make_node(Env& env) const override {
    std::optional<uint64_t> abort_after;
    if (env.rng().below(3) == 0) abort_after = 1 + env.rng().below(40);
    return std::make_unique<AbortingNode>(inner_->make_node(env), abort_after);
  }
  std::unique_ptr<Client> make_client(ClientEnv& env) const override { return inner_->make_client(env); }
  const MessageCodec& codec() const override { return inner_->codec(); }

 private:
  std::unique_ptr<System> inner_;
};

const Registry& test_registry() {
  static const Registry registry = [] {
    Registry r;
    SystemEntry aborting = single::single_entry();
    aborting.name = "aborting";
    aborting.description = "single, aborting on some seeds";
    aborting.make = [](const SystemConfig& c) -> Result<std::unique_ptr<System>> {
      return std::unique_ptr<System>(std::make_unique<AbortingSystem>(c));
    };
    r.add_system(std::move(aborting));
    r.add_system(single::single_entry());
    r.add_nemesis({"crash", "", nemesis::make_crash});
    r.add_workload(workloads::register_workload());
    r.add_checker(linearizable_checker());
    r.add_checker(liveness_checker());
    return r;
  }();
  return registry;
}

std::string fresh_dir(const std::string& name) {
  auto dir = fs::path(::testing::TempDir()) / ("faultline-campaign-" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  return dir.string();
}

// Any deterministic digest will do here; the CLI uses SHA-256.
std::string test_digest(std::string_view bytes) { return std::to_string(std::hash<std::string_view>{}(bytes)); }

CampaignOptions options(const std::string& system, SeedRange seeds, int jobs, const std::string& dir) {
  CampaignOptions o;
  o.scenario.system = system;
  o.scenario.node_count = 1;
  o.scenario.time_ns = 1'000'000'000;
  o.scenario.quiesce_ns = 200'000'000;
  o.seeds = seeds;
  o.jobs = jobs;
  o.out_dir = dir;
  o.history_digest = test_digest;
  return o;
}

CampaignOutcome run(const CampaignOptions& o) {
  auto outcome = run_campaign(o, test_registry());
  EXPECT_TRUE(outcome) << (outcome ? "" : outcome.error().message);
  return std::move(outcome).value();
}

// The summary without what may differ between equal runs: wall times.
Json without_wall_times(Json summary) {
  summary["totals"].erase("wall_time_ms");
  for (auto& record : summary["per_seed"]) record.erase("wall_time_ms");
  return summary;
}

Json summary_file(const std::string& dir) {
  std::ifstream in(dir + "/summary.json");
  return without_wall_times(Json::parse(in));
}

TEST(CampaignPlan, ParsesSeedRangesAndShards) {
  EXPECT_EQ(parse_seed_range("3..9").value(), (SeedRange{3, 9}));
  EXPECT_EQ(parse_seed_range("4").value(), (SeedRange{4, 4}));
  for (const char* bad : {"9..3", "1..", "..4", "a..b", "1...4", "-1..3", ""}) EXPECT_FALSE(parse_seed_range(bad)) << bad;
  EXPECT_EQ(parse_shard("1/3").value(), (Shard{1, 3}));
  for (const char* bad : {"3/3", "1/0", "1", "/2", "x/2", "-1/2"}) EXPECT_FALSE(parse_shard(bad)) << bad;
  EXPECT_EQ(shard_from_index_text("2", 4, "JOB_COMPLETION_INDEX").value(), (Shard{2, 4}));
  EXPECT_FALSE(shard_from_index_text("4", 4, "JOB_COMPLETION_INDEX"));
}

TEST(CampaignRecord, HandEditedNumbersAreRefusedNotConverted) {
  // A seed record or campaign.json that --resume and merge read back: a float, a negative
  // seed or an impossible shard is an error naming the file (issue 9, the class of defects 3
  // and 9), never a wrapped or undefined conversion. fuzz/fuzz_campaign_record.cpp fuzzes both.
  const Json record = {{"seed", 3},           {"claims", Json::array()}, {"invariant_violation", nullptr},
                       {"crash", nullptr},    {"client_ops", 10},        {"faults", 1},
                       {"wall_time_ms", 1.5}, {"history_sha256", "x"}};
  ASSERT_TRUE(seed_record_from_json(record, "seed-3.json"));
  for (const auto& [field, value] : std::vector<std::pair<std::string, Json>>{
           {"seed", 1e300}, {"seed", -1}, {"seed", 2.5}, {"client_ops", 1e30}, {"faults", "1"}}) {
    Json bad = record;
    bad[field] = value;
    auto read = seed_record_from_json(bad, "seed-3.json");
    ASSERT_FALSE(read) << field << "=" << value.dump();
    EXPECT_NE(read.error().message.find("seed-3.json: not a seed record"), std::string::npos) << read.error().message;
  }
  Json crashed = record;
  crashed["crash"] = {{"signal", 1e99}, {"exit_code", nullptr}, {"stderr_tail", ""}};
  EXPECT_FALSE(seed_record_from_json(crashed, "seed-3.json"));

  const Json spec = campaign_spec_json(CampaignSpec{.scenario = Json::object(), .seeds = {1, 10}, .shard = {0, 2}});
  ASSERT_TRUE(campaign_spec_from_json(spec, "campaign.json"));
  for (const Json& seeds : {Json{{"first", 9}, {"last", 3}}, Json{{"first", -1}, {"last", 3}},
                            Json{{"first", 1}, {"last", 1e12}}}) {
    Json bad = spec;
    bad["seeds"] = seeds;
    EXPECT_FALSE(campaign_spec_from_json(bad, "campaign.json")) << seeds.dump();
  }
  for (const Json& shard : {Json{{"index", 0}, {"count", 0}}, Json{{"index", 2}, {"count", 2}},
                            Json{{"index", -1}, {"count", 2}}, Json{{"index", 0}, {"count", 1e9}}}) {
    Json bad = spec;
    bad["shard"] = shard;
    auto read = campaign_spec_from_json(bad, "campaign.json");
    ASSERT_FALSE(read) << shard.dump();
    EXPECT_NE(read.error().message.find("campaign.json:"), std::string::npos) << read.error().message;
  }
}

// Protocol coverage (issue 10, item 4): each seed record keeps the run's integer counts; the
// summary says in how many seeds each happened, so a count no seed reached shows where the
// campaign was blind. Older records without counts still read.
TEST(CampaignRecord, CountsRoundTripAndSummarizeAsCoverage) {
  SeedRecord first{.seed = 1, .wall_time_ms = 1, .history_sha256 = "x", .counts = {{"snapshots", 2}, {"proxied", 0}}};
  SeedRecord second{.seed = 2, .wall_time_ms = 1, .history_sha256 = "y", .counts = {{"snapshots", 0}, {"proxied", 0}}};
  auto back = seed_record_from_json(seed_record_json(first), "seed-1.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value().counts, first.counts);
  Json bad = seed_record_json(first);
  bad["counts"]["snapshots"] = 2.5;
  EXPECT_FALSE(seed_record_from_json(bad, "seed-1.json"));
  bad.erase("counts");
  EXPECT_TRUE(seed_record_from_json(bad, "seed-1.json"));
  const CampaignSummary summary = summarize(CampaignSpec{.seeds = {1, 2}}, {first, second});
  ASSERT_EQ(summary.coverage.size(), 2u);
  EXPECT_EQ(summary.coverage[0].count, "proxied");
  EXPECT_EQ(summary.coverage[0].seeds_reached, 0);
  EXPECT_EQ(summary.coverage[1].count, "snapshots");
  EXPECT_EQ(summary.coverage[1].seeds_reached, 1);
  EXPECT_EQ(summary.coverage[1].seeds_counted, 2);
  EXPECT_EQ(summary_json(summary)["coverage"][1]["seeds_reached"], 1);
}

TEST(CampaignPlan, ShardsSplitTheRangeIntoNearlyEqualBlocks) {
  for (int count : {1, 2, 3, 7, 12}) {
    std::vector<uint64_t> all;
    size_t smallest = SIZE_MAX, largest = 0;
    for (int index = 0; index < count; ++index) {
      auto seeds = seeds_of_shard({5, 14}, {index, count});
      smallest = std::min(smallest, seeds.size());
      largest = std::max(largest, seeds.size());
      all.insert(all.end(), seeds.begin(), seeds.end());
    }
    std::vector<uint64_t> expected;
    for (uint64_t seed = 5; seed <= 14; ++seed) expected.push_back(seed);
    EXPECT_EQ(all, expected) << count << " shards";
    EXPECT_LE(largest - smallest, 1u) << count << " shards";
  }
}

TEST(Campaign, ParallelGivesTheSameResultsAsSequential) {
  std::string sequential = fresh_dir("sequential"), parallel = fresh_dir("parallel");
  auto one = run(options("aborting", {1, 12}, 1, sequential));
  auto two = run(options("aborting", {1, 12}, 2, parallel));
  EXPECT_EQ(one.summary.records.size(), 12u);
  EXPECT_EQ(summary_file(sequential), summary_file(parallel));
  // Both kinds of seed occur, so the comparison covers dead and finished processes.
  EXPECT_GT(one.summary.seeds_failed, 0);
  EXPECT_LT(one.summary.seeds_failed, 12);
}

TEST(Campaign, ASeedThatAbortsIsAFailingSeedWithItsSignalAndStderr) {
  std::string dir = fresh_dir("aborts");
  auto outcome = run(options("aborting", {1, 12}, 2, dir));
  int aborted = 0;
  for (const auto& record : outcome.summary.records) {
    std::string history = dir + "/" + failure_history_path(record.seed);
    if (!record.crash) {
      EXPECT_TRUE(record.all_held()) << record.seed;
      EXPECT_FALSE(fs::exists(history)) << "passing seeds keep no history by default";
      continue;
    }
    ++aborted;
    EXPECT_TRUE(record.failed());
    EXPECT_EQ(record.crash->signal, SIGABRT);
    EXPECT_NE(record.crash->stderr_tail.find("planted abort for the campaign test"), std::string::npos)
        << record.crash->stderr_tail;
    ASSERT_EQ(record.claims.size(), 2u);  // linearizable, liveness
    for (const auto& claim : record.claims) EXPECT_EQ(claim.verdict, Verdict::unknown);
    // The history up to the abort is kept, header first, and its digest recorded.
    auto text = read_whole_file(history);
    ASSERT_TRUE(text) << history;
    EXPECT_EQ(text.value().rfind("{\"faultline\"", 0), 0u);
    EXPECT_EQ(record.history_sha256, test_digest(text.value()));
  }
  EXPECT_EQ(aborted, outcome.summary.seeds_failed);
  EXPECT_EQ(outcome.summary.tallies.back().claim, "invariants");
  EXPECT_EQ(outcome.summary.tallies.back().violated, aborted);
  EXPECT_FALSE(fs::exists(dir + "/work")) << "nothing is left behind";
}

TEST(Campaign, ResumeRunsOnlyTheSeedsNotYetFinished) {
  std::string dir = fresh_dir("resume");
  CampaignOptions o = options("aborting", {1, 8}, 2, dir);
  run(o);
  Json full = summary_file(dir);
  // Forget two seeds, and mark the others so a rerun of them would show.
  fs::remove(seed_record_file(dir, 3));
  fs::remove(seed_record_file(dir, 8));
  for (uint64_t seed : {1, 2, 4, 5, 6, 7}) {
    SeedRecord record = read_seed_record(seed_record_file(dir, seed)).value();
    record.wall_time_ms = 123456;
    ASSERT_TRUE(write_seed_record(dir, record));
  }
  EXPECT_FALSE(run_campaign(o, test_registry())) << "an existing campaign needs --resume";
  o.resume = true;
  auto resumed = run(o);
  EXPECT_EQ(resumed.seeds_skipped, 6);
  for (const auto& record : resumed.summary.records) {
    EXPECT_EQ(record.wall_time_ms == 123456, record.seed != 3 && record.seed != 8) << record.seed;
  }
  EXPECT_EQ(summary_file(dir), full);
}

TEST(Campaign, ResumeRefusesADirectoryOfAnotherCampaign) {
  std::string dir = fresh_dir("other");
  run(options("single", {1, 2}, 1, dir));
  CampaignOptions other = options("single", {1, 2}, 1, dir);
  other.scenario.rate_hz = 10;
  other.resume = true;
  auto outcome = run_campaign(other, test_registry());
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("--resume"), std::string::npos) << outcome.error().message;
}

TEST(Campaign, MergedShardsEqualOneRunExceptWallTimes) {
  std::string whole = fresh_dir("whole"), merged = fresh_dir("merged");
  run(options("aborting", {1, 9}, 2, whole));
  std::vector<std::string> shards;
  for (int index : {1, 0}) {
    shards.push_back(fresh_dir("shard" + std::to_string(index)));
    CampaignOptions o = options("aborting", {1, 9}, 2, shards.back());
    o.shard = {index, 2};
    auto outcome = run(o);
    EXPECT_LT(outcome.summary.records.size(), 9u);
  }
  auto summary = merge_campaigns(merged, shards);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary_file(merged), summary_file(whole));
  for (const auto& record : summary.value().records) {
    if (!record.failed()) continue;
    EXPECT_TRUE(fs::exists(merged + "/" + failure_history_path(record.seed))) << record.seed;
  }
}

TEST(Campaign, MergeRefusesAMissingOrRepeatedShard) {
  std::string shard = fresh_dir("lonely");
  CampaignOptions o = options("single", {1, 4}, 1, shard);
  o.shard = {0, 2};
  run(o);
  auto missing = merge_campaigns(fresh_dir("merge-missing"), {shard});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("shard 1/2 is missing"), std::string::npos) << missing.error().message;
  EXPECT_FALSE(merge_campaigns(fresh_dir("merge-twice"), {shard, shard}));
}

TEST(Campaign, StopOnFirstStartsNoSeedAfterAFailure) {
  std::string dir = fresh_dir("stop");
  CampaignOptions o = options("aborting", {1, 12}, 1, dir);
  o.stop_on_first = true;
  auto outcome = run(o);
  const auto& records = outcome.summary.records;
  ASSERT_FALSE(records.empty());
  EXPECT_TRUE(records.back().failed());
  EXPECT_EQ(outcome.summary.seeds_failed, 1);
  EXPECT_FALSE(outcome.summary.complete());
}

TEST(Campaign, KeepAllHistoriesKeepsPassingSeedsToo) {
  std::string dir = fresh_dir("keep");
  CampaignOptions o = options("single", {1, 3}, 2, dir);
  o.keep_all_histories = true;
  auto outcome = run(o);
  for (const auto& record : outcome.summary.records) {
    auto text = read_whole_file(dir + "/" + kept_history_path(record.seed));
    ASSERT_TRUE(text) << record.seed;
    EXPECT_EQ(record.history_sha256, test_digest(text.value()));
  }
}

TEST(Campaign, BadOptionsAreErrorsBeforeAnySeedRuns) {
  std::string dir = fresh_dir("bad");
  CampaignOptions o = options("single", {1, 3}, 0, dir);
  EXPECT_FALSE(run_campaign(o, test_registry()));
  o.jobs = 1;
  o.scenario.nemesis = {"meteor"};
  EXPECT_FALSE(run_campaign(o, test_registry()));
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace faultline
