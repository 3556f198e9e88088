#pragma once
// The sharded key-value store as a faultline System (issue 13; docs/systems/sharded.md):
// a shard controller and replica groups, each a Raft group of systems/raft, in one cluster.
#include "framework/registry.h"
#include "framework/system.h"
#include "systems/sharded/config.h"
#include "systems/sharded/coverage.h"
#include "systems/sharded/messages.h"

namespace faultline::sharded {

class ShardedSystem final : public System {
 public:
  static Result<std::unique_ptr<ShardedSystem>> create(const SystemConfig& config);
  explicit ShardedSystem(Options options) : options_(std::move(options)), coverage_(std::make_unique<Coverage>()) {}

  std::string name() const override { return "sharded"; }
  std::vector<ClaimSpec> claims() const override;
  std::vector<BugSpec> bugs() const override { return bug_specs(); }
  std::unique_ptr<Node> make_node(Env& env) const override;
  std::unique_ptr<Client> make_client(ClientEnv& env) const override;
  const MessageCodec& codec() const override { return codec_; }
  std::optional<EndpointId> leader(std::span<Node* const> nodes) const override;
  // "routing": the controller's nodes, which clients ask for configurations.
  std::vector<EndpointId> nodes_in_role(const std::string& role) const override;
  std::unique_ptr<InvariantChecker> make_invariant_checker() const override;
  Json run_metrics() const override { return coverage_->to_json(); }

 private:
  Options options_;
  std::unique_ptr<Coverage> coverage_;  // nodes and state machines add to it
  Codec codec_;
};

SystemEntry sharded_entry();

}  // namespace faultline::sharded
