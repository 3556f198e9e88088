// The sharded store in a simulated cluster (issue 13): the controller and the replica
// groups elect, a shard moves live with its data, and every group learns every
// configuration, with every invariant checked after each event.
#include <gtest/gtest.h>

#include "systems/sharded/controller_node.h"
#include "systems/sharded/group_node.h"
#include "systems/sharded/messages.h"
#include "systems/sharded/sharded_system.h"
#include "tests/systems/sim_cluster.h"

namespace faultline::sharded {
namespace {

using faultline::testing::kMs;
using faultline::testing::kSec;

class ShardedCluster : public faultline::testing::SimCluster<ShardedSystem, Node> {
 public:
  ShardedCluster() : SimCluster(SystemConfig{.node_count = 12}, 5) {}

  const GroupNode* group_node(int i) const { return dynamic_cast<const GroupNode*>(node(i)); }
  const ControllerNode* controller_node(int i) const { return dynamic_cast<const ControllerNode*>(node(i)); }

  void operator_change(const std::string& f, uint32_t pick) {
    for (EndpointId node = 0; node < size(); ++node)
      sim().send_operator_message(node, make_message(ShardMessage{OperatorChange{.f = f, .value = {{"pick", pick}}}}));
  }

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

}  // namespace
}  // namespace faultline::sharded
