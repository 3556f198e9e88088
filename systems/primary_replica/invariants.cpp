#include "systems/primary_replica/invariants.h"

#include "systems/primary_replica/node.h"

namespace faultline::primary_replica {

namespace {

std::string node_name(int id) { return "n" + std::to_string(id + 1); }

const PrNode* as_node(Node* node) { return dynamic_cast<const PrNode*>(node); }

bool holds(const PrNode& node, int64_t index, uint64_t chain) {
  return index <= node.log().last_index() && node.log().chain_at(index) == chain;
}

}  // namespace

std::optional<std::string> PrInvariants::check(std::span<Node* const> nodes) {
  if (max_epoch_.size() < nodes.size()) {
    max_epoch_.resize(nodes.size(), 0);
    seen_.resize(nodes.size());
  }
  std::map<int64_t, const PrNode*> primaries;  // live primaries by epoch
  for (size_t i = 0; i < nodes.size(); ++i) {
    const PrNode* node = as_node(nodes[i]);
    if (node == nullptr) continue;
    const int id = static_cast<int>(i);
    if (auto broken = check_epoch(id, *node)) return broken;
    if (auto broken = check_one_primary(id, *node)) return broken;
    if (auto broken = check_vote(id, *node)) return broken;
    if (node->role() == Role::primary) primaries[node->epoch()] = node;
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const PrNode* node = as_node(nodes[i]);
    if (node == nullptr || node->role() == Role::primary) continue;
    if (auto broken = check_replica_prefix(static_cast<int>(i), *node, primaries)) return broken;
  }
  if (durability_ != Durability::none) return check_acknowledged(nodes);
  return std::nullopt;
}

std::optional<std::string> PrInvariants::check_epoch(int id, const PrNode& node) {
  if (node.epoch() < max_epoch_[id])
    return node_name(id) + " epoch went back from " + std::to_string(max_epoch_[id]) + " to " +
           std::to_string(node.epoch());
  max_epoch_[id] = node.epoch();
  return std::nullopt;
}

std::optional<std::string> PrInvariants::check_one_primary(int id, const PrNode& node) {
  if (node.role() != Role::primary) return std::nullopt;
  auto [it, inserted] = primary_of_epoch_.try_emplace(node.epoch(), id);
  if (!inserted && it->second != id)
    return "one primary per epoch: " + node_name(it->second) + " and " + node_name(id) + " were both primary of epoch " +
           std::to_string(node.epoch());
  return std::nullopt;
}

// Raft's Figure 2 votedFor, which the elections follow: one vote per node per epoch, kept
// durably, or a restarted voter can elect a second primary of the epoch.
std::optional<std::string> PrInvariants::check_vote(int id, const PrNode& node) {
  Seen& seen = seen_[id];
  if (!node.voted_for() || (seen.vote_epoch == node.epoch() && seen.vote == node.voted_for())) return std::nullopt;
  seen.vote_epoch = node.epoch();
  seen.vote = node.voted_for();
  auto [it, inserted] = vote_in_epoch_[node.epoch()].try_emplace(id, *node.voted_for());
  if (inserted || it->second == *node.voted_for()) return std::nullopt;
  return "one vote per epoch: " + node_name(id) + " voted for " + node_name(it->second) + " and then for " +
         node_name(*node.voted_for()) + " in epoch " + std::to_string(node.epoch());
}

// The primary of an epoch only ever appends; a replica it has matched holds its entries, so
// what the replica applied must be exactly the primary's entries up to there.
std::optional<std::string> PrInvariants::check_replica_prefix(int id, const PrNode& node,
                                                              const std::map<int64_t, const PrNode*>& primaries) {
  if (!node.synced_epoch()) return std::nullopt;
  auto primary = primaries.find(*node.synced_epoch());
  if (primary == primaries.end()) return std::nullopt;
  const int64_t applied = node.applied_index();
  if (holds(*primary->second, applied, node.log().chain_at(applied))) return std::nullopt;
  return "replica prefix: " + node_name(id) + " applied up to " + to_string(node.applied_position()) +
         " entries that are not the log of epoch " + std::to_string(*node.synced_epoch()) + "'s primary " +
         node_name(primary->second->id());
}

// Acknowledged durability: the commit index of a primary is the position it acknowledged.
// Positions only grow along one log, so a majority holding the highest one (by its chain
// hash) holds every earlier one.
std::optional<std::string> PrInvariants::check_acknowledged(std::span<Node* const> nodes) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    const PrNode* node = as_node(nodes[i]);
    if (node == nullptr || node->role() != Role::primary || node->commit_index() <= acknowledged_.index) continue;
    if (!holds(*node, acknowledged_.index, acknowledged_chain_))
      return "acknowledged durability: " + node_name(static_cast<int>(i)) + " acknowledged up to " +
             to_string(node->log().position_at(node->commit_index())) + " on a log without the acknowledged " +
             to_string(acknowledged_);
    acknowledged_ = node->log().position_at(node->commit_index());
    acknowledged_chain_ = node->log().chain_at(acknowledged_.index);
  }
  int holders = 0;
  bool primary_node_holds = false;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const PrNode* node = as_node(nodes[i]);
    Seen& seen = seen_[i];
    const bool held = node != nullptr ? holds(*node, acknowledged_.index, acknowledged_chain_) : down_node_holds(seen);
    if (node != nullptr) remember_log(seen, *node);
    holders += held ? 1 : 0;
    if (i == 0) primary_node_holds = held;
  }
  if (durability_ == Durability::primary_node) {
    if (primary_node_holds) return std::nullopt;
    return "acknowledged durability: the acknowledged " + to_string(acknowledged_) +
           " is no longer on n1, the only primary";
  }
  const int majority = static_cast<int>(nodes.size()) / 2 + 1;
  if (holders >= majority) return std::nullopt;
  return "acknowledged durability: the acknowledged " + to_string(acknowledged_) + " is held by " +
         std::to_string(holders) + " of " + std::to_string(nodes.size()) + " nodes, not a majority";
}

// Chain hashes cover the whole prefix, so the mirror agrees with the log up to the last
// index where their chains match; only what changed after it is copied.
void PrInvariants::remember_log(Seen& seen, const PrNode& node) {
  const ReplicatedLog& log = node.log();
  auto common = std::min(static_cast<int64_t>(seen.chains.size()), log.last_index());
  while (common > 0 && seen.chains[static_cast<size_t>(common - 1)] != log.chain_at(common)) --common;
  seen.chains.resize(static_cast<size_t>(common));
  for (int64_t index = common + 1; index <= log.last_index(); ++index) seen.chains.push_back(log.chain_at(index));
}

// A down node holds the acknowledged position if its log held it when last seen running:
// an acknowledgement can reach the primary after its sender died, or after it moved on to
// a later epoch whose log still holds the entry.
bool PrInvariants::down_node_holds(const Seen& seen) const {
  const int64_t index = acknowledged_.index;
  if (index == 0) return true;
  return index <= static_cast<int64_t>(seen.chains.size()) && seen.chains[static_cast<size_t>(index - 1)] == acknowledged_chain_;
}

}  // namespace faultline::primary_replica
