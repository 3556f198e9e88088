#pragma once
// Test helpers for the primary-replica store: a FakeEnv to drive one node by hand (unit
// tests of the replication and election logic), and a simulated Cluster with invariants
// checked after every event and every message round-tripped through the codec (scenarios).
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "framework/sim_disk.h"
#include "tests/systems/sim_cluster.h"
#include "systems/primary_replica/node.h"
#include "systems/primary_replica/primary_replica_system.h"

namespace faultline::primary_replica::testing {

using faultline::testing::kMs;
using faultline::testing::kSec;

inline Options options_of(int nodes, Json params = Json::object(), std::optional<std::string> bug = std::nullopt) {
  auto options = parse_options(SystemConfig{.node_count = nodes, .bug = std::move(bug), .params = std::move(params)});
  EXPECT_TRUE(options.has_value()) << (options ? "" : options.error().message);
  return options ? options.value() : Options{};
}

// One node's world, by hand: what it sent and which timers it set; the test delivers
// messages and fires timers itself.
class FakeEnv final : public Env {
 public:
  FakeEnv(EndpointId self, int nodes) : self_(self), nodes_(nodes), rng_(77 + self) {}
  EndpointId self() const override { return self_; }
  int node_count() const override { return nodes_; }
  void send(EndpointId to, MessagePtr message) override {
    const auto* body = message_body<PrMessage>(message);
    EXPECT_NE(body, nullptr);
    if (body) sent.emplace_back(to, *body);
  }
  TimerId set_timer(int64_t delay_ns, uint64_t tag) override {
    timers[next_timer_] = {delay_ns, tag};
    return next_timer_++;
  }
  void cancel_timer(TimerId id) override { timers.erase(id); }
  int64_t now_ns() const override { return 0; }
  int64_t monotonic_ns() const override { return 0; }
  Disk& disk() override { return disk_; }
  Rng& rng() override { return rng_; }

  // The messages of type T sent so far (and forgets every message sent).
  template <class T>
  std::vector<std::pair<EndpointId, T>> take() {
    std::vector<std::pair<EndpointId, T>> out;
    for (auto& [to, message] : sent)
      if (auto* typed = std::get_if<T>(&message)) out.emplace_back(to, *typed);
    sent.clear();
    return out;
  }
  // Fires the pending timers with this tag (in the order they were set).
  void fire(Node& node, uint64_t tag) {
    std::vector<TimerId> due;
    for (const auto& [id, timer] : timers)
      if (timer.second == tag) due.push_back(id);
    for (TimerId id : due) {
      timers.erase(id);
      node.on_timer(id, tag);
    }
  }
  bool has_timer(uint64_t tag) const {
    for (const auto& [id, timer] : timers)
      if (timer.second == tag) return true;
    return false;
  }

  std::vector<std::pair<EndpointId, PrMessage>> sent;
  std::map<TimerId, std::pair<int64_t, uint64_t>> timers;  // id -> (delay, tag)
  SimDisk disk_;

 private:
  EndpointId self_;
  int nodes_;
  Rng rng_;
  TimerId next_timer_ = 1;
};

// Timer tags of PrNode (node.h), for tests that fire them.
enum Tag : uint64_t { kHeartbeat = 1, kLease = 2, kSilence = 3, kCampaign = 4, kStepUp = 5 };

inline void deliver(PrNode& node, EndpointId from, PrMessage message) {
  node.on_message(from, make_message(std::move(message)));
}

class Cluster : public faultline::testing::SimCluster<PrSystem, PrNode> {
 public:
  Cluster(int nodes, uint64_t seed, Json params = Json::object(), std::optional<std::string> bug = std::nullopt,
          std::string workload = "register")
      : SimCluster(SystemConfig{.node_count = nodes, .bug = std::move(bug), .params = std::move(params),
                                .workload = std::move(workload)},
                   seed) {}

  // The live primary of the newest epoch among `among` (all when empty), once there is one.
  std::optional<int> primary(const std::set<int>& among = {}) const {
    std::optional<int> best;
    for (int i = 0; i < size(); ++i) {
      if ((!among.empty() && !among.count(i)) || !node(i) || node(i)->role() != Role::primary) continue;
      if (!best || node(i)->epoch() > node(*best)->epoch()) best = i;
    }
    return best;
  }
  std::optional<int> wait_primary(const std::set<int>& among = {}, int64_t timeout = 5 * kSec,
                                  int64_t newer_than_epoch = 0) {
    std::optional<int> found;
    run_until([&] {
      found = primary(among);
      return found && node(*found)->epoch() > newer_than_epoch && node(*found)->lease_valid();
    }, timeout);
    return found;
  }

  // Every live node holds the same log and has applied all of it.
  bool converged() const {
    std::optional<uint64_t> chain;
    for (int i = 0; i < size(); ++i) {
      if (!node(i)) continue;
      const auto& log = node(i)->log();
      if (node(i)->applied_index() != log.last_index()) return false;
      if (chain && *chain != log.chain_at(log.last_index())) return false;
      chain = log.chain_at(log.last_index());
    }
    return true;
  }

};

}  // namespace faultline::primary_replica::testing
