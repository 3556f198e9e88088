// End-to-end tests of `faultline campaign` and `faultline merge`: exit codes, one-line
// errors, a planted bug found and replayed, Kubernetes-style shards, Ctrl-C.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "cli_runner.h"
#include "histories/op.h"

namespace {

using namespace faultline::testing;

namespace fs = std::filesystem;

std::string work_dir() {
  static const std::string dir = make_work_dir("faultline-campaign-cli");
  return dir;
}

// Runs a shell script in the work directory; $FAULTLINE is the binary.
CommandResult shell(const std::string& script) {
  return run_in(work_dir(), std::string("FAULTLINE=") + FAULTLINE_BIN + " && unset JOB_COMPLETION_INDEX && " + script);
}

// `env` prefixes the command (e.g. "JOB_COMPLETION_INDEX=1").
CommandResult faultline(const std::string& args, const std::string& env = "") {
  return shell(env + " $FAULTLINE " + args);
}

faultline::Json summary_without_wall_times(const std::string& dir) {
  auto summary = faultline::Json::parse(slurp(work_dir() + "/" + dir + "/summary.json"));
  summary["totals"].erase("wall_time_ms");
  for (auto& record : summary["per_seed"]) record.erase("wall_time_ms");
  return summary;
}

const std::string kBuggy = "--system single --bug single.ack-before-fsync --nemesis crash --rate 200 --time 3s";

TEST(CampaignCli, BadUsageIsOneLineAndExit2) {
  for (const char* args :
       {"campaign --seeds 5..1 --out x", "campaign --seeds 1..3", "campaign --out x", "campaign --seeds 1..3 --out x --jobs 0",
        "campaign --seeds 1..3 --out x --shard 2/2", "campaign --seeds 1..3 --out x --shards 2",
        "campaign --seeds 1..3 --out x --seed 4", "campaign --seeds 1..3 --out x --system nosuch",
        "campaign --seeds 1..3 --out x --nemesis meteor", "campaign --seeds 1..3 --out x --nemesis all,kill",
        "campaign --seeds 1..3 --out x --check-invariants --no-check-invariants", "merge m nonexistent",
        "campaign --seeds 1..3 --out x --guided --nemesis kill", "campaign --seeds 1..3 --out x --guided --shard 0/2",
        "campaign --seeds 1..3 --out x --system raft --nemesis move"}) {
    auto result = faultline(args);
    EXPECT_EQ(result.exit_code, 2) << args << ": " << result.err;
    EXPECT_EQ(line_count(result.err), 1) << args << ": " << result.err;
  }
  auto bad_index = faultline("campaign --seeds 1..3 --out x --shards 2", "JOB_COMPLETION_INDEX=2");
  EXPECT_EQ(bad_index.exit_code, 2);
  EXPECT_NE(bad_index.err.find("JOB_COMPLETION_INDEX"), std::string::npos) << bad_index.err;
}

TEST(CampaignCli, AllClaimsHeldExits0WithATable) {
  auto result = faultline("campaign --seeds 1..4 --jobs 2 --time 2s --nemesis kill --out healthy");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("linearizable"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("4 of 4 seeds run: 0 failed"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("faultline repro"), std::string::npos) << result.out;
}

// Protocol coverage: the campaign says in how many seeds each counted branch happened, and
// warns of what no seed reached (raft's follower proxying needs clients bound to nodes).
TEST(CampaignCli, ASummaryReportsProtocolCoverageAndWarnsOfBlindSpots) {
  auto result = faultline("campaign --system raft --seeds 1..3 --jobs 2 --time 2s --nemesis partition --out coverage");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("protocol coverage (seeds where it happened): "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("leaders_elected 3/3"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("warning: no seed reached "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("writes_proxied"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("seed CPU time "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(": 0 failing seeds, 0.00 per CPU minute"), std::string::npos) << result.out;
}

// Issue 10: with no --nemesis a campaign is a swarm (each seed draws its faults, cluster,
// load and timing) that checks invariants; a failing seed says what it drew, and its history
// (which names the drawn packages, never "all") replays byte for byte.
TEST(CampaignCli, ADefaultCampaignIsASwarmAndSaysWhatAFailingSeedDrew) {
  auto result = faultline("campaign --system raft --bug raft.vote-not-durable --seeds 51000..51020 --stop-on-first "
                          "--jobs 2 --no-report --out swarm");
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  std::smatch drew;
  ASSERT_TRUE(std::regex_search(result.err, drew, std::regex(R"(seed (\d+) failed: [^\n]*\n  it drew: --system raft --workload register --nemesis (\S+) )")))
      << result.err;
  const std::string history = work_dir() + "/swarm/failures/seed-" + drew[1].str() + "/history.jsonl";
  auto header = faultline::Json::parse(slurp(history).substr(0, slurp(history).find('\n')));
  EXPECT_EQ(header["params"]["check_invariants"], true);
  std::string packages;
  for (const auto& package : header["nemesis"]) packages += (packages.empty() ? "" : ",") + package.get<std::string>();
  EXPECT_EQ(packages, drew[2].str());
  auto summary = faultline::Json::parse(slurp(work_dir() + "/swarm/summary.json"));
  EXPECT_EQ(summary["scenario"]["nemesis"], faultline::Json::array({"all"})) << summary["scenario"];
  auto replay = faultline("repro " + history);
  EXPECT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  EXPECT_EQ(replay.out.rfind("identical ", 0), 0u) << replay.out;

  auto quiet = faultline("campaign --system raft --nemesis none --no-check-invariants --time 1s --seeds 1..2 --jobs 2 "
                         "--keep-all-histories --out no-faults");
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out << quiet.err;
  auto calm = faultline::Json::parse(slurp(work_dir() + "/no-faults/summary.json"));
  for (const auto& record : calm["per_seed"]) EXPECT_EQ(record["faults"], 0) << record;

  // A heartbeat given by hand with the default election timeout is not a valid pair, but
  // in a swarm the election timeout is drawn to fit it.
  auto slow = faultline("campaign --system raft --param heartbeat_ms=150 --time 1s --seeds 1..2 --jobs 2 --out slow");
  EXPECT_EQ(slow.exit_code, 0) << slow.out << slow.err;
}

// Issue 10, item 5: a guided campaign reruns the drawn configurations of seeds that reached
// new coverage; a failing child says whose configuration it ran, and replays from its history.
TEST(CampaignCli, AGuidedChildSaysWhoseConfigurationItRanAndReplays) {
  auto result = faultline("campaign --system raft --bug raft.truncate-on-stale-append --guided --seeds 1..60 "
                          "--time 2s --jobs 2 --no-report --out guided");
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("coverage growth: "), std::string::npos) << result.out;
  std::smatch child;
  ASSERT_TRUE(std::regex_search(result.out, child, std::regex(R"(, guided: seed (\d+)'s configuration\): \S+ repro (\S+))")))
      << result.out;
  EXPECT_NE(result.err.find("it drew (guided: the configuration of seed " + child[1].str() + "): "), std::string::npos)
      << result.err;
  auto replay = faultline("repro " + child[2].str());
  EXPECT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  EXPECT_EQ(replay.out.rfind("identical ", 0), 0u) << replay.out;
  auto campaign = faultline::Json::parse(slurp(work_dir() + "/guided/campaign.json"));
  EXPECT_EQ(campaign["guided"], true);
}

TEST(CampaignCli, PlantedBugIsFoundAndEveryReproCommandReplaysIdentically) {
  auto result = faultline("campaign " + kBuggy + " --seeds 1..8 --jobs 2 --out bug");
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  auto summary = faultline::Json::parse(slurp(work_dir() + "/bug/summary.json"));
  std::map<uint64_t, std::string> sha_of_seed;
  for (const auto& record : summary["per_seed"]) sha_of_seed[record["seed"]] = record["history_sha256"];
  std::regex repro_line(R"(seed (\d+) \(linearizable\): faultline repro (\S+))");
  int repros = 0;
  for (std::sregex_iterator it(result.out.begin(), result.out.end(), repro_line), end; it != end; ++it) {
    auto replay = faultline("repro " + (*it)[2].str());
    EXPECT_EQ(replay.exit_code, 0) << replay.out << replay.err;
    EXPECT_EQ(replay.out, "identical " + sha_of_seed.at(std::stoull((*it)[1].str())) + "\n");
    ++repros;
  }
  EXPECT_GT(repros, 0) << result.out;
  EXPECT_EQ(repros, summary["totals"]["seeds_failed"].get<int>());
}

TEST(CampaignCli, ShardsFromJobCompletionIndexMergeIntoOneRunsSummary) {
  auto whole = faultline("campaign " + kBuggy + " --seeds 1..6 --jobs 2 --out whole");
  ASSERT_NE(whole.exit_code, 2) << whole.err;
  for (const char* index : {"0", "1"}) {
    auto shard = faultline("campaign " + kBuggy + " --seeds 1..6 --jobs 1 --shards 2 --out shard" + index,
                           std::string("JOB_COMPLETION_INDEX=") + index);
    ASSERT_NE(shard.exit_code, 2) << shard.err;
  }
  auto merged = faultline("merge merged shard0 shard1");
  EXPECT_EQ(merged.exit_code, whole.exit_code) << merged.err;
  EXPECT_EQ(summary_without_wall_times("merged"), summary_without_wall_times("whole"));
  EXPECT_NE(merged.out.find("faultline repro merged/failures/"), std::string::npos) << merged.out;
}

TEST(CampaignCli, RerunNeedsResumeAndResumeSkipsFinishedSeeds) {
  auto first = faultline("campaign --seeds 1..3 --time 1s --out again");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto refused = faultline("campaign --seeds 1..3 --time 1s --out again");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--resume"), std::string::npos) << refused.err;
  auto resumed = faultline("campaign --seeds 1..3 --time 1s --out again --resume");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("3 seeds were already finished"), std::string::npos) << resumed.out;
}

TEST(CampaignCli, CtrlCKeepsEveryFinishedSeedWhole) {
  // More seeds than can finish before the signal, so the campaign is surely interrupted.
  auto result = shell(
      "$FAULTLINE campaign --seeds 1..100000 --jobs 2 --time 5s --out interrupted & pid=$!; "
      "for i in $(seq 600); do [ $(ls interrupted/seeds 2>/dev/null | wc -l) -ge 3 ] && break; sleep 0.1; done; "
      "kill -INT $pid; wait $pid");
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_NE(result.err.find("--resume"), std::string::npos) << result.err;
  auto summary = faultline::Json::parse(slurp(work_dir() + "/interrupted/summary.json"));
  int files = 0;
  for (const auto& entry : fs::directory_iterator(work_dir() + "/interrupted/seeds")) {
    EXPECT_EQ(entry.path().extension(), ".json") << entry.path();
    EXPECT_FALSE(faultline::Json::parse(slurp(entry.path().string()), nullptr, false).is_discarded());
    ++files;
  }
  EXPECT_GE(files, 3);
  EXPECT_EQ(summary["totals"]["seeds_run"].get<int>(), files);
  EXPECT_FALSE(summary["totals"]["complete"].get<bool>());
}

}  // namespace
