#pragma once
// The baseline system: one node holding a key-value map (read, write, cas per key). Every
// write is appended to its log and fsynced before it is acknowledged, so it is trivially
// linearizable, and unavailable while its node is down or cut off. It is the simplest
// thing every checker must pass.
#include <map>
#include <memory>

#include "framework/registry.h"
#include "framework/system.h"
#include "systems/single/messages.h"

namespace faultline::single {

inline constexpr const char* kBugAckBeforeFsync = "single.ack-before-fsync";

class StoreNode final : public Node {
 public:
  StoreNode(Env& env, bool ack_before_fsync) : env_(env), ack_before_fsync_(ack_before_fsync) {}
  void start() override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

 private:
  Json apply(const Request& request, bool& applied);
  void persist(const std::string& key, const Json& value);

  Env& env_;
  bool ack_before_fsync_;
  bool sync_pending_ = false;
  std::map<std::string, Json> data_;
};

class StoreClient final : public Client {
 public:
  explicit StoreClient(ClientEnv& env) : env_(env) {}
  void invoke(const ClientOp& op) override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId, uint64_t) override {}

 private:
  ClientEnv& env_;
  uint64_t next_request_id_ = 1;
  uint64_t outstanding_ = 0;  // the request in flight, 0 when none
  std::string outstanding_f_;
};

class SingleStore final : public System {
 public:
  explicit SingleStore(const SystemConfig& config) : config_(config) {}
  std::string name() const override { return "single"; }
  std::vector<ClaimSpec> claims() const override;
  std::vector<BugSpec> bugs() const override;
  std::unique_ptr<Node> make_node(Env& env) const override;
  std::unique_ptr<Client> make_client(ClientEnv& env) const override;
  const MessageCodec& codec() const override { return codec_; }
  std::optional<EndpointId> leader(std::span<Node* const> nodes) const override;

 private:
  SystemConfig config_;
  JsonCodec<SingleMessage> codec_;
};

// The registry entry (one node; the workloads its client speaks).
SystemEntry single_entry();

}  // namespace faultline::single
