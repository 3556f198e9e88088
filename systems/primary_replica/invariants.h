#pragma once
// White-box invariants of the primary-replica store (issue 11, item 5), checked after every
// simulated event with --check-invariants:
//   one primary per epoch     at most one node is ever primary of a given epoch (so at most
//                             one accepts writes in it)
//   epoch monotonicity        a node's epoch never decreases, across restarts too (durable)
//   one vote per epoch        a node grants its vote to at most one candidate in an epoch,
//                             across restarts too (the vote is durable before its reply)
//   replica prefix            a replica whose log the primary of its epoch has matched has
//                             applied exactly that primary's entries (the chain hashes agree)
//   acknowledged durability   (configurations whose claims need it) every acknowledged
//                             position stays on a majority of nodes (on node 0, the only
//                             primary there is, without failover), and each newly
//                             acknowledged position extends the acknowledged log
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "framework/system.h"
#include "systems/primary_replica/log.h"

namespace faultline::primary_replica {

class PrNode;

// Where acknowledged writes must stay: nowhere in particular (modes that may lose them), on a
// majority (failover elects from a majority), on node 0 (no failover: it is the primary).
enum class Durability { none, majority, primary_node };

class PrInvariants final : public InvariantChecker {
 public:
  explicit PrInvariants(Durability durability) : durability_(durability) {}
  std::optional<std::string> check(std::span<Node* const> nodes) override;

 private:
  std::optional<std::string> check_epoch(int id, const PrNode& node);
  std::optional<std::string> check_one_primary(int id, const PrNode& node);
  std::optional<std::string> check_vote(int id, const PrNode& node);
  std::optional<std::string> check_replica_prefix(int id, const PrNode& node,
                                                  const std::map<int64_t, const PrNode*>& primaries);
  std::optional<std::string> check_acknowledged(std::span<Node* const> nodes);

  Durability durability_;
  std::vector<int64_t> max_epoch_;               // per node, across incarnations
  std::map<int64_t, int> primary_of_epoch_;      // epoch -> the node that was its primary
  std::map<int64_t, std::map<int, int>> vote_in_epoch_;  // epoch -> voter -> its candidate
  // A node's log as last seen running (its chain hash at each index, from 1): what it holds
  // on disk while it is down, since it acknowledges only what it made durable.
  struct Seen {
    std::vector<uint64_t> chains;
    int64_t vote_epoch = -1;  // the (epoch, vote) last recorded in vote_in_epoch_
    std::optional<EndpointId> vote;
  };
  static void remember_log(Seen& seen, const PrNode& node);
  bool down_node_holds(const Seen& seen) const;

  // The highest acknowledged position (with its chain hash).
  Position acknowledged_;
  uint64_t acknowledged_chain_ = 0;
  std::vector<Seen> seen_;
};

}  // namespace faultline::primary_replica
