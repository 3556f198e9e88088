// The planted bugs of the sharded store, each with the published bug it mirrors.
#include "systems/sharded/bugs.h"

#include "framework/bug_switches.h"

namespace faultline::sharded {

namespace {

const std::vector<BugSwitch<Bugs>>& bug_table() {
  static const std::vector<BugSwitch<Bugs>> table = {
      {{kBugMigrationLostWrites,
        "a leaving shard is not frozen: the source keeps taking writes while the destination pulls a copy, and "
        "drops the shard once the destination installed that copy, so writes taken after the copy are lost",
        "Jepsen Dgraph 1.0.2 and 1.1.1; Dgraph issues 2338 and 4538 (inserts lost during predicate moves)"},
       &Bugs::serves_while_sending},
      {{kBugHandoffReadWindow,
        "a destination serves reads of an arriving shard before its data is installed (ownership is checked "
        "against the configuration, not against \"data received\"), so a read right after a move misses writes",
        "Dgraph PR 4496 (the destination served transactions before it had received the tablet); Dgraph "
        "issues 4540 and 4575"},
       &Bugs::reads_while_pulling},
      {{kBugStaleRouteNoEpoch,
        "a group does not refuse requests for a shard it no longer owns: a client routing by a stale "
        "configuration writes into, and reads from, a former owner's dropped copy",
        "MongoDB shard versioning (StaleConfig; SERVER-28943, SERVER-110330); Dgraph's commit-time ownership "
        "check (PR 4496)"},
       &Bugs::serves_moved_out},
      {{kBugOrphanVisible,
        "collecting a moved-out shard keeps its data, and reads of a shard the group no longer owns are served "
        "from that orphaned copy, so a stale client reads values the owner has since overwritten",
        "MongoDB SERVER-9858 (orphans visible on secondaries after a chunk migration); read concern "
        "\"available\" (DOCS-13308)"},
       &Bugs::keeps_orphans_readable},
      {{kBugDedupNotMigrated,
        "a shard moves without its client sessions, so a write retried at the new owner after the old owner "
        "applied it is applied a second time",
        "Raft dissertation 6.3 (sessions are part of the state machine); MIT 6.5840 shardkv (the "
        "duplicate-detection table must move with the shard)"},
       &Bugs::install_drops_sessions},
  };
  return table;
}

}  // namespace

std::vector<BugSpec> bug_specs() { return bug_specs_of(bug_table()); }

Result<Bugs> bugs_from_name(const std::optional<std::string>& name) { return bugs_named(bug_table(), name, "sharded"); }

}  // namespace faultline::sharded
