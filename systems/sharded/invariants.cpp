#include "systems/sharded/invariants.h"

#include "systems/sharded/controller_node.h"
#include "systems/sharded/group_node.h"

namespace faultline::sharded {

ShardedInvariants::ShardedInvariants(const Layout& layout) : layout_(layout), controller_(0) {
  for (int group = 0; group < layout.groups; ++group) groups_.emplace_back(layout.group_first(group));
}

std::optional<std::string> ShardedInvariants::check(std::span<Node* const> nodes) {
  if (auto broken = check_raft(nodes)) return broken;
  if (auto broken = check_one_server(nodes)) return broken;
  return check_frozen(nodes);
}

// Each Raft group is checked over its own members (nullptr: down), named as the cluster names them.
std::optional<std::string> ShardedInvariants::check_raft(std::span<Node* const> nodes) {
  std::vector<Node*> members;
  for (int i = 0; i < layout_.controller_size; ++i) {
    auto* node = dynamic_cast<ControllerNode*>(nodes[i]);
    members.push_back(node ? &node->raft() : nullptr);
  }
  if (auto broken = controller_.check(members)) return "controller: " + *broken;
  for (int group = 0; group < layout_.groups; ++group) {
    members.clear();
    const EndpointId first = layout_.group_first(group);
    for (EndpointId i = first; i < first + layout_.group_size; ++i) {
      auto* node = dynamic_cast<GroupNode*>(nodes[i]);
      members.push_back(node ? &node->raft() : nullptr);
    }
    if (auto broken = groups_[static_cast<size_t>(group)].check(members))
      return "group " + std::to_string(group) + ": " + *broken;
  }
  return std::nullopt;
}

std::optional<std::string> ShardedInvariants::check_one_server(std::span<Node* const> nodes) {
  for (EndpointId i = layout_.controller_size; i < layout_.node_count(); ++i) {
    const auto* node = dynamic_cast<const GroupNode*>(nodes[i]);
    if (node == nullptr) continue;
    const ShardKv& kv = node->kv();
    for (int s = 0; s < layout_.shards; ++s) {
      if (kv.shard(s).state != ShardState::serving) continue;
      if (kv.config().owner[static_cast<size_t>(s)] != node->group())
        return "one server: n" + std::to_string(i + 1) + " (group " + std::to_string(node->group()) +
               ") serves shard " + std::to_string(s) + ", which configuration " + std::to_string(kv.config().num) +
               " gives to group " + std::to_string(kv.config().owner[static_cast<size_t>(s)]);
      auto& servers = servers_[{s, kv.config().num}];
      servers.insert(node->group());
      if (servers.size() > 1)
        return "one server: shard " + std::to_string(s) + " is served by groups " + std::to_string(*servers.begin()) +
               " and " + std::to_string(*servers.rbegin()) + " in configuration " + std::to_string(kv.config().num);
    }
  }
  return std::nullopt;
}

// The checker runs after every event, so it sees each source member's shard the moment the
// freeze applies there (before any member can answer a pull with it).
std::optional<std::string> ShardedInvariants::check_frozen(std::span<Node* const> nodes) {
  frozen_checked_.resize(nodes.size());
  for (EndpointId i = layout_.controller_size; i < layout_.node_count(); ++i) {
    const auto* node = dynamic_cast<const GroupNode*>(nodes[i]);
    if (node == nullptr) continue;
    const std::pair<uint64_t, int64_t> now = {node->raft().boot_id(), node->raft().last_applied()};
    if (frozen_checked_[i] == now) continue;
    frozen_checked_[i] = now;
    const ShardKv& kv = node->kv();
    for (int s = 0; s < layout_.shards; ++s) {
      const ShardRecord& record = kv.shard(s);
      const std::string where = "shard " + std::to_string(s) + " of configuration " + std::to_string(record.num);
      if (record.state == ShardState::sending) {
        const auto [frozen, first] = frozen_.emplace(std::pair{s, record.num}, shard_digest(record.store));
        if (!first && frozen->second != shard_digest(record.store))
          return "frozen means frozen: " + where + " changed on n" + std::to_string(i + 1) + " after its freeze";
      }
      if (record.state != ShardState::serving || record.installed_digest == 0) continue;
      const auto frozen = frozen_.find({s, record.num});
      if (frozen == frozen_.end() || frozen->second != record.installed_digest)
        return "frozen means frozen: n" + std::to_string(i + 1) + " installed " + where +
               (frozen == frozen_.end() ? ", which no source froze" : ", but not what its source froze");
    }
  }
  return std::nullopt;
}

}  // namespace faultline::sharded
