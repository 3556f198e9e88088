// The planted bugs of the Raft store: each mirrors a published bug (sources in
// /work/shared/research/bugs.md) and is switched on by name through SystemConfig::bug.
#include "systems/raft/config.h"

namespace faultline::raft {

namespace {

struct BugEntry {
  BugSpec spec;
  bool Bugs::*flag;
};

const std::vector<BugEntry>& bug_table() {
  static const std::vector<BugEntry> table = {
      {{"raft.commit-prior-term",
        "a leader commits an entry of an earlier term by counting replicas (paper 5.4.2, Figure 8)",
        "LogCabin issue 44; canonical/raft issue 220; async-raft issue 108"},
       &Bugs::commit_prior_term},
      {{"raft.vote-not-durable",
        "term and vote are written to the page cache but never fsynced, so a power loss forgets them",
        "akka-raft issue 56; Redpanda PR 14/19; Nebula PR 3415"},
       &Bugs::vote_not_durable},
      {{"raft.ack-before-fsync",
        "log entries are acknowledged before they are fsynced (fsync runs on a 1 s timer)",
        "NATS JetStream issue 7564 (Jepsen NATS 2.12.1); etcd issue 14370"},
       &Bugs::ack_before_fsync},
      {{"raft.read-without-leader-check",
        "a node that believes it leads serves reads from local state without ReadIndex",
        "etcd issue 741 (Jepsen etcd 0.4.1); Consul issue 54"},
       &Bugs::read_without_leader_check},
      {{"raft.no-client-dedup",
        "no client sessions: a retried command is applied a second time",
        "Raft dissertation 6.3; Redis-Raft issue 52; MongoDB SERVER-55305"},
       &Bugs::no_client_dedup},
      {{"raft.skip-up-to-date-check",
        "voters grant votes without the election restriction, so a stale log can win (5.4.1)",
        "liferaft issue 8; openraft issue 1722"},
       &Bugs::skip_up_to_date_check},
      {{"raft.truncate-on-stale-append",
        "a follower truncates its log after every matching AppendEntries, even a stale one",
        "akka-raft issue 66; openraft issue 511"},
       &Bugs::truncate_on_stale_append},
  };
  return table;
}

}  // namespace

std::vector<BugSpec> bug_specs() {
  std::vector<BugSpec> specs;
  for (const auto& entry : bug_table()) specs.push_back(entry.spec);
  return specs;
}

Result<void> switch_on_bug(const std::string& name, Bugs& bugs) {
  for (const auto& entry : bug_table()) {
    if (entry.spec.name != name) continue;
    bugs.*entry.flag = true;
    return outcome::success();
  }
  return fail("unknown raft bug: " + name);
}

}  // namespace faultline::raft
