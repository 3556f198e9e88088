#include "systems/sharded/sharded_system.h"

#include "systems/sharded/client.h"
#include "systems/sharded/controller_node.h"
#include "systems/sharded/group_node.h"
#include "systems/sharded/invariants.h"

namespace faultline::sharded {

Result<std::unique_ptr<ShardedSystem>> ShardedSystem::create(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(options, parse_options(config));
  return std::make_unique<ShardedSystem>(std::move(options));
}

std::vector<ClaimSpec> ShardedSystem::claims() const {
  const ClaimSpec liveness{
      .name = "liveness",
      .description = "once every fault has healed, every operation invoked after 3 simulated seconds gets an answer",
      .checker = "liveness",
      .checker_options = Json{{"grace_ns", 3'000'000'000}}};
  if (options_.workload == "set")
    return {{.name = "set-full",
             .description = "while shards move under every fault, no acknowledged add is lost, nothing unexpected "
                            "appears, and no read is stale",
             .checker = "set-full",
             .checker_options = Json{{"linearizable", true}}},
            liveness};
  return {
      {.name = "linearizable",
       .description = "read, write and cas on every key are linearizable while shards move between groups under "
                      "every fault: a moved shard keeps every acknowledged write, two groups never serve one key "
                      "at once, and a retried command applies at most once across a move",
       .checker = "linearizable",
       .checker_options = Json{{"model", "kv"}}},
      liveness,
  };
}

std::unique_ptr<Node> ShardedSystem::make_node(Env& env) const {
  if (env.self() < options_.layout.controller_size) return std::make_unique<ControllerNode>(env, options_, *coverage_);
  return std::make_unique<GroupNode>(env, options_, *coverage_);
}

std::unique_ptr<Client> ShardedSystem::make_client(ClientEnv& env) const {
  return std::make_unique<ShardClient>(env, options_);
}

// A leader-targeting fault strikes where a move is under way: the leader of the lowest
// group with a shard in flight, else the controller's leader.
std::optional<EndpointId> ShardedSystem::leader(std::span<Node* const> nodes) const {
  std::optional<EndpointId> controller_leader;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (const auto* controller = dynamic_cast<const ControllerNode*>(nodes[i])) {
      if (controller->raft().role() == raft::Role::leader) controller_leader = static_cast<EndpointId>(i);
      continue;
    }
    const auto* group = dynamic_cast<const GroupNode*>(nodes[i]);
    if (group != nullptr && group->raft().role() == raft::Role::leader && !group->kv().settled())
      return static_cast<EndpointId>(i);
  }
  return controller_leader;
}

std::vector<EndpointId> ShardedSystem::nodes_in_role(const std::string& role) const {
  std::vector<EndpointId> nodes;
  if (role != "routing") return nodes;
  for (EndpointId node = 0; node < options_.layout.controller_size; ++node) nodes.push_back(node);
  return nodes;
}

std::unique_ptr<InvariantChecker> ShardedSystem::make_invariant_checker() const {
  return std::make_unique<ShardedInvariants>(options_.layout);
}

Result<std::unique_ptr<System>> make_sharded_system(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(system, ShardedSystem::create(config));
  return std::unique_ptr<System>(std::move(system));
}

SystemEntry sharded_entry() {
  const Layout layout;
  return SystemEntry{
      .name = "sharded",
      .description = "a shard controller and replica groups, each a Raft group; shards move between groups live "
                     "(freeze, pull through the destination's log, collect)",
      .min_nodes = 2,   // a controller node and one group of one
      .max_nodes = 63,  // the params' largest layout: 7 + 8 * 7
      .default_nodes = layout.node_count(),
      .make = make_sharded_system,
      .workloads = {"register", "set"},
      .params = param_table(),
      .swarm_params = raft::swarm_params,
      .layout_nodes = [](const Json& params) {
        return params.at("controller_size").get<int>() + params.at("groups").get<int>() * params.at("group_size").get<int>();
      },
      .swarm_packages = {"move", "membership", "route-stale"},
  };
}

}  // namespace faultline::sharded
