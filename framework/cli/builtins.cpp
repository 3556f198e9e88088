#include "framework/cli/builtins.h"

#include "nemesis/clock.h"
#include "nemesis/flaky.h"
#include "nemesis/partition.h"
#include "nemesis/process.h"
#include "systems/raft/raft_system.h"
#include "systems/single/single_store.h"

namespace faultline::cli {

namespace {

void add_systems(Registry& registry) {
  registry.add_system(SystemEntry{
      "single", "one-node key-value store (the baseline): linearizable, unavailable when down",
      1, 1, 1,
      [](const SystemConfig& config) { return std::make_unique<single::SingleStore>(config); },
      {{single::kBugAckBeforeFsync, {"crash"}}}});
  registry.add_system(SystemEntry{
      "raft", "Raft CP key-value store: linearizable read/write/cas, available with a majority",
      1, 9, 3, raft::make_raft_system,
      {{"raft.ack-before-fsync", {"crash:all"}}}});
}

void add_nemeses(Registry& registry) {
  registry.add_nemesis({"partition", "network partitions: halves, one node, the leader (partition:SHAPE)",
                        nemesis::make_partition});
  registry.add_nemesis({"kill", "kill -9 a node and restart it; unsynced writes survive in the page cache",
                        nemesis::make_kill});
  registry.add_nemesis({"crash", "power loss on a node, then restart; unsynced writes are lost",
                        nemesis::make_crash});
  registry.add_nemesis({"pause", "pause a node (SIGSTOP, a long GC) and resume it", nemesis::make_pause});
  registry.add_nemesis({"clock", "bump or skew a node's clock", nemesis::make_clock});
  registry.add_nemesis({"flaky", "lossy, duplicating, slow, reordering links between nodes",
                        nemesis::make_flaky});
}

Registry make_registry() {
  Registry registry;
  add_systems(registry);
  add_nemeses(registry);
  return registry;
}

}  // namespace

const Registry& builtin_registry() {
  static const Registry registry = make_registry();
  return registry;
}

}  // namespace faultline::cli
