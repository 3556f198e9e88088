#pragma once
// White-box invariants of Raft (paper Figure 3), checked after every simulated event:
//   election safety      at most one leader per term
//   log matching         two logs with an entry of the same index and term agree on every
//                        entry up to it (compared through the entries' chain hashes)
//   leader completeness  a leader holds every entry committed in an earlier term
//   state-machine safety no two nodes commit (hence apply) different entries at an index
//   committed on majority the highest committed entry is held by a majority (running nodes
//                        without it are counted; a down node may hold it on disk)
//   monotonicity         a node's term never decreases (it is durable); its commit index
//                        never decreases while it runs
//   one vote per term    a node grants its vote to at most one candidate in a term
//   elected by a majority a leader of term T holds votes of term T from a majority (5.2)
//   election timeout     a node starts a (pre-)vote only once election_timeout_min has passed
//                        on its own clock since it last heard from its leader, granted a
//                        vote, booted or campaigned (Figure 2, rules for followers)
//   leader hint          a node's leader hint names the leader of its current term
//   match index          a leader's matchIndex for a peer in its term is a prefix the peer
//                        holds with the same entries (Figure 2, leader state)
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "framework/system.h"

namespace faultline::raft {

class RaftNode;

class RaftInvariants final : public InvariantChecker {
 public:
  // `nodes` of check() are one Raft group's, the cluster's nodes first_node.. (GroupEnv);
  // messages name them as the cluster does.
  explicit RaftInvariants(int first_node = 0) : first_node_(first_node) {}
  std::optional<std::string> check(std::span<Node* const> nodes) override;

 private:
  std::string name_of(int id) const;
  struct Seen {
    uint64_t boot_id = 0;  // the incarnation last checked (0 while down)
    int64_t term = 0;
    int64_t commit = 0;
    uint64_t leader_contacts = 0;  // this incarnation's ElectionEvents when last checked
    uint64_t campaigns = 0;
    int64_t timer_reset_ns = 0;  // on the node's monotonic clock: when its timeout last restarted
    const char* timer_reset_cause = "booting";
    int64_t vote_term = -1;  // the (term, vote) last recorded in vote_in_term_
    std::optional<int32_t> vote;
  };
  std::optional<std::string> check_node(int id, const RaftNode& node);
  std::optional<std::string> check_monotonic(int id, const RaftNode& node);
  std::optional<std::string> check_commits(int id, const RaftNode& node);
  std::optional<std::string> check_leader(int id, const RaftNode& node);
  std::optional<std::string> check_entry(int id, const RaftNode& node, int64_t index);
  std::optional<std::string> check_committed_on_majority() const;
  std::optional<std::string> check_vote(int id, const RaftNode& node);
  std::optional<std::string> check_election_timeout(int id, const RaftNode& node, bool new_incarnation);
  std::optional<std::string> check_leader_hint(int id, const RaftNode& node) const;
  std::optional<std::string> check_elected_by_majority(int id, const RaftNode& node) const;
  std::optional<std::string> check_match_index() const;

  const int first_node_;
  std::vector<Seen> seen_;
  std::vector<const RaftNode*> raft_nodes_;  // this event's nodes (nullptr: down)
  std::map<int64_t, int> leader_of_term_;
  std::map<int64_t, std::map<int, int>> vote_in_term_;  // term -> voter -> the candidate it voted for
  std::map<std::pair<int64_t, int64_t>, uint64_t> chain_of_entry_;  // (index, term) -> chain
  std::map<int64_t, uint64_t> committed_chain_;  // index -> chain of the committed entry
  // For leader completeness: the highest index known committed while each term was current.
  std::map<int64_t, int64_t> committed_in_term_;
};

}  // namespace faultline::raft
