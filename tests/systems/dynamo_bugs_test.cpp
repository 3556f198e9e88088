// The planted bugs of the Dynamo store (issue 12, item 4): each is caught by a campaign of
// at most 1,000 seeds in the configuration whose claim it breaks (a broken invariant or a
// violated claim), and the correct build passes the same seeds. The commands, first seeds
// and wall times are in docs/benchmarks.md ("## Dynamo store").
#include <gtest/gtest.h>

#include <cstdio>

#include "framework/shrink.h"
#include "tests/systems/dynamo_campaign.h"

namespace faultline::dynamo::testing {
namespace {

constexpr int kMaxSeeds = 1000;
// The suite's correct-build check; docs/benchmarks.md has the 1,000-seed figures.
constexpr int kMinCorrectSeeds = 10;

struct BugCase {
  std::string bug;
  DynamoConfiguration configuration;
  std::vector<std::string> nemesis;
};

class DynamoBugCampaign : public ::testing::TestWithParam<BugCase> {};

TEST_P(DynamoBugCampaign, CaughtWithinBudgetAndCorrectBuildPassesSameSeeds) {
  const BugCase& c = GetParam();
  const auto found = campaign([&](uint64_t seed) { return dynamo_scenario(c.configuration, seed, c.nemesis, c.bug); },
                              kMaxSeeds);
  ASSERT_TRUE(found.first_seed.has_value()) << c.bug << " not caught in " << kMaxSeeds << " seeds";
  std::printf("[dynamo bug] %s: first detection at seed %llu after %.2f s (%s)\n", c.bug.c_str(),
              static_cast<unsigned long long>(*found.first_seed), found.wall_s, found.why.substr(0, 200).c_str());
  const int correct_seeds = std::max<int>(kMinCorrectSeeds, static_cast<int>(*found.first_seed));
  const auto correct =
      campaign([&](uint64_t seed) { return dynamo_scenario(c.configuration, seed, c.nemesis); }, correct_seeds);
  EXPECT_FALSE(correct.first_seed.has_value())
      << "the correct build failed seed " << *correct.first_seed << ": " << correct.why;
}

const DynamoConfiguration kLwwStrict{"lww-strict", "register", {{"conflict", "lww"}, {"quorum", "strict"}}};
const DynamoConfiguration kDeleteStrict{"delete-strict", "register-delete", {{"conflict", "lww"}, {"quorum", "strict"}}};
const DynamoConfiguration kSessionW1{"session-w1", "session", {{"conflict", "lww"}, {"quorum", "strict"}, {"w", 1}}};

// A resurrected delete shrinks to a handful of ops: the workload's deletes (writes of null)
// replay in the shrinker's scripts.
TEST(DynamoBugShrink, TombstoneResurrectionShrinksWithItsDeletes) {
  const auto found = campaign(
      [&](uint64_t seed) { return dynamo_scenario(kDeleteStrict, seed, {"kill"}, "ap.tombstone-resurrection"); }, 100);
  ASSERT_TRUE(found.first_seed.has_value());
  ShrinkOptions options{.max_runs = 200};
  auto shrunk = shrink(dynamo_scenario(kDeleteStrict, *found.first_seed, {"kill"}, "ap.tombstone-resurrection"),
                       cli::builtin_registry(), options);
  ASSERT_TRUE(shrunk) << shrunk.error().message;
  EXPECT_EQ(shrunk.value().target, "linearizable");
  EXPECT_LE(shrunk.value().after.ops, 30u) << describe(shrunk.value().after);
}

// The shrinker keeps failing what made the seed fail, a claim the store makes: this seed
// breaks monotonic reads (claimed by session-w1) and read-your-writes (not claimed).
TEST(DynamoBugShrink, TargetsAClaimTheStoreMakes) {
  const Scenario failing = dynamo_scenario(kSessionW1, 95, {"flaky"}, "ap.nonblocking-read-repair");
  auto shrunk = shrink(failing, cli::builtin_registry(), ShrinkOptions{.max_runs = 1});
  ASSERT_TRUE(shrunk) << shrunk.error().message;
  EXPECT_EQ(shrunk.value().original_failing_claims, (std::set<std::string>{"monotonic-reads", "read-your-writes"}));
  EXPECT_EQ(shrunk.value().target, "monotonic-reads");
}

INSTANTIATE_TEST_SUITE_P(
    Bugs, DynamoBugCampaign,
    ::testing::Values(
        BugCase{"ap.lww-clock-skew", kLwwStrict, {"clock"}},
        BugCase{"ap.sloppy-quorum-counted", kLwwStrict, {"partition"}},
        BugCase{"ap.tombstone-resurrection", kDeleteStrict, {"kill"}},
        BugCase{"ap.siblings-collapsed", {"orset", "set", {{"conflict", "orset"}}}, {"partition"}},
        BugCase{"ap.counter-retry-double",
                {"pncounter", "counter", {{"conflict", "pncounter"}, {"quorum", "strict"}}}, {"partition"}},
        BugCase{"ap.nonblocking-read-repair", kSessionW1, {"flaky"}},
        BugCase{"ap.handoff-write-loss",
                {"always-writeable", "set", {{"conflict", "orset"}, {"r", 1}, {"w", 1}}}, {"member", "partition"}},
        BugCase{"ap.actor-id-reuse",
                {"vclock-always-writeable", "set", {{"conflict", "vclock"}, {"r", 1}, {"w", 1}}}, {"partition:one"}}),
    [](const auto& info) {
      std::string name = info.param.bug.substr(3);
      for (char& ch : name)
        if (ch == '-') ch = '_';
      return name;
    });

}  // namespace
}  // namespace faultline::dynamo::testing
