// The planted bugs of the Dynamo store: each mirrors a published bug (sources in
// ../shared/research/bugs.md, section 5) and is switched on by name through SystemConfig::bug.
#include "systems/dynamo/bugs.h"

#include "framework/bug_switches.h"

namespace faultline::dynamo {

namespace {

const std::vector<BugSwitch<Bugs>>& bug_table() {
  static const std::vector<BugSwitch<Bugs>> table = {
      {{"ap.lww-clock-skew",
        "LWW timestamps are the coordinator's raw clock, with no max(seen)+1 bump, so a write through a node "
        "whose clock is behind loses to an older write (the register still claims no lost acknowledged write)",
        "Jepsen Cassandra (aphyr.com/posts/294) and Riak LWW (aphyr.com/posts/285: 30-70% of writes lost); "
        "Jepsen Aerospike 3.5.4"},
       &Bugs::lww_clock_skew},
      {{"ap.sloppy-quorum-counted",
        "with a strict quorum, hinted writes on fallbacks count toward W and fallback replies toward R, so a "
        "quorum read over the real owners can miss a quorum write",
        "Dynamo (DeCandia et al. 2007) 4.6 sloppy quorums; Cassandra hinted handoff docs (hints only count for "
        "consistency level ANY); Jepsen Riak (fallback vnodes during partitions)"},
       &Bugs::sloppy_quorum_counted},
      {{"ap.tombstone-resurrection",
        "tombstones are reaped once the grace period has passed, without confirming that every replica and "
        "every hint holder has the tombstone, so a stale replica copies the deleted value back",
        "Cassandra gc_grace_seconds and zombie data (cassandra.apache.org, tombstones); riak_kv PR 1094 "
        "(tombstone -> doomstone); riak_kv issue 311"},
       &Bugs::tombstone_resurrection},
      {{"ap.siblings-collapsed",
        "merging two versions keeps the one whose vector clock has the larger sum, as if concurrent versions "
        "were ordered, so concurrent writes and adds are silently dropped",
        "Jepsen Riak (allow_mult=false, aphyr.com/posts/285); riak-users 2011-11 on resolving siblings by vclock "
        "then timestamp; riak_kv PR 127 (vclock enhancements)"},
       &Bugs::siblings_collapsed},
      {{"ap.counter-retry-double",
        "a node forwarding an update to an owner retries at the next owner when no answer comes, and owners do "
        "not deduplicate request ids, so a slow increment is applied twice",
        "Jepsen Cassandra counters (aphyr.com/posts/294); Cassandra counter docs (no safe retry after a "
        "timeout); Jepsen Aerospike 3.99 (internal retransmissions)"},
       &Bugs::counter_retry_double},
      {{"ap.nonblocking-read-repair",
        "with read_repair=blocking the coordinator answers before its repairs are acknowledged, so a value seen "
        "on one replica by one quorum read can vanish from the next if a repair is slow or lost",
        "Cassandra read repair docs (blocking read repair gives monotonic quorum reads; CASSANDRA-14635); Jepsen "
        "Scylla 4.2-rc3"},
       &Bugs::nonblocking_read_repair},
      {{"ap.handoff-write-loss",
        "a node handing keys to a new owner declares the handoff done once its first copy is acknowledged and "
        "drops its copy: writes it accepted meanwhile are neither forwarded nor kept",
        "riak_kv issue 1754 (recent writes lost under heavy handoff, found with Jepsen); riak_kv PR 223 and 164 "
        "(forwarding during async handoff); riak_kv PR 127"},
       &Bugs::handoff_write_loss},
      {{"ap.actor-id-reuse",
        "the vector-clock actor is the bare node id, without epochs: a node coordinating a key it holds no "
        "copy of (a fallback whose hint was handed off) restarts its counter, and its new update is subsumed",
        "riak_kv issue 679 (KV679, data loss on a coordinating replica's amnesia); riak_kv PR 1094 and 1643 "
        "(per-key actor epochs)"},
       &Bugs::actor_id_reuse},
  };
  return table;
}

}  // namespace

std::vector<BugSpec> bug_specs() { return bug_specs_of(bug_table()); }

Result<Bugs> bugs_from_name(const std::optional<std::string>& name) { return bugs_named(bug_table(), name, "dynamo"); }

}  // namespace faultline::dynamo
