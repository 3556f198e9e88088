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
#include "framework/simulator.h"
#include "systems/primary_replica/node.h"
#include "systems/primary_replica/primary_replica_system.h"

namespace faultline::primary_replica::testing {

inline constexpr int64_t kMs = 1'000'000;
inline constexpr int64_t kSec = 1'000'000'000;

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

class Cluster {
 public:
  Cluster(int nodes, uint64_t seed, Json params = Json::object(), std::optional<std::string> bug = std::nullopt,
          std::string workload = "register") {
    SystemConfig config{.node_count = nodes, .bug = std::move(bug), .params = std::move(params), .workload = workload};
    auto made = PrSystem::create(config);
    EXPECT_TRUE(made.has_value()) << (made ? "" : made.error().message);
    system_ = std::move(made).value();
    SimConfig sim;
    sim.seed = seed;
    sim.node_count = nodes;
    sim.codec_roundtrip = true;
    sim.check_invariants = true;
    sim_ = std::make_unique<Simulator>(*system_, sim);
    sim_->start_nodes();
  }

  Simulator& sim() { return *sim_; }
  int size() const { return sim_->node_count(); }
  PrNode* node(int i) const { return dynamic_cast<PrNode*>(sim_->node(i)); }
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

  void cut(int a, int b) {
    sim_->cut_link(a, b);
    sim_->cut_link(b, a);
  }
  void isolate(int a) {
    for (int b = 0; b < size(); ++b)
      if (b != a) cut(a, b);
  }
  void heal_all() { sim_->heal_all_links(); }

  // One operation from a fresh client; its completion, or nullopt if none came in time.
  std::optional<Completion> submit(ClientOp op, int64_t timeout = 2 * kSec) {
    auto done = std::make_shared<std::optional<Completion>>();
    const EndpointId client = sim_->add_client([done](const Completion& c) { *done = c; });
    sim_->invoke(client, op);
    run_until([&] { return done->has_value(); }, timeout);
    sim_->retire_client(client);
    return *done;
  }
  // A client kept across operations (one session).
  EndpointId session() { return sim_->add_client([this](const Completion& c) { last_ = c; }); }
  std::optional<Completion> submit_in(EndpointId client, ClientOp op, int64_t timeout = 2 * kSec) {
    last_.reset();
    sim_->invoke(client, op);
    run_until([&] { return last_.has_value(); }, timeout);
    return last_;
  }

  // Retries until a write is acknowledged, within `timeout`.
  bool write(const std::string& key, Json value, int64_t timeout = 10 * kSec) {
    const int64_t deadline = sim_->now_ns() + timeout;
    while (sim_->now_ns() < deadline && !violation()) {
      auto done = submit(ClientOp{.f = "write", .key = key, .value = value}, deadline - sim_->now_ns());
      if (done && done->type == OpType::ok) return true;
    }
    return false;
  }
  std::optional<Json> read(const std::string& key, std::optional<EndpointId> at = std::nullopt,
                           int64_t timeout = 5 * kSec) {
    const int64_t deadline = sim_->now_ns() + timeout;
    while (sim_->now_ns() < deadline && !violation()) {
      auto done = submit(ClientOp{.f = "read", .key = key, .value = nullptr, .node = at}, deadline - sim_->now_ns());
      if (done && done->type == OpType::ok) return done->value;
    }
    return std::nullopt;
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

 private:
  std::unique_ptr<PrSystem> system_;
  std::unique_ptr<Simulator> sim_;
  std::optional<Completion> last_;
};

}  // namespace faultline::primary_replica::testing
