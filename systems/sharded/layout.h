#pragma once
// Where everything lives in a sharded cluster (issue 13): the shard controller's Raft group
// is nodes 0..controller_size-1, replica group g is the group_size nodes after it, and a key
// belongs to the shard its stable hash names. Fixed for a run: configurations move shards
// between groups, never nodes between groups.
#include <optional>
#include <string_view>

#include "framework/message.h"

namespace faultline::sharded {

struct Layout {
  int controller_size = 3;
  int groups = 3;
  int group_size = 3;
  int shards = 16;

  int node_count() const { return controller_size + groups * group_size; }
  EndpointId group_first(int group) const;
  // The replica group of a node; nullopt for a controller node.
  std::optional<int> group_of(EndpointId node) const;
  int shard_of(std::string_view key) const;
};

}  // namespace faultline::sharded
