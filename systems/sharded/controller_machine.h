#pragma once
// The shard controller's replicated state (issue 13): the sequence of configurations, kept
// by the controller's Raft group. Its commands are the operator's changes, each a log entry:
// "join" / "leave" {"group": g} and "move" {"shard": s, "group": g}. A change that changes
// nothing (a member joining, the last member leaving, a shard moved to its owner) adds no
// configuration, so replaying a log or a duplicated command is harmless.
#include <vector>

#include "systems/raft/state_machine.h"
#include "systems/sharded/coverage.h"
#include "systems/sharded/shard_config.h"

namespace faultline::sharded {

class ConfigMachine final : public raft::StateMachine {
 public:
  // `coverage` (may be null) counts the configurations made.
  ConfigMachine(int shards, int groups, Coverage* coverage = nullptr);

  // ok when the command made a configuration; the value is the latest number either way.
  raft::ApplyResult apply(const raft::Command& command, bool dedup) override;
  // Operator commands have no client session to answer retries from.
  std::optional<raft::ApplyResult> cached(const raft::Command&) const override { return std::nullopt; }
  // Configuration `key` (a number; "" for the latest) as JSON; not ok (null) when there is
  // none yet.
  raft::ApplyResult query(const std::string& key) const override;
  Json to_json() const override;
  void restore(const Json& state) override;

  const ShardConfig& latest() const { return configs_.back(); }
  // Configuration `num`, or nullptr when it does not exist (yet).
  const ShardConfig* config(int64_t num) const;

 private:
  std::optional<ShardConfig> change(const raft::Command& command) const;

  int shards_;
  int groups_;
  Coverage* coverage_;
  std::vector<ShardConfig> configs_;  // configs_[i].num == i + 1
};

}  // namespace faultline::sharded
