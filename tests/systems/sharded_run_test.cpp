// The sharded store under run_scenario: its claims and invariants hold while shards move
// under faults, moves reach keys with data, and a seed replays identically.
#include <gtest/gtest.h>

#include "framework/cli/builtins.h"
#include "tests/systems/seed_search.h"

namespace faultline::sharded {
namespace {

Scenario sharded_scenario(uint64_t seed, std::vector<std::string> nemesis) {
  Scenario s;
  s.system = "sharded";
  s.node_count = 12;
  s.nemesis = std::move(nemesis);
  s.seed = seed;
  s.time_ns = 6'000'000'000;
  s.nemesis_interval_ns = 500'000'000;
  s.key_count = 20;  // most of the 16 shards hold data, so most moves carry some
  s.check_invariants = true;
  return s;
}

TEST(ShardedRun, ClaimsAndInvariantsHoldWhileShardsMoveUnderFaults) {
  const auto out = seed_search::campaign(
      [](uint64_t seed) { return sharded_scenario(seed, {"move", "membership", "partition", "kill", "crash", "pause"}); },
      40);
  EXPECT_FALSE(out.first_seed) << "seed " << *out.first_seed << ": " << out.why;
}

TEST(ShardedRun, MovesCarryDataAndClientsFollowThem) {
  const auto out = seed_search::run_seed(sharded_scenario(3, {"move"}));
  ASSERT_FALSE(out.detected) << out.why;
  const Json& counts = out.result.metrics;
  EXPECT_GT(counts.at("shards_installed").get<int64_t>(), 0);
  EXPECT_GT(counts.at("shards_collected").get<int64_t>(), 0);
  EXPECT_GT(counts.at("wrong_group_replies").get<int64_t>(), 0) << "some client met a moved shard";
}

TEST(ShardedRun, SameSeedSameHistory) {
  auto text = [](uint64_t seed) {
    MemorySink sink;
    auto run = run_scenario(sharded_scenario(seed, {"move", "partition"}), cli::builtin_registry(), sink);
    EXPECT_TRUE(run);
    return sink.text();
  };
  EXPECT_EQ(text(5), text(5));
  EXPECT_NE(text(5), text(6));
}

}  // namespace
}  // namespace faultline::sharded
