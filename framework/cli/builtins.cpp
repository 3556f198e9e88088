#include "framework/cli/builtins.h"

#include "checkers/availability.h"
#include "checkers/convergence.h"
#include "checkers/counter.h"
#include "checkers/linearizable.h"
#include "checkers/liveness.h"
#include "checkers/session.h"
#include "checkers/set_full.h"
#include "checkers/staleness.h"
#include "nemesis/at_moment.h"
#include "nemesis/clock.h"
#include "nemesis/flaky.h"
#include "nemesis/partition.h"
#include "nemesis/slow.h"
#include "nemesis/process.h"
#include "systems/dynamo/delete_workload.h"
#include "systems/dynamo/dynamo_system.h"
#include "systems/dynamo/member_nemesis.h"
#include "systems/primary_replica/failover_nemesis.h"
#include "systems/primary_replica/primary_replica_system.h"
#include "systems/raft/raft_system.h"
#include "systems/sharded/move_nemesis.h"
#include "systems/sharded/route_stale.h"
#include "systems/sharded/sharded_system.h"
#include "systems/single/single_store.h"
#include "workloads/workloads.h"

namespace faultline {

void add_builtin_systems(Registry& registry) {
  registry.add_system(single::single_entry());
  registry.add_system(SystemEntry{
      .name = "raft",
      .description = "Raft CP key-value store: linearizable read/write/cas, available with a majority",
      .min_nodes = 1,
      .max_nodes = 9,
      .default_nodes = 3,
      .make = raft::make_raft_system,
      .showcase_bugs = {{"raft.ack-before-fsync", {"crash:all"}}},
      .workloads = {"register"},
      .params = raft::param_table(),
      .swarm_params = raft::swarm_params,
  });
  registry.add_system(primary_replica::primary_replica_entry());
  registry.add_system(dynamo::dynamo_entry());
  registry.add_system(sharded::sharded_entry());
}

void add_builtin_nemeses(Registry& registry) {
  const std::vector<std::string> targets = {"one", "minority", "majority", "all", "leader", "any"};
  registry.add_nemesis({"partition", "network partitions between nodes (partition:SHAPE; a shape drawn per fault)",
                        nemesis::make_partition, {"halves", "one", "leader", "ring", "bridge", "oneway"}, {""}});
  registry.add_nemesis({"kill", "kill -9 node(s) and restart them; unsynced writes survive in the page cache",
                        nemesis::make_kill, targets, {"any"}});
  registry.add_nemesis({"crash", "power loss on node(s), then restart; unsynced writes are lost",
                        nemesis::make_crash, targets, {"any"}});
  registry.add_nemesis({"pause", "pause node(s) (SIGSTOP, a long GC) and resume them", nemesis::make_pause, targets, {"any"}});
  registry.add_nemesis({"clock", "bump, skew or strobe a node's clock", nemesis::make_clock, {"bump", "skew", "strobe"},
                        {""}});
  registry.add_nemesis({"flaky", "lossy, duplicating, slow, reordering links between nodes", nemesis::make_flaky, {}, {""}});
  registry.add_nemesis({"slow", "one direction of a link, of a node's links, or of a node's client links delays all it "
                                "carries by 20 ms to 2 s (a stalled connection)",
                        nemesis::make_slow, {"link", "out", "in", "requests", "replies"}, {""}});
  registry.add_nemesis({"at-moment",
                        "strike a node when it reports a protocol moment (raft: just elected), with a probability "
                        "drawn per run: kill, crash, pause or isolate it",
                        nemesis::make_at_moment, {}, {""}});
  registry.add_nemesis({"failover", "primary-replica only: an operator's manual failover (replicas campaign now)",
                        primary_replica::make_failover_nemesis, {}, {}, "primary-replica"});
  registry.add_nemesis({"member", "a node leaves the ring and joins it again (dynamo's operator commands)",
                        dynamo::make_member_nemesis, {}, {}, "dynamo"});
  registry.add_nemesis({"move", "sharded only: the operator moves a shard to another group while the load runs",
                        sharded::make_move_nemesis, {}, {}, "sharded"});
  registry.add_nemesis({"membership", "sharded only: a replica group leaves (its shards move away) and joins again",
                        sharded::make_membership_nemesis, {}, {}, "sharded"});
  registry.add_nemesis({"route-stale", "sharded only: clients' configuration refreshes are held 200 ms to 3 s plus as much jitter, so "
                                       "they route by configurations already replaced",
                        sharded::make_route_stale_nemesis, {}, {}, "sharded"});
}

void add_builtin_workloads(Registry& registry) {
  registry.add_workload(workloads::register_workload());
  registry.add_workload(workloads::set_workload());
  registry.add_workload(workloads::counter_workload());
  registry.add_workload(workloads::session_workload());
  registry.add_workload(workloads::append_workload());
  registry.add_workload(dynamo::register_delete_workload());
}

void add_builtin_checkers(Registry& registry) {
  registry.add_checker(linearizable_checker());
  registry.add_checker(liveness_checker());
  registry.add_checker(set_full_checker());
  registry.add_checker(counter_checker());
  registry.add_checker(session_checker());
  registry.add_checker(staleness_checker());
  registry.add_checker(convergence_checker());
  registry.add_checker(availability_checker());
}

void add_builtins(Registry& registry) {
  add_builtin_nemeses(registry);
  add_builtin_workloads(registry);
  add_builtin_checkers(registry);
}

namespace cli {

const Registry& builtin_registry() {
  static const Registry registry = [] {
    Registry everything;
    add_builtins(everything);
    add_builtin_systems(everything);
    return everything;
  }();
  return registry;
}

}  // namespace cli

}  // namespace faultline
