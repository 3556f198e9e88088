// The planted bugs of the Raft store: each mirrors a published bug (sources in
// /work/shared/research/bugs.md) and is switched on by name through SystemConfig::bug.
#include <functional>
#include <map>

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

Result<int64_t> read_ms(const Json& params, const char* key, int64_t fallback_ns) {
  if (!params.contains(key)) return fallback_ns;
  if (!params[key].is_number()) return fail(std::string("raft param ") + key + " must be a number");
  return static_cast<int64_t>(params[key].get<double>() * kMillisecond);
}

}  // namespace

std::vector<BugSpec> bug_specs() {
  std::vector<BugSpec> specs;
  for (const auto& entry : bug_table()) specs.push_back(entry.spec);
  return specs;
}

Result<Options> parse_options(const SystemConfig& config) {
  Options options;
  if (config.bug) {
    bool found = false;
    for (const auto& entry : bug_table()) {
      if (entry.spec.name != *config.bug) continue;
      options.bugs.*entry.flag = true;
      found = true;
    }
    if (!found) return fail("unknown raft bug: " + *config.bug);
  }
  const Json& p = config.params.is_object() ? config.params : Json::object();
  Params& out = options.params;
  const std::pair<const char*, int64_t*> durations[] = {
      {"heartbeat_ms", &out.heartbeat_ns},
      {"election_timeout_ms", &out.election_timeout_min_ns},
      {"client_attempt_timeout_ms", &out.client_attempt_timeout_ns},
      {"client_op_timeout_ms", &out.client_op_timeout_ns},
  };
  for (const auto& [key, field] : durations) {
    auto value = read_ms(p, key, *field);
    if (!value) return value.as_failure();
    *field = value.value();
  }
  if (p.contains("snapshot_threshold")) out.snapshot_threshold = p["snapshot_threshold"].get<int64_t>();
  if (p.contains("max_entries_per_append"))
    out.max_entries_per_append = p["max_entries_per_append"].get<int>();
  if (out.heartbeat_ns <= 0 || out.election_timeout_min_ns <= 2 * out.heartbeat_ns)
    return fail("raft params: need 0 < heartbeat and election timeout > 2 * heartbeat");
  if (out.snapshot_threshold < 1 || out.max_entries_per_append < 1)
    return fail("raft params: snapshot_threshold and max_entries_per_append must be >= 1");
  return options;
}

}  // namespace faultline::raft
