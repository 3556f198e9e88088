#pragma once
// The Dynamo-style AP store as a faultline System: its nodes, client, codec, the claims of
// its configuration, planted bugs, invariants, and the registry entry with the named
// configurations `faultline matrix` runs.
#include <memory>

#include "framework/registry.h"
#include "framework/system.h"
#include "systems/dynamo/config.h"
#include "systems/dynamo/messages.h"
#include "systems/dynamo/telemetry.h"

namespace faultline::dynamo {

class DynamoSystem final : public System {
 public:
  // Fails on an unknown bug, bad params or a workload the store does not speak.
  static Result<std::unique_ptr<DynamoSystem>> create(const SystemConfig& config);
  explicit DynamoSystem(Options options) : options_(std::move(options)), telemetry_(std::make_unique<Telemetry>()) {}

  std::string name() const override { return "dynamo"; }
  std::vector<ClaimSpec> claims() const override;
  std::vector<BugSpec> bugs() const override { return bug_specs(); }
  std::unique_ptr<Node> make_node(Env& env) const override;
  std::unique_ptr<Client> make_client(ClientEnv& env) const override;
  const MessageCodec& codec() const override { return codec_; }
  std::unique_ptr<InvariantChecker> make_invariant_checker() const override;
  Json run_metrics() const override { return telemetry_->to_json(); }
  std::optional<bool> replicas_agree(std::span<Node* const> nodes) const override;

  const Options& options() const { return options_; }
  // What the nodes did so far in this run (read repairs, hints, anti-entropy, handoffs).
  const Telemetry& telemetry() const { return *telemetry_; }

 private:
  std::vector<ClaimSpec> register_claims() const;
  ClaimSpec availability_claim() const;

  Options options_;
  std::unique_ptr<Telemetry> telemetry_;  // nodes add to it; see telemetry.h
  Codec codec_;
};

Result<std::unique_ptr<System>> make_dynamo_system(const SystemConfig& config);

// The registry entry: 5 nodes by default, the workloads it speaks, its params and the named
// configurations of docs/systems/dynamo.md.
SystemEntry dynamo_entry();

}  // namespace faultline::dynamo
