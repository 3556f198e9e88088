#pragma once
// The part of every system's scenario-test harness that does not depend on the protocol: a
// simulated cluster whose messages round-trip through the codec and whose invariants are
// checked after every event, link helpers, and clients that submit one operation at a time.
// Each system's harness derives from it and adds what it knows (leaders, primaries, rings).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "framework/simulator.h"
#include "framework/system.h"

namespace faultline::testing {

inline constexpr int64_t kMs = 1'000'000;
inline constexpr int64_t kSec = 1'000'000'000;

template <class SystemT, class NodeT>
class SimCluster {
 public:
  SimCluster(SystemConfig config, uint64_t seed, LinkQuality link = {}) {
    auto made = SystemT::create(config);
    EXPECT_TRUE(made.has_value()) << (made ? "" : made.error().message);
    system_ = std::move(made).value();
    const SimConfig sim{.seed = seed, .node_count = config.node_count, .default_link = link,
                        .codec_roundtrip = true, .check_invariants = true};
    sim_ = std::make_unique<Simulator>(*system_, sim);
    sim_->start_nodes();
  }

  Simulator& sim() { return *sim_; }
  const SystemT& system() const { return *system_; }
  int size() const { return sim_->node_count(); }
  NodeT* node(int i) const { return dynamic_cast<NodeT*>(sim_->node(i)); }
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

  void cut(int a, int b) {
    sim_->cut_link(a, b);
    sim_->cut_link(b, a);
  }
  void isolate(int a) {
    for (int b = 0; b < size(); ++b)
      if (b != a) cut(a, b);
  }
  void heal_all() { sim_->heal_all_links(); }
  // Only nodes in the same group talk (both ways); clients reach every node.
  void partition(const std::vector<std::vector<int>>& groups) {
    std::vector<int> group_of(size(), -1);
    for (size_t g = 0; g < groups.size(); ++g)
      for (int member : groups[g]) group_of[member] = static_cast<int>(g);
    for (int a = 0; a < size(); ++a)
      for (int b = 0; b < size(); ++b)
        if (a != b && group_of[a] != group_of[b]) sim_->cut_link(a, b);
  }
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
  // A client kept across operations (one session), and one operation in it.
  EndpointId session() { return sim_->add_client([this](const Completion& c) { last_ = c; }); }
  std::optional<Completion> submit_in(EndpointId client, ClientOp op, int64_t timeout = 2 * kSec) {
    last_.reset();
    sim_->invoke(client, op);
    run_until([&] { return last_.has_value(); }, timeout);
    return last_;
  }

  // Retries until a write is acknowledged, within `timeout` (MIT 6.5840's one()).
  bool write(const std::string& key, Json value, int64_t timeout = 10 * kSec) {
    const int64_t deadline = sim_->now_ns() + timeout;
    while (sim_->now_ns() < deadline && !violation()) {
      auto done = submit(ClientOp{.f = "write", .key = key, .value = value}, deadline - sim_->now_ns());
      if (done && done->type == OpType::ok) return true;
    }
    return false;
  }
  // Retries until a read (at node `at`, or wherever the client goes) succeeds.
  std::optional<Json> read(const std::string& key, std::optional<EndpointId> at = std::nullopt,
                           int64_t timeout = 5 * kSec) {
    const int64_t deadline = sim_->now_ns() + timeout;
    while (sim_->now_ns() < deadline && !violation()) {
      auto done = submit(ClientOp{.f = "read", .key = key, .value = nullptr, .node = at}, deadline - sim_->now_ns());
      if (done && done->type == OpType::ok) return done->value;
    }
    return std::nullopt;
  }

 private:
  std::unique_ptr<SystemT> system_;
  std::unique_ptr<Simulator> sim_;
  std::optional<Completion> last_;
};

}  // namespace faultline::testing
