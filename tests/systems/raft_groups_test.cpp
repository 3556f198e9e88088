// Several Raft groups side by side in one cluster (issue 13's shard controller and replica
// groups): each node runs an unchanged RaftNode behind a GroupEnv, so elections, quorums and
// replication stay within its group, and each group keeps every Raft invariant.
#include <gtest/gtest.h>

#include "base/assert.h"
#include "systems/raft/group_env.h"
#include "systems/raft/invariants.h"
#include "systems/raft/node.h"
#include "systems/raft/raft_system.h"
#include "tests/systems/sim_cluster.h"

namespace faultline::raft {
namespace {

using faultline::testing::kMs;
using faultline::testing::kSec;

constexpr int kGroupSize = 3;
constexpr int kGroups = 2;

class GroupMember final : public Node {
 public:
  GroupMember(Env& env, const Options& options, Coverage& coverage)
      : group_env_(env, env.self() / kGroupSize * kGroupSize, kGroupSize), raft_(group_env_, options, coverage) {}
  void start() override { raft_.start(); }
  void on_message(EndpointId from, const MessagePtr& message) override {
    const auto local = group_env_.to_local(from);
    FAULTLINE_ASSERT(local.has_value(), "no message crosses groups");
    raft_.on_message(*local, message);
  }
  void on_timer(TimerId id, uint64_t tag) override { raft_.on_timer(id, tag); }
  const RaftNode& raft() const { return raft_; }
  RaftNode& raft() { return raft_; }

 private:
  GroupEnv group_env_;
  RaftNode raft_;
};

// Each group's Raft invariants over its own nodes, named as the cluster names them.
class GroupsInvariants final : public InvariantChecker {
 public:
  std::optional<std::string> check(std::span<Node* const> nodes) override {
    for (int g = 0; g < kGroups; ++g) {
      std::vector<Node*> members;
      for (int i = g * kGroupSize; i < (g + 1) * kGroupSize; ++i) {
        auto* member = dynamic_cast<GroupMember*>(nodes[i]);
        members.push_back(member ? &member->raft() : nullptr);
      }
      if (auto broken = groups_[g].check(members)) return "group " + std::to_string(g) + ": " + *broken;
    }
    return std::nullopt;
  }

 private:
  RaftInvariants groups_[kGroups] = {RaftInvariants(0), RaftInvariants(kGroupSize)};
};

class TwoGroupsSystem final : public System {
 public:
  static Result<std::unique_ptr<TwoGroupsSystem>> create(const SystemConfig& config) {
    BOOST_OUTCOME_TRY(raft, RaftSystem::create(config));
    return std::make_unique<TwoGroupsSystem>(std::move(raft));
  }
  explicit TwoGroupsSystem(std::unique_ptr<RaftSystem> raft) : raft_(std::move(raft)) {}

  std::string name() const override { return "two-raft-groups"; }
  std::vector<ClaimSpec> claims() const override { return {}; }
  std::vector<BugSpec> bugs() const override { return {}; }
  std::unique_ptr<Node> make_node(Env& env) const override {
    return std::make_unique<GroupMember>(env, raft_->options(), coverage_);
  }
  std::unique_ptr<Client> make_client(ClientEnv& env) const override { return raft_->make_client(env); }
  const MessageCodec& codec() const override { return raft_->codec(); }
  std::unique_ptr<InvariantChecker> make_invariant_checker() const override {
    return std::make_unique<GroupsInvariants>();
  }

 private:
  std::unique_ptr<RaftSystem> raft_;
  mutable Coverage coverage_;
};

class GroupsCluster : public faultline::testing::SimCluster<TwoGroupsSystem, GroupMember> {
 public:
  GroupsCluster() : SimCluster(SystemConfig{.node_count = kGroups * kGroupSize}, 11) {}

  // The cluster id of group g's leader, once it has exactly one.
  std::optional<int> leader_of(int g) {
    std::optional<int> found;
    run_until([&] {
      std::vector<int> leaders;
      for (int i = g * kGroupSize; i < (g + 1) * kGroupSize; ++i)
        if (node(i) && node(i)->raft().role() == Role::leader) leaders.push_back(i);
      if (leaders.size() == 1) found = leaders.front();
      return leaders.size() == 1;
    }, 5 * kSec);
    return found;
  }

  bool applied_everywhere(int g, int64_t index) {
    return run_until([&] {
      for (int i = g * kGroupSize; i < (g + 1) * kGroupSize; ++i)
        if (node(i) && node(i)->raft().last_applied() < index) return false;
      return true;
    }, 3 * kSec);
  }
};

Command write(int64_t seq, int64_t value) {
  return Command{.client = 1, .seq = seq, .f = "write", .key = "k", .value = value};
}

TEST(RaftGroups, EachGroupElectsAndReplicatesWithinItself) {
  GroupsCluster cluster;
  std::optional<int> leaders[kGroups];
  for (int g = 0; g < kGroups; ++g) {
    leaders[g] = cluster.leader_of(g);
    ASSERT_TRUE(leaders[g]) << "group " << g;
    EXPECT_EQ(*leaders[g] / kGroupSize, g);
    EXPECT_EQ(cluster.node(*leaders[g])->raft().id(), *leaders[g] % kGroupSize) << "a member's id is its place in the group";
  }
  for (int g = 0; g < kGroups; ++g) {
    auto index = cluster.node(*leaders[g])->raft().propose(write(1, 10 + g));
    ASSERT_TRUE(index);
    EXPECT_TRUE(cluster.applied_everywhere(g, *index)) << "group " << g;
  }
  for (int i = 0; i < kGroups * kGroupSize; ++i)
    EXPECT_EQ(cluster.node(i)->raft().machine().query("k").value, Json(10 + i / kGroupSize)) << "n" << i + 1;
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

TEST(RaftGroups, ALeaderCutOffInOneGroupLeavesTheOtherGroupAlone) {
  GroupsCluster cluster;
  const auto first = cluster.leader_of(0);
  const auto second = cluster.leader_of(1);
  ASSERT_TRUE(first && second);
  const int64_t second_term = cluster.node(*second)->raft().term();
  cluster.isolate(*first);
  cluster.run_for(2 * kSec);
  const auto replacement = cluster.leader_of(0);
  ASSERT_TRUE(replacement);
  EXPECT_NE(*replacement, *first);
  EXPECT_EQ(cluster.node(*second)->raft().term(), second_term) << "group 1 held no election";
  auto index = cluster.node(*replacement)->raft().propose(write(1, 7));
  ASSERT_TRUE(index);
  cluster.heal_all();
  EXPECT_TRUE(cluster.applied_everywhere(0, *index));
  EXPECT_FALSE(cluster.violation()) << *cluster.violation();
}

}  // namespace
}  // namespace faultline::raft
