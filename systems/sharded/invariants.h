#pragma once
// White-box invariants of the sharded store, checked after every simulated event:
//   raft, per group    every Raft invariant (systems/raft/invariants.h) within the
//                      controller's group and within each replica group
//   one server         in any configuration, at most one group serves a shard, and a
//                      group serves only shards its configuration gives it
//   frozen means frozen a shard leaving a group does not change after its freeze, and the
//                      destination installs exactly what the source froze (its data and
//                      client sessions): no write acknowledged before the freeze is lost
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "framework/system.h"
#include "systems/raft/invariants.h"
#include "systems/sharded/layout.h"

namespace faultline::sharded {

class ShardedInvariants final : public InvariantChecker {
 public:
  explicit ShardedInvariants(const Layout& layout);
  std::optional<std::string> check(std::span<Node* const> nodes) override;

 private:
  std::optional<std::string> check_raft(std::span<Node* const> nodes);
  std::optional<std::string> check_one_server(std::span<Node* const> nodes);
  std::optional<std::string> check_frozen(std::span<Node* const> nodes);

  Layout layout_;
  raft::RaftInvariants controller_;
  std::vector<raft::RaftInvariants> groups_;
  std::map<std::pair<int, int64_t>, std::set<int>> servers_;  // (shard, config) -> groups seen serving it
  std::map<std::pair<int, int64_t>, uint64_t> frozen_;  // (shard, config) -> shard_digest at the freeze
  // Per node: the (incarnation, applied index) last checked by check_frozen; its state
  // changes only when one of them does.
  std::vector<std::pair<uint64_t, int64_t>> frozen_checked_;
};

}  // namespace faultline::sharded
