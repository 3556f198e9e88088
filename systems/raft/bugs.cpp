// The planted bugs of the Raft store: each mirrors a published bug (sources in
// /work/shared/research/bugs.md) and is switched on by name through SystemConfig::bug.
#include "framework/bug_switches.h"
#include "systems/raft/config.h"

namespace faultline::raft {

namespace {

const std::vector<BugSwitch<Bugs>>& bug_table() {
  static const std::vector<BugSwitch<Bugs>> table = {
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

// Election safety (5.2) fails only when a voter forgets the vote it gave in a term.
bool Bugs::can_elect_two_leaders_in_a_term() const { return vote_not_durable; }

// Leader completeness (5.4) fails when an entry is counted committed before it is safe
// (Figure 8), when a stale log can win (no up-to-date check, a forgotten vote), when an
// acknowledged entry was never durable, or when a follower drops entries it had matched.
bool Bugs::can_lose_committed_entries() const {
  return commit_prior_term || vote_not_durable || ack_before_fsync || skip_up_to_date_check ||
         truncate_on_stale_append;
}

std::vector<BugSpec> bug_specs() { return bug_specs_of(bug_table()); }

Result<Bugs> bugs_from_name(const std::optional<std::string>& name) { return bugs_named(bug_table(), name, "raft"); }

}  // namespace faultline::raft
