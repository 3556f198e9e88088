#pragma once
// A small harness over the Simulator for the Dynamo scenario tests: a cluster with the
// invariants checked after every event, link helpers, clients that address a chosen node,
// and access to each node's replicas and hints.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "systems/dynamo/dynamo_system.h"
#include "systems/dynamo/node.h"
#include "tests/systems/sim_cluster.h"

namespace faultline::dynamo::testing {

using faultline::testing::kMs;
using faultline::testing::kSec;

class Cluster : public faultline::testing::SimCluster<DynamoSystem, DynamoNode> {
 public:
  Cluster(int nodes, std::string workload, Json params, std::optional<std::string> bug = std::nullopt,
          uint64_t seed = 1)
      : SimCluster(SystemConfig{.node_count = nodes, .bug = std::move(bug), .params = std::move(params),
                                .workload = std::move(workload)},
                   seed) {}

  // One operation from a fresh client at a chosen node; its completion, or nullopt.
  std::optional<Completion> op_at(int node, const std::string& f, const std::string& key, Json value) {
    return submit(ClientOp{.f = f, .key = key, .value = std::move(value), .node = node});
  }
  // A read at `node` that succeeded, else the error as a string.
  Json read_at(int node, const std::string& key) {
    auto done = op_at(node, "read", key, Json());
    if (!done || done->type != OpType::ok) return "read failed";
    return done->value;
  }
  bool ok(const std::optional<Completion>& done) const { return done && done->type == OpType::ok; }

  // The key's owners under node 0's view of the ring.
  std::vector<int> owners(const std::string& key) const {
    return node(0)->ring().preference_list(Ring::key_hash(key));
  }
  std::optional<KeyState> replica(int node_id, const std::string& key) const {
    return node(node_id)->storage().key(key);
  }
  size_t hint_count() const {
    size_t count = 0;
    for (int i = 0; i < size(); ++i)
      if (node(i)) count += node(i)->storage().hints().size();
    return count;
  }
  // Every owner of the key holds the same state.
  bool owners_agree(const std::string& key) const {
    std::optional<std::optional<KeyState>> first;
    for (int owner : owners(key)) {
      const auto state = replica(owner, key);
      if (first && !(*first == state)) return false;
      first = state;
    }
    return true;
  }

};

// A key whose owners (on a fresh ring of `nodes` nodes) are exactly `owners`, in any order.
inline std::string key_owned_by(int nodes, std::vector<int> owners) {
  std::sort(owners.begin(), owners.end());
  const Ring ring(nodes, 8, static_cast<int>(owners.size()));
  for (int i = 0;; ++i) {
    const std::string key = "k" + std::to_string(i);
    auto list = ring.preference_list(Ring::key_hash(key));
    std::sort(list.begin(), list.end());
    if (list == owners) return key;
  }
}

}  // namespace faultline::dynamo::testing
