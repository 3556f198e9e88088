#include "systems/dynamo/dynamo_system.h"

#include "framework/claims.h"
#include "systems/dynamo/agreement.h"
#include "systems/dynamo/client.h"
#include "systems/dynamo/invariants.h"
#include "systems/dynamo/node.h"

namespace faultline::dynamo {

namespace {

ClaimSpec convergence(const std::string& type, bool require_acknowledged, std::string description) {
  return ClaimSpec{.name = "convergence",
                   .description = std::move(description),
                   .checker = "convergence",
                   .checker_options = {{"type", type}, {"require_acknowledged", require_acknowledged}}};
}

ClaimSpec session_guarantee(const std::string& guarantee, std::string description, bool claimed) {
  return ClaimSpec{.name = guarantee,
                   .description = std::move(description),
                   .checker = "session",
                   .checker_options = {{"type", "session"}, {"guarantees", {guarantee}}},
                   .claimed = claimed};
}

bool client_context(Conflict conflict) { return conflict == Conflict::lww || conflict == Conflict::vclock; }

}  // namespace

Result<std::unique_ptr<DynamoSystem>> DynamoSystem::create(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(options, parse_options(config));
  return std::make_unique<DynamoSystem>(std::move(options));
}

Result<std::unique_ptr<System>> make_dynamo_system(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(system, DynamoSystem::create(config));
  return std::unique_ptr<System>(std::move(system));
}

std::vector<ClaimSpec> DynamoSystem::claims() const {
  const Params& p = options_.params;
  std::vector<ClaimSpec> out;
  if (p.shape == Shape::sets) {
    const bool keeps_adds = p.conflict != Conflict::lww;
    out.push_back({.name = "set-full",
                   .description = keeps_adds ? "no acknowledged add is ever lost and nothing unexpected appears (reads "
                                               "may lag: concurrent adds are merged, not ordered)"
                                             : "last-writer-wins keeps one of two concurrent read-modify-write adds: "
                                               "acknowledged adds are lost",
                   .checker = "set-full",
                   .checker_options = {{"linearizable", false}},
                   .claimed = keeps_adds});
    out.push_back(convergence("set", keeps_adds,
                              keeps_adds ? "after the heal every node reads the same set, holding every acknowledged add"
                                         : "after the heal every node reads the same set (acknowledged adds may be gone)"));
  } else if (p.shape == Shape::counters) {
    // A read must count every increment acknowledged before it began (Jepsen's counter
    // bounds): only a read quorum that meets every write quorum sees them all.
    const bool crdt = p.conflict != Conflict::lww;
    const bool bounded = crdt && p.quorums_intersect();
    out.push_back({.name = "counter",
                   .description = bounded ? "every read lies within the bounds of the updates around it (strict "
                                            "quorums with R + W > N: a read meets every acknowledged update)"
                                  : crdt ? "a read may miss acknowledged updates held only by fallbacks or by owners "
                                           "outside its quorum (sloppy or non-intersecting quorums)"
                                         : "last-writer-wins keeps one of two concurrent read-modify-write increments",
                   .checker = "counter",
                   .claimed = bounded});
    out.push_back(convergence("counter", crdt,
                              crdt ? "after the heal every node reads the same total, counting every acknowledged update"
                                   : "after the heal every node reads the same total (acknowledged updates may be lost)"));
  } else {
    for (ClaimSpec& claim : register_claims()) out.push_back(std::move(claim));
  }
  out.push_back(availability_claim());
  out.push_back(claims::liveness());
  return out;
}

// Registers: real-time guarantees need a quorum read before every write (the client's, for
// lww and vclock) and quorums that intersect; the CRDT registers write at one owner.
std::vector<ClaimSpec> DynamoSystem::register_claims() const {
  const Params& p = options_.params;
  const bool blocking = p.read_repair == ReadRepair::blocking;
  const bool read_your_writes = client_context(p.conflict) && p.quorums_intersect();
  const bool monotonic_reads = client_context(p.conflict) && p.reads_intersect() && blocking;
  std::vector<ClaimSpec> out;
  if (options_.workload == "session") {
    out.push_back(session_guarantee("read-your-writes",
                                    "a process reads its own acknowledged writes, through any coordinator (strict "
                                    "quorums with R + W > N, the write read its context first)",
                                    read_your_writes));
    out.push_back(session_guarantee("monotonic-reads",
                                    "a process never reads an older version after a newer one (strict quorums with "
                                    "2R > N and blocking read repair)",
                                    monotonic_reads));
    // Measured, never promised: how many versions and ms behind the acknowledged writes each
    // read is, per coordinator.
    out.push_back({.name = "staleness",
                   .description = "how far behind the acknowledged writes reads are (versions and ms)",
                   .checker = "staleness",
                   .checker_options = {{"type", "session"}},
                   .claimed = false});
  } else {
    const bool linearizable = p.conflict == Conflict::lww && p.quorums_intersect() && p.reads_intersect() && blocking;
    ClaimSpec claim = claims::linearizable("kv");
    claim.description =
        "reads, writes and deletes are linearizable (ABD: strict quorums with R + W > N and 2R > N, writes stamped "
        "after the timestamp they read, blocking read repair); cas is refused";
    claim.claimed = linearizable;
    out.push_back(std::move(claim));
  }
  // The convergence checker reads an agreed null as losing every write, so histories with
  // deletes judge agreement and explicable values only.
  const bool keeps_writes = read_your_writes && options_.workload != "register-delete";
  out.push_back(convergence("register", keeps_writes,
                            keeps_writes ? "after the heal every node reads the same value, and no acknowledged write "
                                           "that followed it in real time is lost"
                                         : "after the heal every node reads the same value (concurrent or "
                                           "clock-skewed writes may be lost)"));
  return out;
}

// Dynamo's "always writeable" configuration (sloppy quorums, R = W = 1): a coordinator on
// any side of any partition answers from itself and its side. Counter updates are not: they
// need a reachable owner to coordinate them (writes.cpp).
ClaimSpec DynamoSystem::availability_claim() const {
  const Params& p = options_.params;
  const bool available = p.sloppy && p.read_quorum == 1 && p.write_quorum == 1 && p.shape != Shape::counters;
  return ClaimSpec{
      .name = "availability",
      .description = available ? "every side of every partition answers at least 90% of its operations (sloppy "
                                 "quorums, R = W = 1: any reachable node coordinates)"
                               : "every side of every partition answering 90% of its operations is not promised "
                                 "(a side without R or W reachable owners or fallbacks refuses)",
      .checker = "availability",
      .checker_options = {{"min_ok_fraction", 0.9}, {"grace_ms", 200}},
      .claimed = available};
}

std::unique_ptr<Node> DynamoSystem::make_node(Env& env) const {
  return std::make_unique<DynamoNode>(env, options_, *telemetry_);
}

std::unique_ptr<Client> DynamoSystem::make_client(ClientEnv& env) const {
  return std::make_unique<DynamoClient>(env, options_.params);
}

std::unique_ptr<InvariantChecker> DynamoSystem::make_invariant_checker() const {
  return std::make_unique<DynamoInvariants>();
}

std::optional<bool> DynamoSystem::replicas_agree(std::span<Node* const> nodes) const {
  return dynamo::replicas_agree(nodes);
}

SystemEntry dynamo_entry() {
  using Configuration = SystemEntry::Configuration;
  return SystemEntry{
      .name = "dynamo",
      .description = "Dynamo-style AP store: consistent hashing, sloppy or strict quorums, hinted handoff, read "
                     "repair, Merkle anti-entropy; LWW, vector clocks or CRDTs",
      .min_nodes = 1,
      .max_nodes = 16,
      .default_nodes = 5,
      .make = make_dynamo_system,
      .showcase_bugs = {{"ap.siblings-collapsed", {"partition"}}, {"ap.actor-id-reuse", {"partition"}}},
      .workloads = {"set", "register", "counter", "session", "register-delete"},
      .params = param_table(),
      .configurations =
          {
              Configuration{"orset", "set", {{"conflict", "orset"}}},
              Configuration{"vclock-set", "set", {{"conflict", "vclock"}}},
              Configuration{"lww-set", "set", {{"conflict", "lww"}}},
              Configuration{"always-writeable", "set", {{"conflict", "orset"}, {"r", 1}, {"w", 1}}},
              Configuration{"vclock-always-writeable", "set", {{"conflict", "vclock"}, {"r", 1}, {"w", 1}}},
              Configuration{"pncounter", "counter", {{"conflict", "pncounter"}, {"quorum", "strict"}}},
              Configuration{"pncounter-sloppy", "counter", {{"conflict", "pncounter"}}},
              Configuration{"gcounter", "counter", {{"conflict", "gcounter"}, {"quorum", "strict"}}},
              Configuration{"lww-counter", "counter", {{"conflict", "lww"}}},
              Configuration{"lww-strict", "register", {{"conflict", "lww"}, {"quorum", "strict"}}},
              Configuration{"lww-sloppy", "register", {{"conflict", "lww"}}},
              Configuration{"vclock-strict", "register", {{"conflict", "vclock"}, {"quorum", "strict"}}},
              Configuration{"mvreg", "register", {{"conflict", "mvreg"}}},
              Configuration{"lwwreg", "register", {{"conflict", "lwwreg"}}},
              Configuration{"delete-strict", "register-delete", {{"conflict", "lww"}, {"quorum", "strict"}}},
              Configuration{"session-strict", "session", {{"conflict", "lww"}, {"quorum", "strict"}}},
              Configuration{"session-w1", "session", {{"conflict", "lww"}, {"quorum", "strict"}, {"w", 1}}},
              Configuration{"session-async-repair", "session",
                            {{"conflict", "lww"}, {"quorum", "strict"}, {"w", 1}, {"read_repair", "async"}}},
              Configuration{"session-sloppy", "session", {{"conflict", "lww"}}},
          },
  };
}

}  // namespace faultline::dynamo
