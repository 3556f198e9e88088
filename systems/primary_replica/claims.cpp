#include "systems/primary_replica/claims.h"

#include "framework/claims.h"

namespace faultline::primary_replica {

namespace {

// A claim this configuration makes only when `claimed`; otherwise it is judged and shown as
// given up, with the reason in its description.
ClaimSpec made_if(ClaimSpec claim, bool claimed, const std::string& why_not) {
  claim.claimed = claimed;
  if (!claimed) claim.description = "not claimed (" + why_not + "): " + claim.description;
  return claim;
}

std::string why_not_durable(const Params& params) {
  if (params.replication == Replication::async) return "async replication with failover loses unreplicated writes";
  return "semi-sync on more than 3 nodes: one replica is not a majority, a failover may miss it";
}

ClaimSpec convergence(const std::string& type, bool durable) {
  if (durable)
    return ClaimSpec{.name = "convergence",
                     .description = "after the heal every node reads the same value, holding every acknowledged update",
                     .checker = "convergence",
                     .checker_options = Json{{"type", type}}};
  return ClaimSpec{.name = "convergence",
                   .description = "after the heal every node reads the same value, made of attempted updates "
                                  "(acknowledged updates lost in a failover are counted, not required)",
                   .checker = "convergence",
                   .checker_options = Json{{"type", type}, {"require_acknowledged", false}}};
}

ClaimSpec session(const std::string& type) {
  return ClaimSpec{.name = "session",
                   .description = "each process reads its writes, monotonically, and sees writes in session order "
                                  "(read-your-writes, monotonic reads, monotonic writes, writes-follow-reads)",
                   .checker = "session",
                   .checker_options = Json{{"type", type}}};
}

}  // namespace

bool acknowledged_writes_survive(const Params& params, int node_count) {
  if (params.failover == Failover::off) return true;
  return acks_required(params.replication, node_count) >= node_count / 2 + 1;
}

std::vector<ClaimSpec> claims_for(const Params& params, DataKind kind, const std::string& workload,
                                  int node_count) {
  const bool durable = acknowledged_writes_survive(params, node_count);
  const bool primary_reads = params.read_from == ReadFrom::primary;
  const bool ordered = durable && (primary_reads || params.session_tokens);
  const std::string not_durable = durable ? "" : why_not_durable(params);
  const std::string stale = !durable ? not_durable : "read_from=" + to_string(params.read_from) + " serves stale reads";
  const std::string unordered = !durable ? not_durable : "replica reads without session tokens";
  std::vector<ClaimSpec> claims;
  switch (kind) {
    case DataKind::registers:
      claims.push_back(made_if(claims::linearizable("kv"), durable && primary_reads, stale));
      if (workload == "session") {
        claims.push_back(made_if(session("session"), ordered, unordered));
        claims.push_back(made_if(ClaimSpec{.name = "no-stale-reads",
                                           .description = "a read sees every write acknowledged before it began",
                                           .checker = "staleness",
                                           .checker_options = Json{{"bound_versions", 0}}},
                                 durable && primary_reads, stale));
      }
      claims.push_back(convergence("register", durable));
      break;
    case DataKind::sets:
      claims.push_back(made_if(ClaimSpec{.name = "set-full",
                                         .description = primary_reads
                                                            ? "no acknowledged add is lost, nothing unexpected appears, "
                                                              "and no read is stale"
                                                            : "no acknowledged add is lost and nothing unexpected "
                                                              "appears (replica reads may be stale)",
                                         .checker = "set-full",
                                         .checker_options = Json{{"linearizable", primary_reads}}},
                               durable, not_durable));
      claims.push_back(convergence("set", durable));
      break;
    case DataKind::counters:
      claims.push_back(made_if(ClaimSpec{.name = "counter",
                                         .description = "every read lies within the bounds of the increments and "
                                                        "decrements around it",
                                         .checker = "counter",
                                         .checker_options = Json::object()},
                               durable && primary_reads, stale));
      claims.push_back(convergence("counter", durable));
      break;
    case DataKind::lists:
      claims.push_back(made_if(session("append"), ordered, unordered));
      claims.push_back(convergence("append", durable));
      break;
  }
  claims.push_back(claims::liveness());
  return claims;
}

}  // namespace faultline::primary_replica
