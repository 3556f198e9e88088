// The planted bugs of the primary-replica store, each with the published bug it mirrors.
#include "systems/primary_replica/bugs.h"

#include "framework/bug_switches.h"

namespace faultline::primary_replica {

namespace {

const std::vector<BugSwitch<Bugs>>& bug_table() {
  static const std::vector<BugSwitch<Bugs>> table = {
      {{kBugAsyncFailoverLoss,
        "whatever replication mode is configured, the primary acknowledges a write after its own durable write "
        "(it claims sync or quorum but acks async), so a failover discards acknowledged writes",
        "Jepsen Redis Sentinel (aphyr.com/posts/283-jepsen-redis); Jepsen MongoDB 2.4.3 w:1 rollbacks; "
        "Elasticsearch issues 7572 and 10407"},
       &Bugs::acks_after_local_write},
      {{kBugNoFencingSplitBrain,
        "no fencing: a primary cut off from the others keeps its quorum by counting a majority of the nodes "
        "it still hears from (no lease, no quorum check), and replicas accept replication from an older "
        "epoch (answering in its epoch): a deposed primary and the new one both commit",
        "Jepsen Elasticsearch 1.1.0 and Redis Sentinel split brain; Jepsen Hazelcast 3.8.3; Jepsen Aerospike "
        "3.99.0.3 (pauses beyond the timeout lose committed updates)"},
       &Bugs::no_fencing},
      {{kBugStaleDirtyReadPrimary,
        "the primary answers reads from its local state with no read barrier, including writes not yet "
        "replicated: an isolated old primary serves stale reads and writes that are later rolled back",
        "Jepsen MongoDB 2.6.7 stale reads; Elasticsearch issue 20031; Jepsen VoltDB 6.3"},
       &Bugs::reads_without_barrier},
      {{kBugElectLaggingReplica,
        "voters grant their vote without comparing the candidate's last (epoch, index) with theirs, so a "
        "lagging replica can be promoted and acknowledged writes are lost",
        "Jepsen MongoDB 3.4.0-rc3 (v0 protocol); TokuMX issue 763; Kafka unclean leader election (Jepsen "
        "Kafka; KIP-966); Elasticsearch PR 20384"},
       &Bugs::elects_without_log_check},
      {{kBugSyncSilentlyAsync,
        "a write that waited 100 ms for replica acknowledgements switches the primary to local "
        "acknowledgements until every replica has caught up, instead of waiting or failing",
        "MySQL semi-sync rpl_semi_sync_source_timeout reverting to asynchronous replication; PostgreSQL "
        "\"canceling wait for synchronous replication\"; Redis WAIT (Jepsen Redis redux)"},
       &Bugs::degrades_to_async},
      {{kBugOutcomeMisreported,
        "a write whose replication wait ran out (100 ms), or whose primary stepped down after appending it, "
        "is answered as a definite failure although it stays in the log and may commit",
        "Jepsen MongoDB 2.4.3 (errors for successful writes); Redis WAIT; Jepsen Aerospike 3.99.0.3; "
        "Redis-Raft issue 23; CASSANDRA-6013"},
       &Bugs::fails_doubtful_writes},
      {{kBugSessionLaggingReplica,
        "clients carry session tokens but replicas ignore them: a replica behind the session's last seen "
        "position answers at once, so read-your-writes and monotonic reads break",
        "Jepsen MongoDB 3.6.4 causal sessions; MongoDB specifications PR 1930 (DRIVERS-3274)"},
       &Bugs::replicas_ignore_tokens},
      {{kBugAckBeforeFsync,
        "primary and replicas acknowledge log entries before fsyncing them (the log is fsynced on a ~1 s "
        "timer), so a power loss loses acknowledged writes and the node rejoins as if nothing was missing",
        "Elasticsearch issue 10933; Jepsen Aerospike 3.99.0.3 (commit to device); Kafka KIP-966 unclean "
        "shutdown"},
       &Bugs::acks_before_fsync},
      {{kBugHwTruncationDivergence,
        "a replica persists its high watermark (the commit position it last heard, one round trip behind) "
        "and truncates its log to it on restart, with no epoch check against the primary; a replica that "
        "restarted can then win an election without writes the primary counted it for",
        "Kafka KIP-101 (truncation by high watermark, scenario 1) and KIP-279; Elasticsearch issue 20031"},
       &Bugs::truncates_to_local_hw},
  };
  return table;
}

}  // namespace

std::vector<BugSpec> bug_specs() { return bug_specs_of(bug_table()); }

Result<Bugs> bugs_from_name(const std::optional<std::string>& name) {
  return bugs_named(bug_table(), name, "primary-replica");
}

}  // namespace faultline::primary_replica
