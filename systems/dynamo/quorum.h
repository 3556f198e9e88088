#pragma once
// Assembling a read or write quorum (Dynamo, DeCandia et al. 2007, 4.5-4.6): `required`
// answers out of the key's N owners. With a strict quorum only the owners count, so any
// read quorum meets any write quorum when R + W > N (Gifford 1979). With a sloppy quorum a
// fallback that stored a hinted copy (or answered a read) stands in for one unreachable
// owner: the store stays available, and R + W > N no longer implies that quorums meet.
#include <set>
#include <vector>

namespace faultline::dynamo {

class QuorumTracker {
 public:
  // `required` is capped at the number of owners (a ring with fewer members than N).
  QuorumTracker(std::vector<int> owners, int required, bool fallbacks_count);

  void owner_answered(int owner);
  // A fallback answered in place of `owner` (a hinted write, a fallback read).
  void fallback_answered(int fallback, int owner);
  bool satisfied() const;
  // Owners still needed, in preference order: those that did not answer, less (when
  // stand-ins count) those a fallback answered for.
  std::vector<int> missing_owners() const;
  bool has_stand_in(int owner) const { return stood_in_.count(owner) > 0; }
  bool answered_as_owner(int owner) const { return owners_answered_.count(owner) > 0; }
  const std::vector<int>& owners() const { return owners_; }
  // A new preference list (the ring changed): answers from nodes that are still owners
  // keep counting, stand-ins for owners that are no longer owners do not.
  void reassign(std::vector<int> owners);

 private:
  int counted() const;

  std::vector<int> owners_;
  int required_;
  bool fallbacks_count_;
  std::set<int> owners_answered_;
  std::set<int> stood_in_;  // owners a fallback answered for
  std::set<int> fallbacks_used_;
};

}  // namespace faultline::dynamo
