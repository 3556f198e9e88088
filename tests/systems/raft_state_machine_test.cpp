// The Raft node replicates any state machine (issue 13 builds its shard groups and shard
// controller on it): a store brings its own machine, proposes its own commands on the
// leader, and a follower that fell behind gets the machine's state by snapshot.
#include <gtest/gtest.h>

#include "systems/raft/client.h"
#include "systems/raft/invariants.h"
#include "systems/raft/node.h"
#include "systems/raft/raft_system.h"
#include "tests/systems/sim_cluster.h"

namespace faultline::raft {
namespace {

using faultline::testing::kMs;
using faultline::testing::kSec;

// Counts the commands it applied; its state is the count.
class CountingMachine final : public StateMachine {
 public:
  ApplyResult apply(const Command&, bool) override { return {.ok = true, .value = ++count_}; }
  std::optional<ApplyResult> cached(const Command&) const override { return std::nullopt; }
  ApplyResult query(const std::string&) const override { return {.ok = true, .value = count_}; }
  Json to_json() const override { return {{"count", count_}}; }
  void restore(const Json& state) override { count_ = state.is_null() ? 0 : state.at("count").get<int64_t>(); }

 private:
  int64_t count_ = 0;
};

// The Raft store's protocol, codec and invariants, with the counting machine in every node.
class CountingRaftSystem final : public System {
 public:
  static Result<std::unique_ptr<CountingRaftSystem>> create(const SystemConfig& config) {
    BOOST_OUTCOME_TRY(raft, RaftSystem::create(config));
    return std::make_unique<CountingRaftSystem>(std::move(raft));
  }
  explicit CountingRaftSystem(std::unique_ptr<RaftSystem> raft) : raft_(std::move(raft)) {}

  std::string name() const override { return "counting-raft"; }
  std::vector<ClaimSpec> claims() const override { return {}; }
  std::vector<BugSpec> bugs() const override { return {}; }
  std::unique_ptr<Node> make_node(Env& env) const override {
    return std::make_unique<RaftNode>(env, raft_->options(), coverage_, std::make_unique<CountingMachine>());
  }
  std::unique_ptr<Client> make_client(ClientEnv& env) const override { return raft_->make_client(env); }
  const MessageCodec& codec() const override { return raft_->codec(); }
  std::unique_ptr<InvariantChecker> make_invariant_checker() const override { return raft_->make_invariant_checker(); }

 private:
  std::unique_ptr<RaftSystem> raft_;
  mutable Coverage coverage_;
};

class CountingCluster : public faultline::testing::SimCluster<CountingRaftSystem, RaftNode> {
 public:
  CountingCluster() : SimCluster(SystemConfig{.node_count = 3, .params = {{"snapshot_threshold", 4}}}, 7) {}

  std::optional<int> leader() {
    std::optional<int> found;
    run_until([&] {
      for (int i = 0; i < size(); ++i)
        if (node(i)->role() == Role::leader) found = i;
      return found.has_value();
    }, 5 * kSec);
    return found;
  }
  int64_t count(int i) const { return node(i)->machine().to_json().at("count").get<int64_t>(); }
};

Command step(int64_t n) { return Command{.client = 0, .seq = n, .f = "step", .key = "", .value = n}; }

TEST(RaftStateMachine, ALeaderProposesItsOwnCommandsAndEveryNodeAppliesThem) {
  CountingCluster cluster;
  const auto leader = cluster.leader();
  ASSERT_TRUE(leader);
  const int follower = (*leader + 1) % 3;
  EXPECT_FALSE(cluster.node(follower)->propose(step(0))) << "only a leader proposes";
  std::optional<int64_t> last;
  for (int64_t n = 1; n <= 3; ++n) last = cluster.node(*leader)->propose(step(n));
  ASSERT_TRUE(last);
  EXPECT_TRUE(cluster.run_until([&] {
    for (int i = 0; i < 3; ++i)
      if (cluster.node(i)->last_applied() < *last || cluster.count(i) != 3) return false;
    return true;
  }, 2 * kSec));
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

TEST(RaftStateMachine, AFollowerBehindTheSnapshotGetsTheMachinesState) {
  CountingCluster cluster;
  const auto leader = cluster.leader();
  ASSERT_TRUE(leader);
  const int behind = (*leader + 1) % 3;
  cluster.isolate(behind);
  for (int64_t n = 1; n <= 10; ++n) {  // past snapshot_threshold: the leader compacts its log
    ASSERT_TRUE(cluster.node(*leader)->propose(step(n)));
    cluster.run_for(20 * kMs);
  }
  ASSERT_GT(cluster.node(*leader)->log().base_index(), 0) << "the leader took a snapshot";
  cluster.heal_all();
  EXPECT_TRUE(cluster.run_until([&] { return cluster.count(behind) == 10; }, 3 * kSec)) << cluster.count(behind);
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

}  // namespace
}  // namespace faultline::raft
