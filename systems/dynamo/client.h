#pragma once
// The Dynamo store's client for one logical process (DESIGN.md, "Clients and histories").
// Every operation starts with a quorum read at a coordinator: the workload's node when the
// op names one, else the client's current node, moving to the next node when one stays
// silent (a read has no effect, so it may go anywhere). A read ends there. An update then
// goes to the coordinator that answered the read, with what the read returned: for lww and
// vclock the whole new value and its causal context (Riak's fetch-modify-store with the
// vclock), for the CRDTs the operation. It is resent to that coordinator only, under one
// request id the store applies at most once. Outcomes:
//   ok    applied on W replicas (or read from R)
//   fail  certainly no effect: a read that got no quorum, an update whose read got none, a
//         refused update (a G-counter decrement, a cas: an AP store has no compare-and-set)
//   info  the update may have been applied somewhere
#include <cstdint>
#include <optional>

#include "framework/env.h"
#include "systems/dynamo/config.h"
#include "systems/dynamo/messages.h"

namespace faultline::dynamo {

class DynamoClient final : public Client {
 public:
  DynamoClient(ClientEnv& env, const Params& params);

  void invoke(const ClientOp& op) override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

 private:
  enum TimerTag : uint64_t { kAttemptTimer = 1, kRetryTimer = 2, kDeadlineTimer = 3 };
  void read_at(EndpointId node);
  void start_update(EndpointId coordinator, const Json& state);
  Json new_value(const Json& state) const;  // lww / vclock: the whole value to write
  void send_update();
  void finish(Completion completion);

  ClientEnv& env_;
  const Params params_;
  const uint64_t client_id_;
  uint64_t request_ = 0;
  EndpointId home_;  // the node this process talks to until it stays silent
  std::optional<ClientOp> op_;
  std::optional<ClientRequest> update_;  // the update in flight, resent until answered
  EndpointId coordinator_ = 0;
  std::optional<TimerId> attempt_timer_;
  std::optional<TimerId> retry_timer_;
  std::optional<TimerId> deadline_timer_;
};

}  // namespace faultline::dynamo
