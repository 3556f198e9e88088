// The sharded store's pieces that need no cluster (issue 13): the layout, shard
// configurations and their rebalancing, and the controller's replicated state machine.
#include <gtest/gtest.h>

#include <rapidcheck/gtest.h>

#include <map>

#include "systems/sharded/controller_machine.h"
#include "systems/sharded/layout.h"
#include "systems/sharded/shard_config.h"
#include "systems/sharded/shard_kv.h"

namespace faultline::sharded {
namespace {

std::map<int, int> shard_counts(const ShardConfig& config) {
  std::map<int, int> counts;
  for (int member : config.members) counts[member] = 0;
  for (int owner : config.owner) ++counts[owner];
  return counts;
}

int spread(const ShardConfig& config) {
  const auto counts = shard_counts(config);
  int least = INT32_MAX, most = 0;
  for (const auto& [member, count] : counts) {
    least = std::min(least, count);
    most = std::max(most, count);
  }
  return most - least;
}

TEST(ShardedLayout, PlacesTheControllerFirstThenEachGroup) {
  const Layout layout{.controller_size = 3, .groups = 2, .group_size = 5, .shards = 8};
  EXPECT_EQ(layout.node_count(), 13);
  EXPECT_EQ(layout.group_of(2), std::nullopt);
  EXPECT_EQ(layout.group_of(3), 0);
  EXPECT_EQ(layout.group_of(7), 0);
  EXPECT_EQ(layout.group_of(8), 1);
  EXPECT_EQ(layout.group_first(1), 8);
  std::set<int> shards;
  for (int key = 0; key < 100; ++key) shards.insert(layout.shard_of(std::to_string(key)));
  EXPECT_EQ(shards.size(), 8u) << "keys spread over every shard";
  EXPECT_EQ(layout.shard_of("k"), layout.shard_of("k"));
}

TEST(ShardConfig, GenesisGivesShardsRoundRobin) {
  const ShardConfig first = genesis(5, 2);
  EXPECT_EQ(first.num, 1);
  EXPECT_EQ(first.members, (std::set<int>{0, 1}));
  EXPECT_EQ(first.owner, (std::vector<int>{0, 1, 0, 1, 0}));
}

TEST(ShardConfig, ALeavingGroupsShardsGoToTheOthersAndAJoinMovesOnlyWhatItMust) {
  const ShardConfig first = genesis(16, 3);
  const auto second = left(first, 1);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->num, 2);
  EXPECT_EQ(second->members, (std::set<int>{0, 2}));
  EXPECT_LE(spread(*second), 1);
  for (size_t shard = 0; shard < first.owner.size(); ++shard)
    if (first.owner[shard] != 1) {
      EXPECT_EQ(second->owner[shard], first.owner[shard]) << "shard " << shard << " stays";
    }
  const auto third = joined(*second, 1);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->num, 3);
  EXPECT_LE(spread(*third), 1);
  for (size_t shard = 0; shard < first.owner.size(); ++shard)
    if (third->owner[shard] != second->owner[shard]) {
      EXPECT_EQ(third->owner[shard], 1) << "only to the new group";
    }
}

TEST(ShardConfig, AChangeThatChangesNothingMakesNoConfiguration) {
  const ShardConfig first = genesis(4, 2);
  EXPECT_FALSE(joined(first, 1)) << "already a member";
  EXPECT_FALSE(moved(first, 0, 0)) << "already its owner";
  EXPECT_FALSE(moved(first, 0, 5)) << "not a member";
  const auto alone = left(first, 0);
  ASSERT_TRUE(alone);
  EXPECT_FALSE(left(*alone, 1)) << "the last member stays";
  EXPECT_FALSE(left(*alone, 0)) << "not a member";
  const auto move = moved(first, 0, 1);
  ASSERT_TRUE(move);
  EXPECT_EQ(move->owner, (std::vector<int>{1, 1, 0, 1}));
}

TEST(ShardConfig, JsonRoundTripsAndRefusesAnOwnerThatIsNoMember) {
  const ShardConfig config = *left(genesis(6, 3), 2);
  auto back = config_from_json(config_to_json(config), "test");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value(), config);
  Json bad = config_to_json(config);
  bad["owner"][0] = 2;
  EXPECT_FALSE(config_from_json(bad, "test"));
  EXPECT_FALSE(config_from_json(Json{{"num", 1}}, "test"));
}

// Any sequence of changes keeps every shard on a member, numbers the configurations in
// sequence, and leaves joins and leaves balanced (at most one shard apart).
RC_GTEST_PROP(ShardConfig, ChangesKeepOwnersMembersAndBalance, ()) {
  const int groups = *rc::gen::inRange(1, 6);
  const int shards = *rc::gen::inRange(1, 20);
  ShardConfig config = genesis(shards, groups);
  const int changes = *rc::gen::inRange(0, 30);
  for (int i = 0; i < changes; ++i) {
    const int kind = *rc::gen::inRange(0, 3);
    const int group = *rc::gen::inRange(0, groups);
    std::optional<ShardConfig> next = kind == 0   ? joined(config, group)
                                      : kind == 1 ? left(config, group)
                                                  : moved(config, *rc::gen::inRange(0, shards), group);
    if (!next) continue;
    RC_ASSERT(next->num == config.num + 1);
    for (int owner : next->owner) RC_ASSERT(next->members.count(owner) == 1u);
    if (kind != 2) RC_ASSERT(spread(*next) <= 1);
    config = std::move(*next);
  }
}

raft::Command change(const std::string& f, Json value) { return {.client = 0, .seq = 0, .f = f, .key = "", .value = std::move(value)}; }

TEST(ConfigMachine, AppliesChangesAsNewConfigurationsAndReadsThemByNumber) {
  ConfigMachine machine(8, 2);
  EXPECT_EQ(machine.latest(), genesis(8, 2));
  EXPECT_FALSE(machine.apply(change("join", {{"group", 0}}), true).ok);
  const auto left_one = machine.apply(change("leave", {{"group", 0}}), true);
  EXPECT_TRUE(left_one.ok);
  EXPECT_EQ(left_one.value, 2);
  EXPECT_TRUE(machine.apply(change("join", {{"group", 0}}), true).ok);
  EXPECT_TRUE(machine.apply(change("move", {{"shard", 3}, {"group", 0}}), false).ok);
  EXPECT_EQ(machine.latest().num, 4);
  EXPECT_EQ(machine.latest().owner[3], 0);
  EXPECT_EQ(machine.query("2").value, config_to_json(*machine.config(2)));
  EXPECT_EQ(machine.query("").value, config_to_json(machine.latest()));
  EXPECT_FALSE(machine.query("5").ok);
  EXPECT_EQ(machine.config(0), nullptr);
}

TEST(ConfigMachine, RestoresFromItsSnapshotOrFromNothing) {
  ConfigMachine machine(8, 2);
  machine.apply(change("leave", {{"group", 1}}), true);
  ConfigMachine copy(8, 2);
  copy.restore(machine.to_json());
  EXPECT_EQ(copy.to_json(), machine.to_json());
  EXPECT_EQ(copy.latest().num, 2);
  copy.restore(nullptr);
  EXPECT_EQ(copy.latest(), genesis(8, 2));
}

std::string key_in_shard(const Layout& layout, int shard) {
  for (int i = 0;; ++i)
    if (layout.shard_of("k" + std::to_string(i)) == shard) return "k" + std::to_string(i);
}

raft::Command client_write(const std::string& key, int64_t value) {
  return {.client = 7, .seq = 1, .f = "write", .key = key, .value = value};
}

raft::Command step(const std::string& f, Json value) { return change(f, std::move(value)); }

// One shard moves from group 0 to group 1 with its data and its client sessions, one log
// entry per step, each step idempotent.
TEST(ShardKv, AMoveFreezesTheSourceInstallsDataAndSessionsThenCollects) {
  const Layout layout{.controller_size = 1, .groups = 2, .group_size = 1, .shards = 4};
  ShardKv source(layout, 0), destination(layout, 1);
  const std::string key = key_in_shard(layout, 0);  // genesis: shard 0 is group 0's
  EXPECT_EQ(source.apply(client_write(key, 5), true).value, 5);
  EXPECT_EQ(destination.query(key).wrong_group, 1);
  EXPECT_EQ(destination.apply(client_write(key, 6), true).wrong_group, 1);
  EXPECT_FALSE(destination.cached(client_write(key, 6))) << "a refused command is not a session's";

  const ShardConfig second = *moved(genesis(4, 2), 0, 1);
  const Json learn = {{"config", config_to_json(second)}};
  EXPECT_TRUE(source.apply(step("config", learn), true).ok);
  EXPECT_TRUE(destination.apply(step("config", learn), true).ok);
  EXPECT_EQ(source.shard(0).state, ShardState::sending);
  EXPECT_EQ(source.shard(0).peer, 1);
  EXPECT_EQ(destination.shard(0).state, ShardState::pulling);
  EXPECT_EQ(source.query(key).wrong_group, 2) << "frozen: the source serves it no more";
  EXPECT_EQ(source.apply(client_write(key, 9), true).wrong_group, 2);
  EXPECT_EQ(destination.query(key).wrong_group, 2) << "not served before its data is installed";
  const ShardConfig third = *moved(second, 2, 1);
  EXPECT_FALSE(source.apply(step("config", {{"config", config_to_json(third)}}), true).ok) << "a move is in flight";

  const Json install = {{"shard", 0}, {"num", 2}, {"store", source.shard(0).store.to_json()}};
  EXPECT_TRUE(destination.apply(step("install", install), true).ok);
  EXPECT_FALSE(destination.apply(step("install", install), true).ok) << "a duplicate install changes nothing";
  EXPECT_EQ(destination.query(key).value, 5);
  ASSERT_TRUE(destination.cached(client_write(key, 5))) << "the session moved with the shard";
  EXPECT_EQ(destination.gc_notices().at({0, 2}), 0);

  ShardKv restored(layout, 1);
  restored.restore(destination.to_json());
  EXPECT_EQ(restored.to_json(), destination.to_json());

  EXPECT_TRUE(source.apply(step("gc", {{"shard", 0}, {"num", 2}}), true).ok);
  EXPECT_EQ(source.shard(0).state, ShardState::absent);
  EXPECT_EQ(source.shard(0).store.to_json(), raft::KvStore{}.to_json());
  EXPECT_TRUE(source.settled());
  EXPECT_TRUE(destination.apply(step("gc-done", {{"shard", 0}, {"num", 2}}), true).ok);
  EXPECT_TRUE(destination.gc_notices().empty());
  EXPECT_TRUE(source.apply(step("config", {{"config", config_to_json(third)}}), true).ok) << "settled: the next one";
}

}  // namespace
}  // namespace faultline::sharded
