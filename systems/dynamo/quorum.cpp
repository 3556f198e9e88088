#include "systems/dynamo/quorum.h"

#include <algorithm>

namespace faultline::dynamo {

QuorumTracker::QuorumTracker(std::vector<int> owners, int required, bool fallbacks_count)
    : owners_(std::move(owners)), required_(required), fallbacks_count_(fallbacks_count) {}

void QuorumTracker::owner_answered(int owner) {
  if (std::find(owners_.begin(), owners_.end(), owner) != owners_.end()) owners_answered_.insert(owner);
}

void QuorumTracker::fallback_answered(int fallback, int owner) {
  const bool is_owner = std::find(owners_.begin(), owners_.end(), owner) != owners_.end();
  // One stand-in per owner, one owner per fallback: a node counts once.
  if (!is_owner || stood_in_.count(owner) || fallbacks_used_.count(fallback)) return;
  stood_in_.insert(owner);
  fallbacks_used_.insert(fallback);
}

int QuorumTracker::counted() const {
  std::set<int> counted = owners_answered_;
  if (fallbacks_count_) counted.insert(stood_in_.begin(), stood_in_.end());
  return static_cast<int>(counted.size());
}

bool QuorumTracker::satisfied() const {
  const int required = std::min<int>(required_, static_cast<int>(owners_.size()));
  return counted() >= required;
}

std::vector<int> QuorumTracker::missing_owners() const {
  std::vector<int> out;
  for (int owner : owners_)
    if (!owners_answered_.count(owner) && !(fallbacks_count_ && stood_in_.count(owner))) out.push_back(owner);
  return out;
}

void QuorumTracker::reassign(std::vector<int> owners) {
  owners_ = std::move(owners);
  auto still_owner = [this](int node) { return std::find(owners_.begin(), owners_.end(), node) != owners_.end(); };
  std::erase_if(owners_answered_, [&](int node) { return !still_owner(node); });
  std::erase_if(stood_in_, [&](int node) { return !still_owner(node); });
}

}  // namespace faultline::dynamo
