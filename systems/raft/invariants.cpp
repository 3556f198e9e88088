#include "systems/raft/invariants.h"

#include "base/assert.h"
#include "systems/raft/node.h"

namespace faultline::raft {

namespace {

std::string ms_text(int64_t ns) { return std::to_string(ns / 1'000'000) + " ms"; }

}  // namespace

std::string RaftInvariants::name_of(int id) const { return "n" + std::to_string(first_node_ + id + 1); }

std::optional<std::string> RaftInvariants::check(std::span<Node* const> nodes) {
  if (seen_.size() < nodes.size()) seen_.resize(nodes.size());
  raft_nodes_.assign(nodes.size(), nullptr);  // cast once per event: the checks below run per event
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i] == nullptr) {
      seen_[i].boot_id = 0;  // down: its commit index restarts from its snapshot
      continue;
    }
    raft_nodes_[i] = dynamic_cast<const RaftNode*>(nodes[i]);
    FAULTLINE_ASSERT(raft_nodes_[i] != nullptr, "a raft cluster runs raft nodes");
    if (auto broken = check_node(static_cast<int>(i), *raft_nodes_[i])) return broken;
  }
  if (auto broken = check_committed_on_majority()) return broken;
  return check_match_index();
}

// Commitment (5.3, 5.4.2): a leader commits an entry once a majority acknowledged it durable,
// and no later leader may remove it, so a committed entry stays on a majority for good. By
// log matching, holding the highest committed entry means holding every committed entry.
// A node that is down may hold it on disk, so only running nodes can count against it.
std::optional<std::string> RaftInvariants::check_committed_on_majority() const {
  if (committed_chain_.empty()) return std::nullopt;
  const auto& [index, chain] = *committed_chain_.rbegin();
  const int n = static_cast<int>(raft_nodes_.size());
  std::string lacking;
  int lacking_count = 0;
  for (int id = 0; id < n; ++id) {
    const RaftNode* node = raft_nodes_[id];
    if (node == nullptr || node->log().base_index() >= index) continue;
    const auto held = node->log().chain_at(index);
    if (held && *held == chain) continue;
    ++lacking_count;
    lacking += (lacking.empty() ? "" : ", ") + name_of(id);
  }
  if (lacking_count <= n - (n / 2 + 1)) return std::nullopt;
  return "committed on a majority: the entry committed at index " + std::to_string(index) +
         " is missing on " + lacking + " (" + std::to_string(lacking_count) + " of " +
         std::to_string(n) + " nodes)";
}

std::optional<std::string> RaftInvariants::check_node(int id, const RaftNode& node) {
  const bool new_incarnation = seen_[id].boot_id != node.boot_id();
  if (auto broken = check_monotonic(id, node)) return broken;
  if (auto broken = check_vote(id, node)) return broken;
  if (auto broken = check_election_timeout(id, node, new_incarnation)) return broken;
  // Log matching, incrementally: the last entry's (index, term) must carry the same chain
  // on every node that ever held it (the chain covers the whole prefix).
  if (auto broken = check_entry(id, node, node.log().last_index())) return broken;
  if (auto broken = check_commits(id, node)) return broken;
  if (node.role() == Role::leader) return check_leader(id, node);
  return check_leader_hint(id, node);
}

std::optional<std::string> RaftInvariants::check_monotonic(int id, const RaftNode& node) {
  Seen& seen = seen_[id];
  if (node.term() < seen.term)
    return name_of(id) + " term went back from " + std::to_string(seen.term) + " to " +
           std::to_string(node.term());
  if (seen.boot_id == node.boot_id() && node.commit_index() < seen.commit)
    return name_of(id) + " commit index went back from " + std::to_string(seen.commit) +
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
    return "log matching: " + name_of(id) + " holds index " + std::to_string(index) +
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
      return "state-machine safety: " + name_of(id) + " committed a different entry at index " +
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
    return "election safety: " + name_of(it->second) + " and " + name_of(id) +
           " both lead term " + std::to_string(node.term());
  if (inserted) {
    if (auto broken = check_elected_by_majority(id, node)) return broken;
  }
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
    return "leader completeness: " + name_of(id) + " leads term " +
           std::to_string(node.term()) + " without the entry committed at index " +
           std::to_string(required);
  return std::nullopt;
}

// Figure 2, votedFor: a node grants at most one vote per term (it is durable, so a restart
// does not free it). A grant also restarts the voter's election timeout.
std::optional<std::string> RaftInvariants::check_vote(int id, const RaftNode& node) {
  Seen& seen = seen_[id];
  if (!node.voted_for() || (seen.vote_term == node.term() && seen.vote == node.voted_for())) return std::nullopt;
  seen.vote_term = node.term();
  seen.vote = node.voted_for();
  const int candidate = *node.voted_for();
  auto [it, inserted] = vote_in_term_[node.term()].try_emplace(id, candidate);
  if (!inserted && it->second != candidate)
    return "one vote per term: " + name_of(id) + " voted for " + name_of(it->second) + " and then for " +
           name_of(candidate) + " in term " + std::to_string(node.term());
  if (inserted && candidate != id) {
    seen.timer_reset_ns = node.monotonic_now_ns();
    seen.timer_reset_cause = "granting a vote";
  }
  return std::nullopt;
}

// Figure 2, rules for followers: convert to candidate only "if election timeout elapses
// without receiving AppendEntries from current leader or granting vote to candidate". Timed
// on the node's own monotonic clock, which the clock nemesis may drift but never steps.
std::optional<std::string> RaftInvariants::check_election_timeout(int id, const RaftNode& node, bool new_incarnation) {
  Seen& seen = seen_[id];
  const ElectionEvents& events = node.election_events();
  const int64_t now = node.monotonic_now_ns();
  auto restart_timeout = [&](int64_t at_ns, const char* cause) {
    seen.timer_reset_ns = at_ns;
    seen.timer_reset_cause = cause;
  };
  if (new_incarnation) {  // first seen now, perhaps an event after it booted
    seen.leader_contacts = seen.campaigns = 0;
    restart_timeout(events.booted_ns, "booting");
  }
  if (events.leader_contacts != seen.leader_contacts) restart_timeout(now, "hearing from its leader");
  seen.leader_contacts = events.leader_contacts;
  if (events.campaigns == seen.campaigns) return std::nullopt;
  seen.campaigns = events.campaigns;
  const int64_t waited = now - seen.timer_reset_ns;
  if (waited < node.election_timeout_min_ns())
    return "election timeout: " + name_of(id) + " started an election " + ms_text(waited) + " after " +
           seen.timer_reset_cause + " (the shortest election timeout is " +
           ms_text(node.election_timeout_min_ns()) + ")";
  restart_timeout(now, "its previous election");
  return std::nullopt;
}

// 5.2: a node learns who leads from that leader's own messages in its current term, and a
// new term starts with no known leader, so a hint always names the leader of the term.
std::optional<std::string> RaftInvariants::check_leader_hint(int id, const RaftNode& node) const {
  if (!node.leader_hint()) return std::nullopt;
  const int hint = *node.leader_hint();
  const auto leader = leader_of_term_.find(node.term());
  if (leader != leader_of_term_.end() && leader->second == hint) return std::nullopt;
  return "leader hint: " + name_of(id) + " names " + name_of(hint) + " as the leader of term " +
         std::to_string(node.term()) + ", which " +
         (leader == leader_of_term_.end() ? std::string("has had no leader") : name_of(leader->second) + " leads");
}

// 5.2: "A candidate wins an election if it receives votes from a majority of the servers in
// the full cluster for the same term." Votes of an earlier term do not count.
std::optional<std::string> RaftInvariants::check_elected_by_majority(int id, const RaftNode& node) const {
  const int node_count = static_cast<int>(raft_nodes_.size());
  std::string voters;
  int votes = 0;
  if (const auto term = vote_in_term_.find(node.term()); term != vote_in_term_.end()) {
    for (const auto& [voter, candidate] : term->second) {
      if (candidate != id) continue;
      ++votes;
      voters += (voters.empty() ? "" : ", ") + name_of(voter);
    }
  }
  if (votes >= node_count / 2 + 1) return std::nullopt;
  return "elected by a majority: " + name_of(id) + " leads term " + std::to_string(node.term()) +
         " with votes of that term from " + (voters.empty() ? std::string("nobody") : voters) + " (" +
         std::to_string(votes) + " of " + std::to_string(node_count) + " nodes)";
}

// Figure 2, leader state: matchIndex is the "index of highest log entry known to be
// replicated on server" in the leader's term. While a peer stays in that term only this
// leader changes its log, never removing what it acknowledged, so the peer holds the
// leader's entry at matchIndex (an index either side compacted is committed and skipped).
std::optional<std::string> RaftInvariants::check_match_index() const {
  const int n = static_cast<int>(raft_nodes_.size());
  for (int id = 0; id < n; ++id) {
    const RaftNode* leader = raft_nodes_[id];
    if (leader == nullptr || leader->role() != Role::leader) continue;
    const auto& match = leader->match_index();
    FAULTLINE_ASSERT(static_cast<int>(match.size()) == n, "a leader tracks every node");
    for (int peer = 0; peer < n; ++peer) {
      const RaftNode* follower = raft_nodes_[peer];
      const int64_t index = match[peer];
      if (peer == id || follower == nullptr || follower->term() != leader->term() || index == 0) continue;
      if (index <= leader->log().base_index() || index <= follower->log().base_index()) continue;
      const auto ours = leader->log().chain_at(index);
      const auto theirs = follower->log().chain_at(index);
      if (ours && theirs && *ours == *theirs) continue;
      const std::string where = !ours     ? ", beyond its own log"
                                : theirs ? ", but " + name_of(peer) + " holds a different entry there"
                                         : ", but " + name_of(peer) + " does not hold it";
      return "match index: " + name_of(id) + " (leader of term " + std::to_string(leader->term()) +
             ") counts " + name_of(peer) + " as holding its log up to index " + std::to_string(index) + where;
    }
  }
  return std::nullopt;
}

}  // namespace faultline::raft
