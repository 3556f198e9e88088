#pragma once
// White-box invariants of the sharded store, checked after every simulated event:
//   raft, per group    every Raft invariant (systems/raft/invariants.h) within the
//                      controller's group and within each replica group
//   one server         in any configuration, at most one group serves a shard, and a
//                      group serves only shards its configuration gives it
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

  Layout layout_;
  raft::RaftInvariants controller_;
  std::vector<raft::RaftInvariants> groups_;
  std::map<std::pair<int, int64_t>, std::set<int>> servers_;  // (shard, config) -> groups seen serving it
};

}  // namespace faultline::sharded
