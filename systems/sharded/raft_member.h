#pragma once
// One member of a Raft group in the sharded cluster (the controller's or a replica
// group's): an unchanged raft::RaftNode behind a GroupEnv, with the state machine of its
// group. The sharded nodes own one and add what crosses groups.
#include <memory>

#include "base/assert.h"
#include "systems/raft/group_env.h"
#include "systems/raft/node.h"

namespace faultline::sharded {

class RaftMember {
 public:
  RaftMember(Env& env, EndpointId first, int size, const raft::Options& options, raft::Coverage& coverage,
             std::unique_ptr<raft::StateMachine> machine)
      : group_env_(env, first, size), raft_(group_env_, options, coverage, std::move(machine)) {}

  void start() { raft_.start(); }
  void on_timer(TimerId id, uint64_t tag) { raft_.on_timer(id, tag); }
  // Raft traffic comes from the group's own members and from clients only.
  void on_raft_message(EndpointId from, const MessagePtr& message) {
    const auto local = group_env_.to_local(from);
    FAULTLINE_ASSERT(local.has_value(), "Raft messages stay within a group");
    raft_.on_message(*local, message);
  }

  const raft::RaftNode& raft() const { return raft_; }
  raft::RaftNode& raft() { return raft_; }
  bool leads() const { return raft_.role() == raft::Role::leader; }

 private:
  raft::GroupEnv group_env_;
  raft::RaftNode raft_;
};

}  // namespace faultline::sharded
