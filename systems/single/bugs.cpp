#include "systems/single/bugs.h"

#include "framework/bug_switches.h"

namespace faultline::single {

namespace {

const std::vector<BugSwitch<Bugs>>& bug_table() {
  static const std::vector<BugSwitch<Bugs>> table = {
      {{kBugAckBeforeFsync,
        "acknowledges a write before fsync (group commit every 50 ms); a power loss loses acknowledged writes",
        "fsync-before-ack mistakes, e.g. Redis appendfsync everysec and MongoDB w:1 j:false losing acknowledged "
        "writes on crash"},
       &Bugs::ack_before_fsync},
      {{kBugLostAdd,
        "recovery treats the log's last record as a torn tail and drops it (an off-by-one), so the last "
        "acknowledged add before a crash or kill disappears",
        "state recovery inconsistent with the log: Redis-Raft issues 14 and 18 (data lost or empty on restart), "
        "etcd issue 13766; bugs.md raft-apply-recovery-gap"},
       &Bugs::drop_last_record},
      {{kBugDoubleIncrement,
        "no request deduplication: a client's retried add (resent after 100 ms without a reply) is applied again",
        "non-idempotent increments under retries: Jepsen Cassandra counters, Jepsen Aerospike 3.99 "
        "(internal retransmissions), Redis-Raft issue 52; bugs.md ap-counter-retry-double"},
       &Bugs::no_request_dedup},
  };
  return table;
}

}  // namespace

std::vector<BugSpec> bug_specs() { return bug_specs_of(bug_table()); }

Result<Bugs> bugs_from_name(const std::optional<std::string>& name) { return bugs_named(bug_table(), name, "single"); }

}  // namespace faultline::single
