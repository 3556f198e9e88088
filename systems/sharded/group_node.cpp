#include "systems/sharded/group_node.h"

#include "base/assert.h"

namespace faultline::sharded {

GroupNode::GroupNode(Env& env, const Options& options, Coverage& coverage)
    : env_(env),
      options_(options),
      coverage_(coverage),
      group_(*options.layout.group_of(env.self())),
      member_(env, options.layout.group_first(group_), options.layout.group_size, options.raft, coverage.raft,
              std::make_unique<ShardKv>(options.layout, group_, &coverage, options.bugs)) {}

const ShardKv& GroupNode::kv() const {
  // The machine this node gave its Raft member.
  return static_cast<const ShardKv&>(member_.raft().machine());
}

void GroupNode::start() {
  member_.start();
  env_.set_timer(options_.migration_tick_ns, kMigrationTick);
}

void GroupNode::on_message(EndpointId from, const MessagePtr& message) {
  if (const auto* body = message_body<ShardMessage>(message)) return handle(from, *body);
  member_.on_raft_message(from, message);
  drive_if_progressed();
}

void GroupNode::on_timer(TimerId id, uint64_t tag) {
  if (tag != kMigrationTick) {
    member_.on_timer(id, tag);
    return drive_if_progressed();
  }
  env_.set_timer(options_.migration_tick_ns, kMigrationTick);
  drive();
}

// A move is a chain of steps, each waiting for the one before to apply (learn, pull,
// install, collect); acting as soon as one applies, not at the next tick, keeps a backlog of
// configurations from piling up.
void GroupNode::drive_if_progressed() {
  if (member_.leads() && applied_progress() != driven_) drive();
}

std::tuple<int64_t, int, size_t> GroupNode::applied_progress() const {
  int in_flight = 0;
  for (int s = 0; s < options_.layout.shards; ++s) {
    const ShardState state = kv().shard(s).state;
    in_flight += state == ShardState::pulling || state == ShardState::sending ? 1 : 0;
  }
  return {kv().config().num, in_flight, kv().gc_notices().size()};
}

// The leader asks for the next configuration once nothing is in flight, pulls the shards it
// waits for, and tells sources which shards it installed, again every tick until answered
// (any of these messages may be lost).
void GroupNode::drive() {
  if (!member_.leads()) return;
  driven_ = applied_progress();
  const ShardKv& state = kv();
  if (state.settled()) {
    const EndpointId controller = next_controller_++ % options_.layout.controller_size;
    env_.send(controller, make_message(ShardMessage{ConfigQuery{.want = state.config().num + 1}}));
  }
  for (int s = 0; s < options_.layout.shards; ++s) {
    const ShardRecord& record = state.shard(s);
    if (record.state == ShardState::pulling) send_to_group(record.peer, ShardPull{.shard = s, .num = record.num});
  }
  for (const auto& [key, source] : state.gc_notices()) send_to_group(source, ShardGc{.shard = key.first, .num = key.second});
}

void GroupNode::handle(EndpointId from, const ShardMessage& message) {
  if (const auto* reply = std::get_if<ConfigReply>(&message)) return on_config(*reply);
  if (const auto* pull = std::get_if<ShardPull>(&message)) return on_pull(from, *pull);
  if (const auto* data = std::get_if<ShardData>(&message)) return on_data(*data);
  if (const auto* gc = std::get_if<ShardGc>(&message)) return on_gc(from, *gc);
  if (const auto* ack = std::get_if<ShardGcAck>(&message)) return on_gc_ack(*ack);
  // Queries and operator changes are the controller's.
}

void GroupNode::on_config(const ConfigReply& reply) {
  if (!member_.leads() || reply.config.is_null()) return;
  const int64_t num = reply.config.at("num").get<int64_t>();
  if (num != kv().config().num + 1 || !kv().settled()) return;
  propose_once("config " + std::to_string(num), "config", {{"config", reply.config}});
}

// A source answers from what it applied: a shard frozen at `num` holds the same data on
// every member that applied the freeze.
void GroupNode::on_pull(EndpointId from, const ShardPull& pull) {
  const ShardRecord& record = kv().shard(pull.shard);
  if (record.state == ShardState::sending && record.num == pull.num) {
    env_.send(from, make_message(ShardMessage{ShardData{.shard = pull.shard, .num = pull.num, .store = record.store.to_json()}}));
    return;
  }
  if (kv().config().num < pull.num) ++coverage_.pulls_early;
}

void GroupNode::on_data(const ShardData& data) {
  const ShardRecord& record = kv().shard(data.shard);
  if (!member_.leads() || record.state != ShardState::pulling || record.num != data.num) return;
  propose_once("install " + std::to_string(data.shard) + " " + std::to_string(data.num), "install",
               {{"shard", data.shard}, {"num", data.num}, {"store", data.store}});
}

// The destination installed the shard. The source's leader drops it; a member that has
// dropped it (it is at that configuration or later and no longer sends it) acknowledges. A
// member below that configuration stays silent: its ack would end the notices early.
void GroupNode::on_gc(EndpointId from, const ShardGc& gc) {
  const ShardRecord& record = kv().shard(gc.shard);
  if (record.state == ShardState::sending && record.num == gc.num) {
    if (member_.leads())
      propose_once("gc " + std::to_string(gc.shard) + " " + std::to_string(gc.num), "gc",
                   {{"shard", gc.shard}, {"num", gc.num}});
    return;
  }
  if (kv().config().num >= gc.num)
    env_.send(from, make_message(ShardMessage{ShardGcAck{.shard = gc.shard, .num = gc.num}}));
}

void GroupNode::on_gc_ack(const ShardGcAck& ack) {
  if (!member_.leads() || !kv().gc_notices().count({ack.shard, ack.num})) return;
  propose_once("gc-done " + std::to_string(ack.shard) + " " + std::to_string(ack.num), "gc-done",
               {{"shard", ack.shard}, {"num", ack.num}});
}

void GroupNode::propose_once(const std::string& memo, const std::string& f, Json value) {
  if (proposed_term_ != member_.raft().term()) {
    proposed_term_ = member_.raft().term();
    proposed_.clear();
  }
  if (!proposed_.insert(memo).second) return;
  member_.raft().propose(raft::Command{.client = 0, .seq = 0, .f = f, .key = "", .value = std::move(value)});
}

void GroupNode::send_to_group(int group, const ShardMessage& message) {
  const EndpointId first = options_.layout.group_first(group);
  for (EndpointId node = first; node < first + options_.layout.group_size; ++node)
    env_.send(node, make_message(message));
}

}  // namespace faultline::sharded
