#pragma once
// The consistent-hash ring (Karger et al. 1997; Dynamo, DeCandia et al. SOSP 2007, 4.2-4.3):
// every node owns `vnodes` tokens on a 64-bit circle, and a key's preference list is the
// first N distinct nodes met walking clockwise from the key's hash; the members after them
// are its fallbacks (4.6, sloppy quorum).
//
// Membership is a join-semilattice gossiped between nodes: per node a generation, a status
// and, while it joins, the set of nodes that have handed it their data. Only a node changes
// its own status (bumping its generation); other nodes only add themselves to a joining
// node's hand-off set. Ownership moves key by key, and only once the node losing it has
// handed its data over (Riak's ownership handoff: the old owner keeps serving until the
// transfer is done):
//   leaving   still owns every key it owned, until it has handed them to their next owners
//             and declares itself out;
//   joining   owns a key once the node(s) it displaces there have handed it their data.
// A replica that is no longer an owner refuses requests, so a coordinator with an older view
// learns the newer one before it counts that replica (messages carry the sender's ring).
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace faultline::dynamo {

enum class MemberStatus { member, joining, leaving, out };

struct Membership {
  uint64_t generation = 0;
  MemberStatus status = MemberStatus::member;
  std::set<int> handed_off;  // joining: nodes that handed it their data this generation
  bool operator==(const Membership&) const = default;
};

class Ring {
 public:
  Ring(int node_count, int vnodes, int replicas);  // every node a member, generation 0

  static uint64_t key_hash(const std::string& key);
  int node_count() const { return static_cast<int>(members_.size()); }
  int replicas() const { return replicas_; }

  // --- membership (a lattice: merge is commutative, associative, idempotent)
  // Per node the higher generation wins; at equal generations the hand-off sets join.
  // Whether anything changed.
  bool merge(const Ring& other);
  const Membership& membership(int node) const { return members_.at(node); }
  // A node's own transition: a new generation with an empty hand-off set.
  void set_status(int node, MemberStatus status);
  void mark_handed_off(int joiner, int source);
  bool in_transition() const;
  bool operator==(const Ring& other) const { return members_ == other.members_; }
  Json to_json() const;
  // Membership from its JSON form; the tokens come from the constructor's arguments.
  Result<void> load_membership(const Json& json);

  // --- placement
  // The key's owners now (at most N; fewer when fewer nodes own).
  std::vector<int> preference_list(uint64_t hash) const;
  // The members after the preference list, in ring order: stand-ins for unreachable owners.
  std::vector<int> fallbacks(uint64_t hash) const;
  // Whether node owns the key now or will once every transition completes (its copy of the
  // key must then be kept).
  bool may_own(int node, uint64_t hash) const;
  // A leaving node's duty: the nodes that take its place in the key's preference list.
  std::vector<int> leave_targets(int leaver, uint64_t hash) const;
  // A node's duty towards a joining node: whether it must hand the key to it.
  bool is_join_source(int source, int joiner, uint64_t hash) const;
  // Every key the joiner will own has been handed to it by all its sources.
  bool join_complete(int joiner) const;

 private:
  struct Token {
    uint64_t position;
    int node;
  };
  struct JoinStep {
    bool relevant = false;       // the joiner enters the key's preference list
    std::vector<int> sources;    // who must hand it the key
  };
  std::vector<int> walk(uint64_t hash, const std::vector<bool>& included, size_t count) const;
  std::vector<bool> with_status(std::initializer_list<MemberStatus> statuses) const;
  JoinStep join_step(int joiner, uint64_t hash, const std::vector<bool>& owning) const;
  std::vector<bool> owning_now(uint64_t hash) const;

  std::vector<Token> tokens_;  // sorted by position
  std::vector<Membership> members_;
  int replicas_;
};

std::string to_string(MemberStatus status);

// Whether `node` is in a list of nodes (a preference list, a quorum's members).
bool contains(const std::vector<int>& nodes, int node);

}  // namespace faultline::dynamo
