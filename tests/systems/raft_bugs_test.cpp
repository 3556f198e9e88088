// The planted bugs of the Raft store (issue 3, item 6): for each, a campaign of at most
// 1,000 seeds must detect it (a broken invariant or a violated claim), and the correct
// build must pass the same seeds. Seeds and wall times to the first detection are recorded
// in docs/benchmarks.md ("## Raft store").
#include <gtest/gtest.h>

#include "tests/systems/raft_campaign.h"
#include "tests/systems/raft_figure8.h"

namespace faultline::raft::testing {
namespace {

constexpr int kMaxSeeds = 1000;
constexpr int kMinCorrectSeeds = 30;

struct BugCase {
  std::string bug;
  std::vector<std::string> nemesis;
  int nodes;
};

Scenario bug_scenario(const BugCase& c, uint64_t seed, bool with_bug) {
  Scenario s = raft_scenario(seed, c.nemesis, with_bug ? std::optional(c.bug) : std::nullopt, c.nodes);
  s.link.latency_ns_jitter = 20'000'000;  // 1-21 ms links: replication windows worth hitting
  return s;
}

class RaftBugCampaign : public ::testing::TestWithParam<BugCase> {};

TEST_P(RaftBugCampaign, CaughtWithinBudgetAndCorrectBuildPassesSameSeeds) {
  const BugCase& c = GetParam();
  const auto found = campaign([&](uint64_t seed) { return bug_scenario(c, seed, true); }, kMaxSeeds);
  ASSERT_TRUE(found.first_seed.has_value()) << c.bug << " not caught in " << kMaxSeeds << " seeds";
  std::printf("[raft bug] %s: first detection at seed %llu after %.2f s (%s)\n", c.bug.c_str(),
              static_cast<unsigned long long>(*found.first_seed), found.wall_s,
              found.why.substr(0, 200).c_str());
  const int correct_seeds = std::max<int>(kMinCorrectSeeds, static_cast<int>(*found.first_seed));
  const auto correct =
      campaign([&](uint64_t seed) { return bug_scenario(c, seed, false); }, correct_seeds);
  EXPECT_FALSE(correct.first_seed.has_value())
      << "the correct build failed seed " << *correct.first_seed << ": " << correct.why;
}

INSTANTIATE_TEST_SUITE_P(
    Bugs, RaftBugCampaign,
    ::testing::Values(
        BugCase{"raft.vote-not-durable", {"crash"}, 3},
        BugCase{"raft.ack-before-fsync", {"crash:all"}, 3},
        BugCase{"raft.read-without-leader-check", {"partition:leader", "pause"}, 3},
        BugCase{"raft.no-client-dedup", {"partition:leader", "kill:leader"}, 3},
        BugCase{"raft.skip-up-to-date-check", {"partition:leader", "kill:leader"}, 3},
        BugCase{"raft.truncate-on-stale-append", {"flaky", "kill:leader"}, 3}),
    [](const auto& info) {
      std::string name = info.param.bug.substr(5);
      for (char& ch : name)
        if (ch == '-') ch = '_';
      return name;
    });

// raft.commit-prior-term needs the Figure 8 schedule: leaders that die within a few ms of
// being elected, and an old-term entry acknowledged on its own (one entry per append).
// MIT's randomized TestFigure8 finds it; the correct build passes the same seeds.
TEST(RaftBugCommitPriorTerm, RandomFigure8CampaignCatchesIt) {
  const Json params = {{"max_entries_per_append", 1}};
  const auto begin = std::chrono::steady_clock::now();
  std::optional<uint64_t> found;
  std::string why;
  for (uint64_t seed = 1; seed <= kMaxSeeds && !found; ++seed) {
    if (auto v = run_figure8_random(seed, "raft.commit-prior-term", params)) {
      found = seed;
      why = *v;
    }
  }
  ASSERT_TRUE(found) << "raft.commit-prior-term not caught in " << kMaxSeeds << " seeds";
  std::printf("[raft bug] raft.commit-prior-term: first detection at seed %llu after %.2f s (%s)\n",
              static_cast<unsigned long long>(*found),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count(),
              why.substr(0, 200).c_str());
  const auto correct_seeds = std::max<uint64_t>(kMinCorrectSeeds, *found);
  for (uint64_t seed = 1; seed <= correct_seeds; ++seed) {
    auto v = run_figure8_random(seed, std::nullopt, params);
    EXPECT_FALSE(v) << "seed " << seed << ": " << *v;
  }
}

// The scripted Figure 8 (raft_scenario_test.cpp runs it on the correct build) breaks
// state-machine safety as soon as old-term entries are committed by counting.
TEST(RaftBugCommitPriorTerm, ScriptedFigure8CatchesIt) {
  const auto out = run_figure8_script(1, "raft.commit-prior-term");
  ASSERT_TRUE(out.scripted);
  EXPECT_TRUE(out.old_entry_committed_alone);
  ASSERT_TRUE(out.violation.has_value());
  EXPECT_NE(out.violation->find("leader completeness"), std::string::npos) << *out.violation;
}

// Every planted bug has a spec with a description and a source, and unknown names fail.
TEST(RaftBugSpecs, AllSevenListedAndParsed) {
  const auto specs = bug_specs();
  ASSERT_EQ(specs.size(), 7u);
  for (const auto& spec : specs) {
    EXPECT_EQ(spec.name.rfind("raft.", 0), 0u);
    EXPECT_FALSE(spec.description.empty());
    EXPECT_FALSE(spec.source.empty());
    EXPECT_TRUE(parse_options(SystemConfig{3, spec.name, Json::object()}).has_value());
  }
  EXPECT_FALSE(parse_options(SystemConfig{3, std::string("raft.nope"), Json::object()}).has_value());
  EXPECT_FALSE(parse_options(SystemConfig{3, std::nullopt, Json{{"heartbeat_ms", "x"}}}).has_value());
}

}  // namespace
}  // namespace faultline::raft::testing
