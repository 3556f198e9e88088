#pragma once
// A shard configuration (MIT 6.5840's shardctrler, MongoDB's chunk map, CockroachDB's range
// descriptors): its number, which replica groups take part, and the group that owns each
// shard. The controller keeps the sequence 1, 2, 3, ...; every group learns them in order.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace faultline::sharded {

struct ShardConfig {
  int64_t num = 0;
  std::set<int> members;   // replica groups that own shards
  std::vector<int> owner;  // per shard: its group (a member)
  bool operator==(const ShardConfig&) const = default;
};

// Configuration 1: every group a member, shard s owned by group s mod groups.
ShardConfig genesis(int shards, int groups);

// The configuration after a change, numbered num + 1: a group joins, a group leaves (its
// shards go to the others; the last member never leaves), or one shard moves to a member.
// Joins and leaves rebalance as the shardctrler does: a departed group's shards go to the
// least loaded members, then shards move from the most loaded member to the least loaded
// until their counts differ by at most one (ties to the lowest group id, so every node
// computes the same map). A change that changes nothing returns nullopt: no configuration.
std::optional<ShardConfig> joined(const ShardConfig& config, int group);
std::optional<ShardConfig> left(const ShardConfig& config, int group);
std::optional<ShardConfig> moved(const ShardConfig& config, int shard, int group);

Json config_to_json(const ShardConfig& config);
Result<ShardConfig> config_from_json(const Json& json, const std::string& where);

}  // namespace faultline::sharded
