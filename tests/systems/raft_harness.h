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

#include "framework/simulator.h"
#include "systems/raft/node.h"
#include "systems/raft/raft_system.h"

namespace faultline::raft::testing {

inline constexpr int64_t kMs = 1'000'000;
inline constexpr int64_t kSec = 1'000'000'000;

class Cluster {
 public:
  Cluster(int nodes, uint64_t seed, std::optional<std::string> bug = std::nullopt,
          Json params = Json::object(), LinkQuality link = {}) {
    SystemConfig config{nodes, std::move(bug), std::move(params)};
    auto made = RaftSystem::create(config);
    EXPECT_TRUE(made.has_value());
    system_ = std::move(made).value();
    SimConfig sim;
    sim.seed = seed;
    sim.node_count = nodes;
    sim.default_link = link;
    sim.codec_roundtrip = true;
    sim.check_invariants = true;
    sim_ = std::make_unique<Simulator>(*system_, sim);
    sim_->start_nodes();
  }

  Simulator& sim() { return *sim_; }
  int size() const { return sim_->node_count(); }
  RaftNode* node(int i) const { return dynamic_cast<RaftNode*>(sim_->node(i)); }
  const std::optional<std::string>& violation() const { return sim_->invariant_violation(); }
  void run_for(int64_t ns) { sim_->run_until(sim_->now_ns() + ns); }

  // Steps until `done` holds or `timeout` of simulated time passed; whether it held.
  bool run_until(const std::function<bool()>& done, int64_t timeout) {
    const int64_t deadline = sim_->now_ns() + timeout;
    while (!done()) {
      if (violation() || sim_->now_ns() >= deadline) return false;
      if (!sim_->step()) sim_->run_until(deadline);
    }
    return true;
  }

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

  void cut(int a, int b) {
    sim_->cut_link(a, b);
    sim_->cut_link(b, a);
  }
  void isolate(int a) {
    for (int b = 0; b < size(); ++b)
      if (b != a) cut(a, b);
  }
  void heal_all() { sim_->heal_all_links(); }
  // Only the given node pairs can talk (both ways); clients always reach every node.
  void connect_only(const std::vector<std::pair<int, int>>& pairs) {
    for (int a = 0; a < size(); ++a)
      for (int b = 0; b < size(); ++b)
        if (a != b) sim_->cut_link(a, b);
    for (auto [a, b] : pairs) {
      sim_->heal_link(a, b);
      sim_->heal_link(b, a);
    }
  }

  // Invokes one operation from a fresh client; the completion, or nullopt if none came
  // within `timeout`. The client is retired afterwards.
  std::optional<Completion> submit(ClientOp op, int64_t timeout = 2 * kSec) {
    auto done = std::make_shared<std::optional<Completion>>();
    const EndpointId client = sim_->add_client([done](const Completion& c) { *done = c; });
    sim_->invoke(client, op);
    run_until([&] { return done->has_value(); }, timeout);
    sim_->retire_client(client);
    return *done;
  }
  // Starts an operation and leaves it running; completions go to `sink`.
  EndpointId start(ClientOp op, std::function<void(const Completion&)> sink) {
    const EndpointId client = sim_->add_client(std::move(sink));
    sim_->invoke(client, op);
    return client;
  }

  // MIT one(): retries until the write is acknowledged, within `timeout`.
  bool write(const std::string& key, Json value, int64_t timeout = 10 * kSec) {
    const int64_t deadline = sim_->now_ns() + timeout;
    while (sim_->now_ns() < deadline && !violation()) {
      auto done = submit(ClientOp{"write", key, value, std::nullopt}, deadline - sim_->now_ns());
      if (done && done->type == OpType::ok) return true;
    }
    return false;
  }
  std::optional<Json> read(const std::string& key, int64_t timeout = 5 * kSec) {
    const int64_t deadline = sim_->now_ns() + timeout;
    while (sim_->now_ns() < deadline && !violation()) {
      auto done = submit(ClientOp{"read", key, nullptr, std::nullopt}, deadline - sim_->now_ns());
      if (done && done->type == OpType::ok) return done->value;
    }
    return std::nullopt;
  }

  // Every live node has applied the same commit index and holds the same data.
  bool converged() const {
    std::optional<Json> data;
    std::optional<int64_t> applied;
    for (int i = 0; i < size(); ++i) {
      if (!node(i)) continue;
      const Json mine = node(i)->kv().to_json().at("data");
      if (data && (*data != mine || *applied != node(i)->last_applied())) return false;
      data = mine;
      applied = node(i)->last_applied();
    }
    return true;
  }

 private:
  std::unique_ptr<RaftSystem> system_;
  std::unique_ptr<Simulator> sim_;
};

}  // namespace faultline::raft::testing
