#pragma once
// The primary-replica store as a faultline System: its nodes, client, codec, claims per
// configuration, planted bugs, invariants, primary introspection, and its registry entry
// (params, workloads, the configurations `faultline matrix` compares, showcased bugs).
#include "framework/registry.h"
#include "framework/system.h"
#include "systems/primary_replica/config.h"
#include "systems/primary_replica/coverage.h"
#include "systems/primary_replica/messages.h"
#include "systems/primary_replica/state_machine.h"

namespace faultline::primary_replica {

class PrSystem final : public System {
 public:
  // Fails on an unknown bug, bad params or a workload the store does not speak.
  static Result<std::unique_ptr<PrSystem>> create(const SystemConfig& config);
  PrSystem(Options options, DataKind kind, std::string workload)
      : options_(std::move(options)),
        kind_(kind),
        workload_(std::move(workload)),
        coverage_(std::make_unique<Coverage>()) {}

  std::string name() const override { return "primary-replica"; }
  std::vector<ClaimSpec> claims() const override;
  std::vector<BugSpec> bugs() const override { return bug_specs(); }
  std::unique_ptr<Node> make_node(Env& env) const override;
  std::unique_ptr<Client> make_client(ClientEnv& env) const override;
  const MessageCodec& codec() const override { return codec_; }
  // The live primary of the newest epoch, if any.
  std::optional<EndpointId> leader(std::span<Node* const> nodes) const override;
  std::unique_ptr<InvariantChecker> make_invariant_checker() const override;
  // The protocol branches the run reached (coverage.h), for a campaign's coverage.
  Json run_metrics() const override { return coverage_->to_json(); }

  const Options& options() const { return options_; }

 private:
  Options options_;
  DataKind kind_;
  std::string workload_;
  std::unique_ptr<Coverage> coverage_;  // nodes add to it; see coverage.h
  Codec codec_;
};

Result<std::unique_ptr<System>> make_primary_replica_system(const SystemConfig& config);

// The registry entry (framework/cli/builtins.cpp adds it).
SystemEntry primary_replica_entry();

}  // namespace faultline::primary_replica
