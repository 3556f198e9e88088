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
  std::optional<std::string> check(std::span<Node* const> nodes) override;

 private:
  struct Seen {
    uint64_t boot_id = 0;  // the incarnation last checked (0 while down)
    int64_t term = 0;
    int64_t commit = 0;
  };
  std::optional<std::string> check_node(int id, const RaftNode& node);
  std::optional<std::string> check_monotonic(int id, const RaftNode& node);
  std::optional<std::string> check_commits(int id, const RaftNode& node);
  std::optional<std::string> check_leader(int id, const RaftNode& node);
  std::optional<std::string> check_entry(int id, const RaftNode& node, int64_t index);
  std::optional<std::string> check_committed_on_majority(std::span<Node* const> nodes);

  std::vector<Seen> seen_;
  std::map<int64_t, int> leader_of_term_;
  std::map<std::pair<int64_t, int64_t>, uint64_t> chain_of_entry_;  // (index, term) -> chain
  std::map<int64_t, uint64_t> committed_chain_;  // index -> chain of the committed entry
  // For leader completeness: the highest index known committed while each term was current.
  std::map<int64_t, int64_t> committed_in_term_;
};

}  // namespace faultline::raft
