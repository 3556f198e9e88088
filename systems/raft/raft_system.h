#pragma once
// The Raft CP key-value store as a faultline System: its nodes, client, codec, claims,
// planted bugs, invariants and leader introspection.
#include "framework/system.h"
#include "systems/raft/config.h"
#include "systems/raft/coverage.h"
#include "systems/raft/messages.h"

namespace faultline::raft {

class RaftSystem final : public System {
 public:
  // Fails on an unknown bug name or bad params.
  static Result<std::unique_ptr<RaftSystem>> create(const SystemConfig& config);
  explicit RaftSystem(Options options) : options_(std::move(options)), coverage_(std::make_unique<Coverage>()) {}

  std::string name() const override { return "raft"; }
  std::vector<ClaimSpec> claims() const override;
  std::vector<BugSpec> bugs() const override { return bug_specs(); }
  std::unique_ptr<Node> make_node(Env& env) const override;
  std::unique_ptr<Client> make_client(ClientEnv& env) const override;
  const MessageCodec& codec() const override { return codec_; }
  std::optional<EndpointId> leader(std::span<Node* const> nodes) const override;
  std::unique_ptr<InvariantChecker> make_invariant_checker() const override;
  std::optional<bool> replicas_agree(std::span<Node* const> nodes) const override;
  // The protocol branches the run reached (coverage.h), for a campaign's coverage.
  Json run_metrics() const override { return coverage_->to_json(); }

  const Options& options() const { return options_; }

 private:
  Options options_;
  std::unique_ptr<Coverage> coverage_;  // nodes add to it; see coverage.h
  Codec codec_;
};

// The registry's factory: fails on an unknown bug or bad params.
Result<std::unique_ptr<System>> make_raft_system(const SystemConfig& config);

}  // namespace faultline::raft
