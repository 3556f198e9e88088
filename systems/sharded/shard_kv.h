#pragma once
// A replica group's replicated state (issue 13): the shards it serves, each a key-value map
// with its own client sessions, and the migration steps that move shards between groups.
// Every step is a log entry of the group's Raft log, so a crash at any point resumes from
// the log (MIT 6.5840 shardkv; CockroachDB's range moves):
//   "config"  {"config": C}          learn configuration C (the next one, once no shard is
//                                    in flight): a shard leaving this group is frozen
//                                    (serving -> sending: this log position is the freeze),
//                                    a shard arriving waits for its data (absent -> pulling)
//   "install" {"shard","num","store"} the data and sessions of a shard pulled at config num
//                                    (pulling -> serving)
//   "gc"      {"shard","num"}        the destination installed it: drop it (sending -> absent)
//   "gc-done" {"shard","num"}        the source dropped it: stop telling it
// A client command on a shard this group does not serve has no effect and answers
// wrong_group with the group's configuration number.
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "systems/raft/state_machine.h"
#include "systems/sharded/bugs.h"
#include "systems/sharded/coverage.h"
#include "systems/sharded/layout.h"
#include "systems/sharded/shard_config.h"

namespace faultline::sharded {

enum class ShardState { absent, serving, pulling, sending };

struct ShardRecord {
  ShardState state = ShardState::absent;
  int64_t num = 0;    // the configuration at which this state began
  int peer = -1;      // pulling: the source group; sending: the destination group
  raft::KvStore store;  // the shard's data and sessions: they move together (diss. 6.3)
  // shard_digest of what an install brought (0: none), for the invariant that a destination
  // holds what its source froze.
  uint64_t installed_digest = 0;
};

// A stable hash of a shard's data and sessions.
uint64_t shard_digest(const raft::KvStore& store);

class ShardKv final : public raft::StateMachine {
 public:
  // Starts at configuration 1, serving the shards it gives this group. `coverage` (may be
  // null) counts the steps applied.
  ShardKv(const Layout& layout, int group, Coverage* coverage = nullptr, Bugs bugs = {});

  raft::ApplyResult apply(const raft::Command& command, bool dedup) override;
  std::optional<raft::ApplyResult> cached(const raft::Command& command) const override;
  raft::ApplyResult query(const std::string& key) const override;
  Json to_json() const override;
  void restore(const Json& state) override;

  const ShardConfig& config() const { return config_; }
  const ShardRecord& shard(int shard) const;
  // No shard is pulling or sending: the group may learn the next configuration.
  bool settled() const;
  // Installed shards whose source has not yet dropped them: (shard, num) -> source group.
  const std::map<std::pair<int, int64_t>, int>& gc_notices() const { return gc_notices_; }

 private:
  raft::ApplyResult apply_config(const Json& value);
  raft::ApplyResult apply_install(const Json& value);
  raft::ApplyResult apply_gc(const Json& value);
  raft::ApplyResult apply_client(const raft::Command& command, bool dedup);
  raft::ApplyResult wrong_group() const;
  // Whether this group takes commands (and, separately, reads) for the shard now: only
  // while serving it, unless a planted bug widens that.
  bool takes_commands(const ShardRecord& record) const;
  bool serves_reads(const ShardRecord& record) const;

  Layout layout_;
  int group_;
  Coverage* coverage_;
  Bugs bugs_;
  ShardConfig config_;
  std::vector<ShardRecord> shards_;
  std::map<std::pair<int, int64_t>, int> gc_notices_;
};

}  // namespace faultline::sharded
