#include "systems/raft/raft_system.h"

#include "systems/raft/client.h"
#include "systems/raft/invariants.h"
#include "systems/raft/node.h"

namespace faultline::raft {

Result<std::unique_ptr<RaftSystem>> RaftSystem::create(const SystemConfig& config) {
  auto options = parse_options(config);
  if (!options) return options.as_failure();
  return std::make_unique<RaftSystem>(std::move(options).value());
}

Result<std::unique_ptr<System>> make_raft_system(const SystemConfig& config) {
  BOOST_OUTCOME_TRY(system, RaftSystem::create(config));
  return std::unique_ptr<System>(std::move(system));
}

std::vector<ClaimSpec> RaftSystem::claims() const {
  return {
      {"linearizable",
       "read, write and cas on every key are linearizable under every fault of the nemesis; "
       "in particular the minority side of a partition answers nothing wrong (only fail or "
       "info), and no retried command applies twice",
       "linearizable", Json{{"model", "kv"}}},
      {"liveness",
       "once every fault has healed (a majority can talk), every operation invoked after 2 "
       "simulated seconds gets an answer",
       "liveness", Json{{"grace_ns", 2'000'000'000}}},
  };
}

std::unique_ptr<Node> RaftSystem::make_node(Env& env) const {
  return std::make_unique<RaftNode>(env, options_, *coverage_);
}

std::unique_ptr<Client> RaftSystem::make_client(ClientEnv& env) const {
  return std::make_unique<RaftClient>(env, options_);
}

// The live node that leads the highest term, if any.
std::optional<EndpointId> RaftSystem::leader(std::span<Node* const> nodes) const {
  std::optional<EndpointId> best;
  int64_t best_term = -1;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto* node = dynamic_cast<const RaftNode*>(nodes[i]);
    if (node == nullptr || node->role() != Role::leader || node->term() <= best_term) continue;
    best = static_cast<EndpointId>(i);
    best_term = node->term();
  }
  return best;
}

// Converged: every node up, with the same last entry (by log matching, the same log), and
// all of it applied.
std::optional<bool> RaftSystem::replicas_agree(std::span<Node* const> nodes) const {
  const RaftNode* first = nullptr;
  for (Node* node : nodes) {
    const auto* raft = dynamic_cast<const RaftNode*>(node);
    if (raft == nullptr || raft->last_applied() != raft->log().last_index()) return false;
    if (first == nullptr) first = raft;
    if (raft->log().last_index() != first->log().last_index() ||
        raft->log().term_at(raft->log().last_index()) != first->log().term_at(first->log().last_index()))
      return false;
  }
  return true;
}

std::unique_ptr<InvariantChecker> RaftSystem::make_invariant_checker() const {
  return std::make_unique<RaftInvariants>();
}

}  // namespace faultline::raft
