#include "systems/sharded/controller_node.h"

namespace faultline::sharded {

ControllerNode::ControllerNode(Env& env, const Options& options, Coverage& coverage)
    : env_(env),
      layout_(options.layout),
      member_(env, 0, options.layout.controller_size, options.raft, coverage.raft,
              std::make_unique<ConfigMachine>(options.layout.shards, options.layout.groups, &coverage)) {}

const ConfigMachine& ControllerNode::configs() const {
  // The machine this node gave its Raft member.
  return static_cast<const ConfigMachine&>(member_.raft().machine());
}

void ControllerNode::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<ShardMessage>(message);
  if (body == nullptr) return member_.on_raft_message(from, message);
  if (const auto* query = std::get_if<ConfigQuery>(body)) {
    const raft::ApplyResult found = configs().query(query->want < 0 ? "" : std::to_string(query->want));
    env_.send(from, make_message(ShardMessage{ConfigReply{.config = found.ok ? found.value : Json(nullptr)}}));
    return;
  }
  // An operator's change is a new configuration each time, so it is proposed as it comes;
  // one that reaches a follower is lost, as an operator's command to a stale leader is.
  if (const auto* change = std::get_if<OperatorChange>(body); change && from == kOperatorEndpoint && member_.leads())
    member_.raft().propose(raft::Command{.client = 0, .seq = 0, .f = change->f, .key = "", .value = decode_pick(*change)});
}

// The fault package's pick (move_nemesis.h) as the shard and group it names; the log holds
// them explicitly. A move's group is the one after the pick's that is a member and does not
// own the shard now, so that a move moves something whenever two groups are members.
Json ControllerNode::decode_pick(const OperatorChange& change) const {
  const auto pick = change.value.at("pick").get<uint32_t>();
  const int group = static_cast<int>(pick % static_cast<uint32_t>(layout_.groups));
  if (change.f != "move") return {{"group", group}};
  const int shard = static_cast<int>((pick / static_cast<uint32_t>(layout_.groups)) % static_cast<uint32_t>(layout_.shards));
  return {{"shard", shard}, {"group", move_destination(shard, group)}};
}

int ControllerNode::move_destination(int shard, int group) const {
  const ShardConfig& latest = configs().latest();
  if (latest.members.size() < 2) return group;  // nowhere else to go: the change makes no configuration
  const int owner = latest.owner[static_cast<size_t>(shard)];
  while (group == owner || !latest.members.contains(group)) group = (group + 1) % layout_.groups;
  return group;
}

}  // namespace faultline::sharded
