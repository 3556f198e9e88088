#include "systems/primary_replica/client.h"

#include "base/assert.h"

namespace faultline::primary_replica {

PrClient::PrClient(ClientEnv& env, const Options& options)
    : env_(env),
      params_(options.params),
      // Endpoint ids are unique within a run; the random half keeps ids of different runs
      // (or a real deployment's restarts) apart.
      client_id_((static_cast<uint64_t>(env.self()) << 32) | (env.rng().next_u64() >> 32)) {}

void PrClient::invoke(const ClientOp& op) {
  FAULTLINE_ASSERT(!op_.has_value(), "a client runs one operation at a time");
  FAULTLINE_ASSERT(op.key.has_value(), "primary-replica operations need a key");
  op_ = op;
  const bool read = op.f == "read";
  request_ = ClientRequest{.client = client_id_,
                           .seq = ++seq_,
                           .f = op.f,
                           .key = *op.key,
                           .value = op.value,
                           .local = read && params_.read_from != ReadFrom::primary,
                           .token = params_.session_tokens ? token_ : Position{}};
  deadline_timer_ = env_.set_timer(params_.client_op_timeout_ns, kDeadlineTimer);
  attempt(first_target(op));
}

// The workload's node when it named one (final reads, session reads); else the believed
// primary for writes and read_from=primary, a replica (any node but the believed primary)
// for read_from=replica, any node for read_from=any.
EndpointId PrClient::first_target(const ClientOp& op) {
  if (op.node) return *op.node;
  if (op.f != "read" || params_.read_from == ReadFrom::primary)
    return primary_hint_ ? *primary_hint_ : random_node_except(std::nullopt);
  if (params_.read_from == ReadFrom::replica) return random_node_except(primary_hint_);
  return random_node_except(std::nullopt);
}

EndpointId PrClient::random_node_except(std::optional<EndpointId> avoid) {
  const auto n = static_cast<uint64_t>(env_.node_count());
  if (!avoid || n == 1) return static_cast<EndpointId>(env_.rng().below(n));
  const auto pick = static_cast<EndpointId>(env_.rng().below(n - 1));
  return pick >= *avoid ? pick + 1 : pick;
}

void PrClient::attempt(EndpointId node) {
  target_ = node;
  cancel(backoff_timer_);
  send_request();
  cancel(attempt_timer_);
  // A pinned op (a final read) cannot move to another node, so it asks its node again twice
  // as often: on a lossy network each attempt has four hops to lose (client, replica,
  // primary, replica, client), and the op must still finish within its deadline.
  const int64_t timeout_ns = pinned() ? params_.client_attempt_timeout_ns / 2 : params_.client_attempt_timeout_ns;
  attempt_timer_ = env_.set_timer(timeout_ns, kAttemptTimer);
}

void PrClient::send_request() { env_.send(target_, make_pr_message(request_)); }

void PrClient::retry_after_backoff() {
  cancel(backoff_timer_);
  backoff_timer_ = env_.set_timer(params_.client_backoff_ns, kBackoffTimer);
}

void PrClient::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<PrMessage>(message);
  const auto* reply = body ? std::get_if<ClientReply>(body) : nullptr;
  if (!op_ || reply == nullptr || reply->seq != request_.seq) return;  // stale or duplicated
  on_reply(from, *reply);
}

void PrClient::on_reply(EndpointId from, const ClientReply& reply) {
  if (reply.epoch < epoch_seen_) return on_stale_epoch(from);
  epoch_seen_ = reply.epoch;
  if (reply.role == "primary") primary_hint_ = from;
  if (reply.primary_hint >= 0) primary_hint_ = reply.primary_hint;
  const Completion answered{.node = from, .role = reply.role};
  switch (reply.status) {
    case ReplyStatus::ok: {
      token_ = std::max(token_, reply.position);
      Completion done = answered;
      done.value = op_->f == "read" ? reply.value : op_->value;
      return finish(std::move(done));
    }
    case ReplyStatus::rejected:
    case ReplyStatus::refused:
    case ReplyStatus::failed: {
      Completion done = answered;
      done.type = OpType::fail;
      done.value = op_->value;
      done.error = reply.status == ReplyStatus::rejected ? "cas mismatch"
                   : reply.status == ReplyStatus::refused ? "refused"
                                                          : "replication failed";
      return finish(std::move(done));
    }
    case ReplyStatus::not_primary:
    case ReplyStatus::behind:
      if (from != target_) return;  // an answer to an attempt we already moved on from
      // Pinned ops stay on their node; a primary without its lease yet asks to wait.
      if (pinned() || reply.primary_hint == from) return retry_after_backoff();
      if (reply.status == ReplyStatus::not_primary && reply.primary_hint >= 0) return attempt(reply.primary_hint);
      return attempt(next_node());
  }
}

// Fencing on the client side: a node answering in an epoch older than one this client has
// already heard from may be a deposed primary (or a replica cut off from the new one), so
// its answer is not trusted and the op moves on, with the same seq (a write it did apply is
// answered from the dedup cache by the next primary).
void PrClient::on_stale_epoch(EndpointId from) {
  if (from != target_) return;
  if (pinned()) return retry_after_backoff();
  attempt(next_node());
}

void PrClient::on_timer(TimerId id, uint64_t tag) {
  if (!op_) return;
  if (tag == kBackoffTimer && backoff_timer_ == id) {
    backoff_timer_.reset();
    return send_request();
  }
  if (tag == kAttemptTimer && attempt_timer_ == id) {
    attempt_timer_.reset();
    return attempt(pinned() ? target_ : next_node());
  }
  if (tag == kDeadlineTimer && deadline_timer_ == id) {
    deadline_timer_.reset();
    // Reads never have an effect, so an unanswered read definitely failed; an update may be
    // in some log.
    const OpType type = op_->f == "read" ? OpType::fail : OpType::info;
    finish(Completion{.type = type, .value = op_->value, .error = std::string("timeout")});
  }
}

void PrClient::finish(Completion completion) {
  cancel(attempt_timer_);
  cancel(deadline_timer_);
  cancel(backoff_timer_);
  op_.reset();
  env_.complete(std::move(completion));
}

void PrClient::cancel(std::optional<TimerId>& timer) {
  if (timer) env_.cancel_timer(*timer);
  timer.reset();
}

}  // namespace faultline::primary_replica
