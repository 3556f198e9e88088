#include "systems/single/bugs.h"

namespace faultline::single {

namespace {

struct BugEntry {
  BugSpec spec;
  bool Bugs::*flag;
};

const std::vector<BugEntry>& bug_table() {
  static const std::vector<BugEntry> table = {
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

std::vector<BugSpec> bug_specs() {
  std::vector<BugSpec> specs;
  for (const auto& entry : bug_table()) specs.push_back(entry.spec);
  return specs;
}

Result<Bugs> bugs_from_name(const std::optional<std::string>& name) {
  Bugs bugs;
  if (!name) return bugs;
  for (const auto& entry : bug_table()) {
    if (entry.spec.name != *name) continue;
    bugs.*entry.flag = true;
    return bugs;
  }
  return fail("--bug: system \"single\" has no bug \"" + *name + "\" (see faultline list)");
}

}  // namespace faultline::single
