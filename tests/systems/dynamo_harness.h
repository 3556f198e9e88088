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

#include "framework/simulator.h"
#include "systems/dynamo/dynamo_system.h"
#include "systems/dynamo/node.h"

namespace faultline::dynamo::testing {

inline constexpr int64_t kMs = 1'000'000;
inline constexpr int64_t kSec = 1'000'000'000;

class Cluster {
 public:
  Cluster(int nodes, std::string workload, Json params, std::optional<std::string> bug = std::nullopt,
          uint64_t seed = 1) {
    SystemConfig config{.node_count = nodes, .bug = std::move(bug), .params = std::move(params),
                        .workload = std::move(workload)};
    auto made = DynamoSystem::create(config);
    EXPECT_TRUE(made.has_value()) << (made ? "" : made.error().message);
    system_ = std::move(made).value();
    SimConfig sim{.seed = seed, .node_count = nodes, .codec_roundtrip = true, .check_invariants = true};
    sim_ = std::make_unique<Simulator>(*system_, sim);
    sim_->start_nodes();
  }

  Simulator& sim() { return *sim_; }
  const DynamoSystem& system() const { return *system_; }
  int size() const { return sim_->node_count(); }
  DynamoNode* node(int i) const { return dynamic_cast<DynamoNode*>(sim_->node(i)); }
  const std::optional<std::string>& violation() const { return sim_->invariant_violation(); }
  void run_for(int64_t ns) { sim_->run_until(sim_->now_ns() + ns); }

  bool run_until(const std::function<bool()>& done, int64_t timeout) {
    const int64_t deadline = sim_->now_ns() + timeout;
    while (!done()) {
      if (violation() || sim_->now_ns() >= deadline) return false;
      if (!sim_->step()) sim_->run_until(deadline);
    }
    return true;
  }

  // Only nodes in the same group talk (both ways); clients reach every node.
  void partition(const std::vector<std::vector<int>>& groups) {
    std::vector<int> group_of(size(), -1);
    for (size_t g = 0; g < groups.size(); ++g)
      for (int node : groups[g]) group_of[node] = static_cast<int>(g);
    for (int a = 0; a < size(); ++a)
      for (int b = 0; b < size(); ++b)
        if (a != b && group_of[a] != group_of[b]) sim_->cut_link(a, b);
  }
  void heal() { sim_->heal_all_links(); }

  // One operation from a fresh client at a chosen node; its completion, or nullopt.
  std::optional<Completion> submit(ClientOp op, int64_t timeout = 2 * kSec) {
    auto done = std::make_shared<std::optional<Completion>>();
    const EndpointId client = sim_->add_client([done](const Completion& c) { *done = c; });
    sim_->invoke(client, op);
    run_until([&] { return done->has_value(); }, timeout);
    sim_->retire_client(client);
    return *done;
  }
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

 private:
  std::unique_ptr<DynamoSystem> system_;
  std::unique_ptr<Simulator> sim_;
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
