#include "systems/raft/client.h"

#include "base/assert.h"

namespace faultline::raft {

RaftClient::RaftClient(ClientEnv& env, const Options& options)
    : env_(env),
      params_(options.params),
      // Endpoint ids are unique within a run; the random half keeps ids of different runs
      // (or a real deployment's restarts) apart.
      client_id_((static_cast<uint64_t>(env.self()) << 32) | (env.rng().next_u64() >> 32)),
      target_(static_cast<EndpointId>(env.rng().below(static_cast<uint64_t>(env.node_count())))) {}

void RaftClient::invoke(const ClientOp& op) {
  FAULTLINE_ASSERT(!op_.has_value(), "a client runs one operation at a time");
  FAULTLINE_ASSERT(op.key.has_value(), "raft operations need a key");
  op_ = op;
  maybe_applied_ = false;
  request_ = ClientRequest{.client = client_id_,
                           .seq = ++seq_,
                           .f = op.f,
                           .key = *op.key,
                           .value = op.value,
                           .proxy = op.node.has_value()};
  deadline_timer_ = env_.set_timer(params_.client_op_timeout_ns, kDeadlineTimer);
  attempt(op.node.value_or(target_));
}

void RaftClient::attempt(EndpointId node) {
  target_ = node;
  if (request_.f != "read") maybe_applied_ = true;  // it may be logged even if no reply comes
  env_.send(node, make_raft_message(request_));
  if (attempt_timer_) env_.cancel_timer(*attempt_timer_);
  attempt_timer_ = env_.set_timer(params_.client_attempt_timeout_ns, kAttemptTimer);
}

void RaftClient::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<RaftMessage>(message);
  const auto* reply = body ? std::get_if<ClientReply>(&body->body) : nullptr;
  if (!op_ || reply == nullptr || reply->seq != request_.seq) return;  // stale
  switch (reply->status) {
    case ReplyStatus::ok:
      return finish(Completion{OpType::ok, request_.f == "read" ? reply->value : op_->value,
                               std::nullopt, from});
    case ReplyStatus::rejected:
      return finish(Completion{OpType::fail, op_->value, std::string("precondition failed"), from});
    case ReplyStatus::not_leader:
      if (op_->node) return;  // pinned to one node: wait for the deadline
      if (from == target_) attempt(reply->leader_hint.value_or(next_node()));
      return;
    case ReplyStatus::wrong_group:
      FAULTLINE_ASSERT(false, "the Raft store serves every key");
      return;
  }
}

void RaftClient::on_timer(TimerId id, uint64_t tag) {
  if (!op_) return;
  if (tag == kAttemptTimer && attempt_timer_ == id) {
    attempt_timer_.reset();
    return attempt(op_->node.value_or(next_node()));
  }
  if (tag == kDeadlineTimer && deadline_timer_ == id) {
    deadline_timer_.reset();
    // Reads never have an effect, so an unanswered read definitely failed.
    const OpType type = maybe_applied_ ? OpType::info : OpType::fail;
    finish(Completion{type, op_->value, std::string("timeout"), std::nullopt});
  }
}

void RaftClient::finish(Completion completion) {
  if (attempt_timer_) env_.cancel_timer(*attempt_timer_);
  if (deadline_timer_) env_.cancel_timer(*deadline_timer_);
  attempt_timer_.reset();
  deadline_timer_.reset();
  op_.reset();
  env_.complete(std::move(completion));
}

}  // namespace faultline::raft
