#include "systems/raft/invariants.h"

#include "base/assert.h"
#include "systems/raft/node.h"

namespace faultline::raft {

namespace {

std::string node_name(int id) { return "n" + std::to_string(id + 1); }

}  // namespace

std::optional<std::string> RaftInvariants::check(std::span<Node* const> nodes) {
  if (seen_.size() < nodes.size()) seen_.resize(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto* node = dynamic_cast<const RaftNode*>(nodes[i]);
    if (node == nullptr) {
      seen_[i].boot_id = 0;  // down: its commit index restarts from its snapshot
      continue;
    }
    if (auto broken = check_node(static_cast<int>(i), *node)) return broken;
  }
  return check_committed_on_majority(nodes);
}

// Commitment (5.3, 5.4.2): a leader commits an entry once a majority acknowledged it durable,
// and no later leader may remove it, so a committed entry stays on a majority for good. By
// log matching, holding the highest committed entry means holding every committed entry.
// A node that is down may hold it on disk, so only running nodes can count against it.
std::optional<std::string> RaftInvariants::check_committed_on_majority(std::span<Node* const> nodes) {
  if (committed_chain_.empty()) return std::nullopt;
  const auto& [index, chain] = *committed_chain_.rbegin();
  const int n = static_cast<int>(nodes.size());
  std::string lacking;
  int lacking_count = 0;
  for (int id = 0; id < n; ++id) {
    const auto* node = dynamic_cast<const RaftNode*>(nodes[id]);
    if (node == nullptr || node->log().base_index() >= index) continue;
    const auto held = node->log().chain_at(index);
    if (held && *held == chain) continue;
    ++lacking_count;
    lacking += (lacking.empty() ? "" : ", ") + node_name(id);
  }
  if (lacking_count <= n - (n / 2 + 1)) return std::nullopt;
  return "committed on a majority: the entry committed at index " + std::to_string(index) +
         " is missing on " + lacking + " (" + std::to_string(lacking_count) + " of " +
         std::to_string(n) + " nodes)";
}

std::optional<std::string> RaftInvariants::check_node(int id, const RaftNode& node) {
  if (auto broken = check_monotonic(id, node)) return broken;
  // Log matching, incrementally: the last entry's (index, term) must carry the same chain
  // on every node that ever held it (the chain covers the whole prefix).
  if (auto broken = check_entry(id, node, node.log().last_index())) return broken;
  if (auto broken = check_commits(id, node)) return broken;
  if (node.role() == Role::leader) return check_leader(id, node);
  return std::nullopt;
}

std::optional<std::string> RaftInvariants::check_monotonic(int id, const RaftNode& node) {
  Seen& seen = seen_[id];
  if (node.term() < seen.term)
    return node_name(id) + " term went back from " + std::to_string(seen.term) + " to " +
           std::to_string(node.term());
  if (seen.boot_id == node.boot_id() && node.commit_index() < seen.commit)
    return node_name(id) + " commit index went back from " + std::to_string(seen.commit) +
           " to " + std::to_string(node.commit_index());
  if (seen.boot_id != node.boot_id()) seen.commit = node.log().base_index();  // a new incarnation
  seen.boot_id = node.boot_id();
  seen.term = node.term();
  return std::nullopt;
}

std::optional<std::string> RaftInvariants::check_entry(int id, const RaftNode& node, int64_t index) {
  const auto term = node.log().term_at(index);
  const auto chain = node.log().chain_at(index);
  if (!term || index == 0) return std::nullopt;
  auto [it, inserted] = chain_of_entry_.try_emplace({index, *term}, *chain);
  if (!inserted && it->second != *chain)
    return "log matching: " + node_name(id) + " holds index " + std::to_string(index) +
           " term " + std::to_string(*term) + " after a different prefix than another node";
  return std::nullopt;
}

// State-machine safety: every index a node newly counts as committed must carry the same
// chain as on every other node that committed it.
std::optional<std::string> RaftInvariants::check_commits(int id, const RaftNode& node) {
  Seen& seen = seen_[id];
  const RaftLog& log = node.log();
  const int64_t from = std::max(seen.commit + 1, log.base_index());
  for (int64_t index = from; index <= node.commit_index(); ++index) {
    const auto chain = log.chain_at(index);
    if (!chain || index == 0) continue;
    auto [it, inserted] = committed_chain_.try_emplace(index, *chain);
    if (!inserted && it->second != *chain)
      return "state-machine safety: " + node_name(id) + " committed a different entry at index " +
             std::to_string(index) + " than another node";
    if (auto broken = check_entry(id, node, index)) return broken;
    auto& highest = committed_in_term_[node.term()];
    highest = std::max(highest, index);
  }
  seen.commit = std::max(seen.commit, node.commit_index());
  return std::nullopt;
}

std::optional<std::string> RaftInvariants::check_leader(int id, const RaftNode& node) {
  auto [it, inserted] = leader_of_term_.try_emplace(node.term(), id);
  if (!inserted && it->second != id)
    return "election safety: " + node_name(it->second) + " and " + node_name(id) +
           " both lead term " + std::to_string(node.term());
  // Leader completeness: the highest index committed in any earlier term is in our log
  // with the committed chain (or below our snapshot, which only holds committed entries).
  int64_t required = 0;
  for (const auto& [term, index] : committed_in_term_) {
    if (term >= node.term()) break;
    required = std::max(required, index);
  }
  if (required == 0 || required < node.log().base_index()) return std::nullopt;
  const auto chain = node.log().chain_at(required);
  if (!chain || *chain != committed_chain_.at(required))
    return "leader completeness: " + node_name(id) + " leads term " +
           std::to_string(node.term()) + " without the entry committed at index " +
           std::to_string(required);
  return std::nullopt;
}

}  // namespace faultline::raft
