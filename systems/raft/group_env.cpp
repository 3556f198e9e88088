#include "systems/raft/group_env.h"

#include "base/assert.h"

namespace faultline::raft {

GroupEnv::GroupEnv(Env& outer, EndpointId first, int size) : outer_(outer), first_(first), size_(size) {
  FAULTLINE_ASSERT(size >= 1 && first >= 0 && first + size <= outer.node_count(), "a group lies within the cluster");
  FAULTLINE_ASSERT(outer.self() >= first && outer.self() < first + size, "a group's Env serves one of its members");
}

EndpointId GroupEnv::to_outer(EndpointId local) const {
  FAULTLINE_ASSERT(local >= 0, "a Raft node addresses members and clients only");
  return local < size_ ? first_ + local : local - size_ + outer_.node_count();
}

std::optional<EndpointId> GroupEnv::to_local(EndpointId outer) const {
  if (outer >= outer_.node_count()) return outer - outer_.node_count() + size_;  // a client
  if (outer >= first_ && outer < first_ + size_) return outer - first_;
  return std::nullopt;
}

}  // namespace faultline::raft
