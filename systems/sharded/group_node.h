#pragma once
// A replica group's node (issue 13): a Raft member replicating the group's ShardKv, plus the
// move protocol's messages between groups. Only the group's leader drives moves, each step
// proposed as a log entry (shard_kv.h); every member answers pulls and collection notices
// from what it applied, so a source group serves its frozen shard from any live member.
#include <set>
#include <string>
#include <tuple>

#include "framework/env.h"
#include "systems/sharded/config.h"
#include "systems/sharded/coverage.h"
#include "systems/sharded/messages.h"
#include "systems/sharded/raft_member.h"
#include "systems/sharded/shard_kv.h"

namespace faultline::sharded {

class GroupNode final : public Node {
 public:
  GroupNode(Env& env, const Options& options, Coverage& coverage);

  void start() override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

  int group() const { return group_; }
  const raft::RaftNode& raft() const { return member_.raft(); }
  raft::RaftNode& raft() { return member_.raft(); }  // for the invariant checker's span of nodes
  const ShardKv& kv() const;

 private:
  static constexpr uint64_t kMigrationTick = 0x100;  // raft's own timer tags are 1-3

  // What the leader does each tick, and at once whenever a step it waits on applies.
  void drive();
  void drive_if_progressed();
  std::tuple<int64_t, int, size_t> applied_progress() const;
  void handle(EndpointId from, const ShardMessage& message);
  void on_config(const ConfigReply& reply);
  void on_pull(EndpointId from, const ShardPull& pull);
  void on_data(const ShardData& data);
  void on_gc(EndpointId from, const ShardGc& gc);
  void on_gc_ack(const ShardGcAck& ack);
  // Proposes a migration step once per leadership term (`memo` names it).
  void propose_once(const std::string& memo, const std::string& f, Json value);
  void send_to_group(int group, const ShardMessage& message);

  Env& env_;
  const Options options_;
  Coverage& coverage_;
  const int group_;
  RaftMember member_;
  int64_t proposed_term_ = -1;
  std::set<std::string> proposed_;  // the memos proposed in proposed_term_
  int next_controller_ = 0;
  // The applied state drive() last acted on: configuration, shards in flight, notices.
  std::tuple<int64_t, int, size_t> driven_ = {-1, -1, 0};
};

}  // namespace faultline::sharded
