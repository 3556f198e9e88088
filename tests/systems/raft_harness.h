#pragma once
// A small harness over the Simulator for the Raft scenario and campaign tests: a cluster
// with invariants checked after every event, link helpers, and MIT-6.5840-style helpers
// to find the leader and to get a command committed.
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "systems/raft/node.h"
#include "systems/raft/raft_system.h"
#include "tests/systems/sim_cluster.h"

namespace faultline::raft::testing {

using faultline::testing::kMs;
using faultline::testing::kSec;

class Cluster : public faultline::testing::SimCluster<RaftSystem, RaftNode> {
 public:
  Cluster(int nodes, uint64_t seed, std::optional<std::string> bug = std::nullopt,
          Json params = Json::object(), LinkQuality link = {})
      : SimCluster(SystemConfig{.node_count = nodes, .bug = std::move(bug), .params = std::move(params)}, seed,
                   link) {}

  // Live leaders by term among nodes in `among` (all when empty).
  std::vector<int> leaders(const std::set<int>& among = {}) const {
    std::vector<int> out;
    for (int i = 0; i < size(); ++i) {
      if (!among.empty() && !among.count(i)) continue;
      if (node(i) && node(i)->role() == Role::leader) out.push_back(i);
    }
    return out;
  }

  // MIT checkOneLeader: waits for exactly one leader in the highest term among `among`.
  std::optional<int> wait_leader(int64_t timeout = 5 * kSec, const std::set<int>& among = {}) {
    std::optional<int> found;
    run_until([&] {
      auto ls = leaders(among);
      if (ls.size() != 1) return false;
      found = ls[0];
      return true;
    }, timeout);
    return found;
  }

  // Every live node has applied the same commit index and holds the same data.
  bool converged() const {
    std::optional<Json> data;
    std::optional<int64_t> applied;
    for (int i = 0; i < size(); ++i) {
      if (!node(i)) continue;
      const Json mine = node(i)->machine().to_json().at("data");
      if (data && (*data != mine || *applied != node(i)->last_applied())) return false;
      data = mine;
      applied = node(i)->last_applied();
    }
    return true;
  }

};

}  // namespace faultline::raft::testing
