#include "systems/sharded/layout.h"

#include "base/assert.h"
#include "framework/random.h"

namespace faultline::sharded {

EndpointId Layout::group_first(int group) const {
  FAULTLINE_ASSERT(group >= 0 && group < groups, "a replica group of the layout");
  return controller_size + group * group_size;
}

std::optional<int> Layout::group_of(EndpointId node) const {
  FAULTLINE_ASSERT(node >= 0 && node < node_count(), "a node of the layout");
  if (node < controller_size) return std::nullopt;
  return (node - controller_size) / group_size;
}

int Layout::shard_of(std::string_view key) const {
  return static_cast<int>(stable_hash(key) % static_cast<uint64_t>(shards));
}

}  // namespace faultline::sharded
