#pragma once
// The baseline system: one node holding a map of keys, speaking every built-in workload
// (registers, sets, counters, session versions, lists). Every update is appended to its log
// and fsynced before it is acknowledged, and a request is applied at most once (a retried or
// duplicated request gets the first answer again), so it is trivially linearizable, and
// unavailable while its node is down. It is the simplest thing every checker must pass.
#include <map>
#include <memory>

#include "framework/registry.h"
#include "framework/system.h"
#include "systems/single/bugs.h"
#include "systems/single/messages.h"

namespace faultline::single {

// What the values of the store are, from the workload its clients speak.
enum class Mode { registers, sets, counters, lists };

class StoreNode final : public Node {
 public:
  StoreNode(Env& env, Mode mode, Bugs bugs) : env_(env), mode_(mode), bugs_(bugs) {}
  void start() override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

 private:
  struct Applied {
    uint64_t request_id = 0;
    Reply reply;
  };
  Reply apply(const Request& request);
  Json current(const std::string& key) const;
  void persist(const Request& request, const Reply& reply, EndpointId client);

  Env& env_;
  Mode mode_;
  Bugs bugs_;
  bool sync_pending_ = false;
  std::map<std::string, Json> data_;
  // Per client, its last update request and the answer it got: a retried or duplicated
  // request is answered again, never applied again (persisted with the answer).
  std::map<EndpointId, Applied> applied_;
};

class StoreClient final : public Client {
 public:
  explicit StoreClient(ClientEnv& env) : env_(env) {}
  void invoke(const ClientOp& op) override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

 private:
  void send_outstanding();

  ClientEnv& env_;
  uint64_t next_request_id_ = 1;
  std::optional<Request> outstanding_;  // the request in flight, resent until answered
  TimerId retry_timer_ = 0;
};

class SingleStore final : public System {
 public:
  SingleStore(const SystemConfig& config, Mode mode, Bugs bugs) : config_(config), mode_(mode), bugs_(bugs) {}
  std::string name() const override { return "single"; }
  std::vector<ClaimSpec> claims() const override;
  std::vector<BugSpec> bugs() const override { return bug_specs(); }
  std::unique_ptr<Node> make_node(Env& env) const override;
  std::unique_ptr<Client> make_client(ClientEnv& env) const override;
  const MessageCodec& codec() const override { return codec_; }
  std::optional<EndpointId> leader(std::span<Node* const> nodes) const override;

 private:
  SystemConfig config_;
  Mode mode_;
  Bugs bugs_;
  JsonCodec<SingleMessage> codec_;
};

// Fails on an unknown bug or a workload the store does not speak.
Result<std::unique_ptr<System>> make_single_store(const SystemConfig& config);

// The registry entry (one node; the workloads its client speaks).
SystemEntry single_entry();

}  // namespace faultline::single
