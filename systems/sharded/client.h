#pragma once
// The sharded store's client for one logical process (issue 13). It caches a configuration,
// sends each command to the group that owns the key's shard (raft's ClientRequest, so the
// group's Raft log and sessions handle it as the Raft store does), follows leader hints
// within the group, and on wrong_group fetches a newer configuration or, when the group is
// still catching up, waits and retries. Writes and cas keep their (client id, seq) across
// every group they are sent to; a shard's sessions move with it, so a retry that lands on
// the new owner is still applied at most once. Outcomes as the Raft store's client's.
#include <cstdint>
#include <optional>
#include <vector>

#include "framework/env.h"
#include "systems/sharded/config.h"
#include "systems/sharded/messages.h"
#include "systems/sharded/shard_config.h"

namespace faultline::sharded {

class ShardClient final : public Client {
 public:
  ShardClient(ClientEnv& env, const Options& options);

  void invoke(const ClientOp& op) override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

 private:
  enum TimerTag : uint64_t { kAttemptTimer = 1, kDeadlineTimer = 2, kBackoffTimer = 3 };
  // Sends the request to the key's group, or asks the controller for a configuration first.
  void route();
  void ask_controller(int64_t want);
  void on_reply(EndpointId from, const raft::ClientReply& reply);
  void on_config(EndpointId from, const ConfigReply& reply);
  void arm_attempt_timer();
  void next_member();
  Json read_value(const Json& value) const;
  void back_off();  // retries after client_backoff_ns
  void finish(Completion completion);
  int owner_group() const;

  ClientEnv& env_;
  const Options options_;
  uint64_t client_id_;
  int64_t seq_ = 0;
  std::optional<ShardConfig> config_;
  std::vector<EndpointId> leader_hint_;  // per group: the member to try first
  std::optional<ClientOp> op_;
  raft::ClientRequest request_;
  EndpointId target_ = -1;
  int target_group_ = 0;  // the group target_ belongs to, when it is not a controller node
  bool asked_controller_ = false;  // target_ is a controller node, asked for a configuration
  int next_controller_ = 0;
  bool maybe_applied_ = false;  // a write or cas was sent: it may have been logged
  std::optional<TimerId> attempt_timer_;
  std::optional<TimerId> deadline_timer_;
};

}  // namespace faultline::sharded
