#pragma once
// The Raft store's client for one logical process (DESIGN.md, "Clients and histories").
// It sends the operation to a node, follows leader hints, and moves to the next node when
// an attempt times out. Writes and cas carry (client id, seq) so every retry is the same
// command and is applied at most once (diss. 6.3). Outcomes:
//   ok    the command was applied (or the read was served by a confirmed leader)
//   fail  definitely no effect: a cas whose expected value did not match, a read that
//         never got an answer (reads have no effect), or a command no node ever accepted
//   info  unknown: the command may have been logged somewhere and may still apply
#include <cstdint>
#include <optional>

#include "framework/env.h"
#include "systems/raft/config.h"
#include "systems/raft/messages.h"

namespace faultline::raft {

class RaftClient final : public Client {
 public:
  RaftClient(ClientEnv& env, const Options& options);

  void invoke(const ClientOp& op) override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

 private:
  enum TimerTag : uint64_t { kAttemptTimer = 1, kDeadlineTimer = 2 };
  void attempt(EndpointId node);
  void finish(Completion completion);
  EndpointId next_node() const { return (target_ + 1) % env_.node_count(); }

  ClientEnv& env_;
  const Params params_;
  uint64_t client_id_;
  int64_t seq_ = 0;
  std::optional<ClientOp> op_;
  ClientRequest request_;
  EndpointId target_ = 0;
  bool maybe_applied_ = false;  // some node may have logged the current command
  std::optional<TimerId> attempt_timer_;
  std::optional<TimerId> deadline_timer_;
};

}  // namespace faultline::raft
