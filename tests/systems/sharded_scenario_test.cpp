// The sharded store in a simulated cluster (issue 13): the controller and the replica
// groups elect, every group learns every configuration, and scripted moves go wrong in the
// ways a move can (the source crashes mid-move, the destination is cut off during its pull,
// a client routes by an old configuration, its refreshes are held back), with every
// invariant checked after each event.
#include <gtest/gtest.h>

#include "systems/sharded/route_stale.h"

#include "systems/sharded/controller_node.h"
#include "systems/sharded/group_node.h"
#include "systems/sharded/messages.h"
#include "systems/sharded/sharded_system.h"
#include "tests/systems/sim_cluster.h"

namespace faultline::sharded {
namespace {

using faultline::testing::kMs;
using faultline::testing::kSec;

// The key the scripted moves carry, its shard, that shard's first owner (configuration 1
// gives shard s to group s mod groups) and the group it moves to.
struct MovedKey {
  explicit MovedKey(const Layout& layout)
      : shard(layout.shard_of(key)), source(shard % layout.groups), destination((source + 1) % layout.groups) {}
  std::string key = "k1";
  int shard;
  int source;
  int destination;
};

class ShardedCluster : public faultline::testing::SimCluster<ShardedSystem, Node> {
 public:
  explicit ShardedCluster(std::optional<std::string> bug = std::nullopt, Json params = Json::object())
      : SimCluster(SystemConfig{.node_count = 12, .bug = std::move(bug), .params = std::move(params)}, 5) {}

  const GroupNode* group_node(int i) const { return dynamic_cast<const GroupNode*>(node(i)); }
  const ControllerNode* controller_node(int i) const { return dynamic_cast<const ControllerNode*>(node(i)); }

  void operator_change(const std::string& f, uint32_t pick) {
    for (EndpointId node = 0; node < size(); ++node)
      sim().send_operator_message(node, make_message(ShardMessage{OperatorChange{.f = f, .value = {{"pick", pick}}}}));
  }

  // Moves `shard` to `group` (the controller reads the pick as group + groups * shard);
  // whether the controller made the configuration.
  bool move(int shard, int group) {
    const int64_t before = latest_config();
    operator_change("move", static_cast<uint32_t>(group + layout.groups * shard));
    return run_until([&] { return latest_config() > before; }, 2 * kSec);
  }

  std::vector<int> members(int group) const {
    std::vector<int> nodes;
    for (int k = 0; k < layout.group_size; ++k) nodes.push_back(layout.group_first(group) + k);
    return nodes;
  }

  // Whether some live member of `group` holds `shard` in `state`.
  bool some_member_in(int group, int shard, ShardState state) const {
    for (int member : members(group)) {
      const GroupNode* node = group_node(member);
      if (node != nullptr && node->kv().shard(shard).state == state) return true;
    }
    return false;
  }

  // Elections, then `moved.key` written (7) and its shard's move made a configuration.
  bool write_then_move(const MovedKey& moved) {
    run_for(2 * kSec);
    return write(moved.key, 7) && move(moved.shard, moved.destination);
  }

  int64_t latest_config() const { return controller_node(0)->configs().latest().num; }
  int64_t wrong_group_replies() const { return system().run_metrics().at("wrong_group_replies").get<int64_t>(); }

  // Every live group node has applied configuration `num` with no shard in flight.
  bool all_groups_at(int64_t num) {
    return run_until([&] {
      for (int i = 3; i < size(); ++i) {
        const GroupNode* node = group_node(i);
        if (node && (node->kv().config().num != num || !node->kv().settled())) return false;
      }
      return true;
    }, 5 * kSec);
  }

  const Layout layout;
};


TEST(ShardedScenario, EveryGroupNodeLearnsEveryConfigurationAsShardsMove) {
  ShardedCluster cluster;
  cluster.run_for(2 * kSec);  // elections
  for (uint32_t pick = 1; pick <= 4; ++pick) {
    cluster.operator_change("move", pick * 7);
    cluster.run_for(300 * kMs);
  }
  const int64_t latest = cluster.controller_node(0)->configs().latest().num;
  EXPECT_GE(latest, 3) << "most moves make a configuration";
  EXPECT_TRUE(cluster.all_groups_at(latest));
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// Every member of the source group loses power just after the freeze applies there; the
// destination cannot install without it, so nobody serves the key, and once the source
// restarts from its log the move finishes with the data.
TEST(ShardedScenario, TheSourceCrashingMidMoveResumesFromItsLog) {
  ShardedCluster cluster;
  const MovedKey moved(cluster.layout);
  ASSERT_TRUE(cluster.write_then_move(moved));
  ASSERT_TRUE(cluster.run_until([&] { return cluster.some_member_in(moved.source, moved.shard, ShardState::sending); },
                                3 * kSec));
  for (int member : cluster.members(moved.source)) cluster.sim().crash(member, CrashMode::power_loss);
  cluster.run_for(1 * kSec);
  EXPECT_FALSE(cluster.some_member_in(moved.destination, moved.shard, ShardState::serving))
      << "the destination cannot serve the shard before it has the source's data";
  for (int member : cluster.members(moved.source)) cluster.sim().restart(member);
  EXPECT_TRUE(cluster.all_groups_at(cluster.latest_config()));
  EXPECT_TRUE(cluster.some_member_in(moved.destination, moved.shard, ShardState::serving));
  EXPECT_EQ(cluster.read(moved.key), Json(7));
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// Cuts the destination off from the source once it pulls the key's shard (7 written before
// the move), and reads the key meanwhile; the read's completion, if any came.
std::optional<Completion> read_while_the_destination_is_cut_off(ShardedCluster& cluster, const MovedKey& moved) {
  EXPECT_TRUE(cluster.write_then_move(moved));
  EXPECT_TRUE(cluster.run_until(
      [&] { return cluster.some_member_in(moved.destination, moved.shard, ShardState::pulling); }, 3 * kSec));
  for (int a : cluster.members(moved.destination))
    for (int b : cluster.members(moved.source)) cluster.cut(a, b);
  return cluster.submit(ClientOp{.f = "read", .key = moved.key, .value = nullptr}, 2 * kSec);
}

// The destination is cut off from the source while it pulls: the shard stays frozen at the
// source and unserved at the destination (unavailable, never wrong) until the cut heals.
TEST(ShardedScenario, ADestinationCutOffDuringItsPullServesNothingUntilItHasTheData) {
  ShardedCluster cluster;
  const MovedKey moved(cluster.layout);
  const auto during = read_while_the_destination_is_cut_off(cluster, moved);
  EXPECT_TRUE(!during || during->type != OpType::ok) << "a read answered while no group could serve the key";
  EXPECT_FALSE(cluster.some_member_in(moved.destination, moved.shard, ShardState::serving));
  EXPECT_TRUE(cluster.some_member_in(moved.source, moved.shard, ShardState::sending)) << "frozen at the source";
  cluster.heal_all();
  EXPECT_TRUE(cluster.all_groups_at(cluster.latest_config()));
  EXPECT_EQ(cluster.read(moved.key), Json(7));
  ASSERT_TRUE(cluster.write(moved.key, 8));
  EXPECT_EQ(cluster.read(moved.key), Json(8));
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// What shard.handoff-read-window breaks: the cut-off destination answers the read from the
// shard it has not received, so an acknowledged write seems to vanish.
TEST(ShardedScenario, WithHandoffReadWindowTheCutOffDestinationReadsNothing) {
  ShardedCluster cluster(kBugHandoffReadWindow);
  const MovedKey moved(cluster.layout);
  const auto during = read_while_the_destination_is_cut_off(cluster, moved);
  ASSERT_TRUE(during && during->type == OpType::ok);
  EXPECT_EQ(during->value, Json(nullptr)) << "not the 7 written before the move";
}

// A client that learnt configuration 1 writes again after the key's shard has moved: the old
// owner refuses it (wrong_group with a newer number), the client fetches the configuration
// and its write lands at the new owner. Returns what a fresh client then reads.
Json stale_client_writes_after_a_move(ShardedCluster& cluster) {
  const MovedKey moved(cluster.layout);
  cluster.run_for(2 * kSec);
  const EndpointId stale = cluster.session();
  const auto first = cluster.submit_in(stale, ClientOp{.f = "write", .key = moved.key, .value = 1});
  EXPECT_TRUE(first && first->type == OpType::ok);
  EXPECT_TRUE(cluster.move(moved.shard, moved.destination));
  EXPECT_TRUE(cluster.all_groups_at(cluster.latest_config()));
  const auto second = cluster.submit_in(stale, ClientOp{.f = "write", .key = moved.key, .value = 2});
  EXPECT_TRUE(second && second->type == OpType::ok);
  return cluster.read(moved.key).value_or(Json("no answer"));
}

TEST(ShardedScenario, AStaleClientIsRedirectedToTheNewOwner) {
  ShardedCluster cluster;
  EXPECT_EQ(stale_client_writes_after_a_move(cluster), Json(2));
  EXPECT_GT(cluster.wrong_group_replies(), 0) << "the old owner refused the stale client";
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

// What shard.stale-route-no-epoch breaks: the old owner takes the stale client's write into
// its orphaned copy and acknowledges it; the new owner never sees it.
TEST(ShardedScenario, WithStaleRouteNoEpochTheOldOwnerAcknowledgesAWriteThatIsLost) {
  ShardedCluster cluster(kBugStaleRouteNoEpoch);
  EXPECT_EQ(stale_client_writes_after_a_move(cluster), Json(1));
  EXPECT_EQ(cluster.wrong_group_replies(), 0);
}

// route-stale holds the controller's replies to clients: a fresh client (no configuration
// yet) waits at least the drawn delay for its first answer, and not once the fault stops.
// (A deadline longer than any delay, so the held read still answers.)
TEST(ShardedScenario, RouteStaleHoldsConfigurationRepliesToClients) {
  ShardedCluster cluster(std::nullopt, {{"client_op_timeout_ms", 10'000}});
  cluster.run_for(2 * kSec);
  auto nemesis = make_route_stale_nemesis("").value();
  Rng rng(1);
  const NemesisEvent started = nemesis->start(cluster.sim(), rng);
  EXPECT_EQ(started.value.at("nodes"), Json::array({0, 1, 2})) << "the controller's nodes";
  const int64_t delay_ns = started.value.at("delay_ns").get<int64_t>();
  auto timed_read = [&] {
    const int64_t begin_ns = cluster.sim().now_ns();
    const auto done = cluster.submit(ClientOp{.f = "read", .key = "k1", .value = nullptr}, 10 * kSec);
    EXPECT_TRUE(done && done->type == OpType::ok);
    return cluster.sim().now_ns() - begin_ns;
  };
  EXPECT_GE(timed_read(), delay_ns);
  nemesis->stop(cluster.sim(), rng);
  EXPECT_LT(timed_read(), 100 * kMs);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

}  // namespace
}  // namespace faultline::sharded
