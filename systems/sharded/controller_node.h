#pragma once
// A shard controller node (issue 13): a Raft member replicating the sequence of
// configurations (controller_machine.h). It answers configuration queries from what it
// applied (a committed configuration never changes, so a follower's answer may be old but
// never wrong) and proposes the operator's changes while it leads.
#include "framework/env.h"
#include "systems/sharded/config.h"
#include "systems/sharded/controller_machine.h"
#include "systems/sharded/coverage.h"
#include "systems/sharded/messages.h"
#include "systems/sharded/raft_member.h"

namespace faultline::sharded {

class ControllerNode final : public Node {
 public:
  ControllerNode(Env& env, const Options& options, Coverage& coverage);

  void start() override { member_.start(); }
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override { member_.on_timer(id, tag); }

  const raft::RaftNode& raft() const { return member_.raft(); }
  raft::RaftNode& raft() { return member_.raft(); }  // for the invariant checker's span of nodes
  const ConfigMachine& configs() const;

 private:
  Json decode_pick(const OperatorChange& change) const;
  // The first member from `group` on (cyclically) that does not own `shard` now.
  int move_destination(int shard, int group) const;

  Env& env_;
  const Layout layout_;
  RaftMember member_;
};

}  // namespace faultline::sharded
