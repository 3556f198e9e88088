#pragma once
// The primary-replica store's client for one logical process (DESIGN.md, "Clients and
// histories"), a driver with a read preference. Writes go to the primary it believes in and
// follow hints; reads go where read_from says, or to the node the workload addressed. Every
// retry of an update carries the same (client id, seq), so it applies at most once. With
// session tokens the client sends the highest log position it has been told of, and nodes
// answer its reads only once they have applied that far. Outcomes:
//   ok    the update was acknowledged under the replication mode, or the read was answered
//   fail  definitely no effect: a cas whose expected value did not match, an operation the
//         store refused, a read that got no answer (reads have no effect)
//   info  unknown: the update may be in some node's log and may still apply
#include <cstdint>
#include <optional>

#include "framework/env.h"
#include "systems/primary_replica/config.h"
#include "systems/primary_replica/messages.h"

namespace faultline::primary_replica {

class PrClient final : public Client {
 public:
  PrClient(ClientEnv& env, const Options& options);

  void invoke(const ClientOp& op) override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

 private:
  enum TimerTag : uint64_t { kAttemptTimer = 1, kDeadlineTimer = 2, kBackoffTimer = 3 };
  EndpointId first_target(const ClientOp& op);
  EndpointId random_node_except(std::optional<EndpointId> avoid);
  void attempt(EndpointId node);  // send, and move on if no answer within the attempt timeout
  void send_request();
  void retry_after_backoff();     // the same node again, a little later
  void on_reply(EndpointId from, const ClientReply& reply);
  void on_stale_epoch(EndpointId from);
  void finish(Completion completion);
  void cancel(std::optional<TimerId>& timer);
  bool pinned() const { return op_ && op_->node.has_value(); }
  EndpointId next_node() const { return (target_ + 1) % env_.node_count(); }

  ClientEnv& env_;
  const Params params_;
  uint64_t client_id_;
  int64_t seq_ = 0;
  std::optional<ClientOp> op_;
  ClientRequest request_;
  EndpointId target_ = 0;
  std::optional<EndpointId> primary_hint_;
  Position token_;  // the highest position this session has been told of
  int64_t epoch_seen_ = 0;  // the newest epoch a node answered in
  std::optional<TimerId> attempt_timer_;
  std::optional<TimerId> deadline_timer_;
  std::optional<TimerId> backoff_timer_;
};

}  // namespace faultline::primary_replica
