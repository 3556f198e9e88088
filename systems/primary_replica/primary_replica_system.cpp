#include "systems/primary_replica/primary_replica_system.h"

#include "systems/primary_replica/claims.h"
#include "systems/primary_replica/client.h"
#include "systems/primary_replica/invariants.h"
#include "systems/primary_replica/node.h"

namespace faultline::primary_replica {

Result<std::unique_ptr<PrSystem>> PrSystem::create(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(kind, data_kind_of(config.workload));
  BOOST_OUTCOME_TRY(options, parse_options(config));
  return std::make_unique<PrSystem>(std::move(options), kind, config.workload);
}

Result<std::unique_ptr<System>> make_primary_replica_system(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(system, PrSystem::create(config));
  return std::unique_ptr<System>(std::move(system));
}

std::vector<ClaimSpec> PrSystem::claims() const {
  return claims_for(options_.params, kind_, workload_, options_.node_count);
}

std::unique_ptr<Node> PrSystem::make_node(Env& env) const { return std::make_unique<PrNode>(env, options_, kind_, *coverage_); }

std::unique_ptr<Client> PrSystem::make_client(ClientEnv& env) const {
  return std::make_unique<PrClient>(env, options_);
}

std::optional<EndpointId> PrSystem::leader(std::span<Node* const> nodes) const {
  std::optional<EndpointId> best;
  int64_t best_epoch = -1;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto* node = dynamic_cast<const PrNode*>(nodes[i]);
    if (node == nullptr || node->role() != Role::primary || node->epoch() <= best_epoch) continue;
    best = static_cast<EndpointId>(i);
    best_epoch = node->epoch();
  }
  return best;
}

std::unique_ptr<InvariantChecker> PrSystem::make_invariant_checker() const {
  Durability durability = Durability::none;
  if (options_.params.failover == Failover::off) {
    durability = Durability::primary_node;
  } else if (acknowledged_writes_survive(options_.params, options_.node_count)) {
    durability = Durability::majority;
  }
  return std::make_unique<PrInvariants>(durability);
}

namespace {

SystemEntry::Configuration configuration(std::string name, std::string workload, Json params) {
  return SystemEntry::Configuration{.name = std::move(name), .workload = std::move(workload), .params = std::move(params)};
}

// docs/systems/primary-replica.md, "Claims per configuration": one row per mode worth
// comparing; each states its claims from its params (claims_for).
std::vector<SystemEntry::Configuration> configurations() {
  return {
      configuration("quorum+auto register", "register", {{"replication", "quorum"}, {"failover", "auto"}}),
      configuration("quorum+manual register", "register", {{"replication", "quorum"}, {"failover", "manual"}}),
      configuration("quorum+auto set", "set", {{"replication", "quorum"}, {"failover", "auto"}}),
      configuration("sync+auto set", "set", {{"replication", "sync"}, {"failover", "auto"}}),
      configuration("semi-sync+auto set", "set", {{"replication", "semi-sync"}, {"failover", "auto"}}),
      configuration("async+auto set", "set", {{"replication", "async"}, {"failover", "auto"}}),
      configuration("async+manual set", "set", {{"replication", "async"}, {"failover", "manual"}}),
      configuration("async+off set", "set", {{"replication", "async"}, {"failover", "off"}}),
      configuration("quorum+auto counter", "counter", {{"replication", "quorum"}, {"failover", "auto"}}),
      configuration("quorum+auto session", "session", {{"replication", "quorum"}, {"read_from", "primary"}}),
      configuration("quorum replica reads session", "session",
                    {{"replication", "quorum"}, {"read_from", "replica"}, {"session_tokens", "off"}}),
      configuration("quorum replica reads+tokens session", "session",
                    {{"replication", "quorum"}, {"read_from", "replica"}, {"session_tokens", "on"}}),
      configuration("async replica reads+tokens session", "session",
                    {{"replication", "async"}, {"read_from", "replica"}, {"session_tokens", "on"}}),
      configuration("quorum any reads+tokens append", "append",
                    {{"replication", "quorum"}, {"read_from", "any"}, {"session_tokens", "on"}}),
  };
}

}  // namespace

SystemEntry primary_replica_entry() {
  return SystemEntry{
      .name = "primary-replica",
      .description = "one primary, N-1 replicas: async / semi-sync / sync / quorum replication, replica reads, "
                     "session tokens, manual or automatic failover fenced by epochs",
      .min_nodes = 1,
      .max_nodes = 9,
      .default_nodes = 3,
      .make = make_primary_replica_system,
      .showcase_bugs = {{kBugStaleDirtyReadPrimary, {"partition:leader"}},
                        {kBugNoFencingSplitBrain, {"partition:leader"}},
                        {kBugAsyncFailoverLoss, {"partition:leader"}},
                        {kBugAckBeforeFsync, {"crash:all"}}},
      .workloads = {"register", "set", "session", "counter", "append"},
      .params = param_table(),
      .configurations = configurations(),
      .swarm_params = swarm_params,
  };
}

}  // namespace faultline::primary_replica
