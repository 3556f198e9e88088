#include "systems/sharded/client.h"

#include "base/assert.h"

namespace faultline::sharded {

ShardClient::ShardClient(ClientEnv& env, const Options& options)
    : env_(env),
      options_(options),
      // As raft's client: unique endpoint id, random half to keep runs apart.
      client_id_((static_cast<uint64_t>(env.self()) << 32) | (env.rng().next_u64() >> 32)),
      next_controller_(static_cast<int>(env.rng().below(static_cast<uint64_t>(options.layout.controller_size)))) {
  for (int group = 0; group < options.layout.groups; ++group) leader_hint_.push_back(options.layout.group_first(group));
}

void ShardClient::invoke(const ClientOp& op) {
  FAULTLINE_ASSERT(!op_.has_value(), "a client runs one operation at a time");
  FAULTLINE_ASSERT(op.key.has_value(), "sharded operations need a key");
  op_ = op;  // op.node is not followed: a key is served by its shard's group only
  maybe_applied_ = false;
  request_ = raft::ClientRequest{.client = client_id_, .seq = ++seq_, .f = op.f, .key = *op.key, .value = op.value};
  deadline_timer_ = env_.set_timer(options_.raft.params.client_op_timeout_ns, kDeadlineTimer);
  route();
}

int ShardClient::owner_group() const {
  FAULTLINE_ASSERT(config_.has_value(), "routing needs a configuration");
  return config_->owner[static_cast<size_t>(options_.layout.shard_of(request_.key))];
}

void ShardClient::route() {
  if (!config_) return ask_controller(-1);
  target_group_ = owner_group();
  target_ = leader_hint_[static_cast<size_t>(target_group_)];
  asked_controller_ = false;
  if (request_.f != "read") maybe_applied_ = true;
  env_.send(target_, raft::make_raft_message(request_));
  arm_attempt_timer();
}

void ShardClient::ask_controller(int64_t want) {
  target_ = next_controller_++ % options_.layout.controller_size;
  asked_controller_ = true;
  env_.send(target_, make_message(ShardMessage{ConfigQuery{.want = want}}));
  arm_attempt_timer();
}

void ShardClient::arm_attempt_timer() {
  if (attempt_timer_) env_.cancel_timer(*attempt_timer_);
  attempt_timer_ = env_.set_timer(options_.raft.params.client_attempt_timeout_ns, kAttemptTimer);
}

// An answer to this operation counts from any node it was sent to (an earlier attempt's
// reply may come after the client moved on); where to go next is taken only from the node
// asked last.
void ShardClient::on_message(EndpointId from, const MessagePtr& message) {
  if (!op_) return;
  if (const auto* body = message_body<ShardMessage>(message)) {
    if (const auto* reply = std::get_if<ConfigReply>(body)) on_config(from, *reply);
    return;
  }
  const auto* raft_body = message_body<raft::RaftMessage>(message);
  const auto* reply = raft_body ? std::get_if<raft::ClientReply>(&raft_body->body) : nullptr;
  if (reply != nullptr && reply->seq == request_.seq) on_reply(from, *reply);
}

void ShardClient::on_config(EndpointId from, const ConfigReply& reply) {
  if (!reply.config.is_null()) {
    auto config = config_from_json(reply.config, "a config reply");
    FAULTLINE_ASSERT(config.has_value(), "the controller sends configurations it made");
    if (!config_ || config.value().num > config_->num) config_ = std::move(config).value();
  }
  if (from != target_ || !asked_controller_) return;
  // A controller node that has no such configuration yet lags its leader: wait, then go on.
  if (reply.config.is_null()) return back_off();
  route();
}

void ShardClient::back_off() {
  if (attempt_timer_) env_.cancel_timer(*attempt_timer_);
  attempt_timer_ = env_.set_timer(options_.client_backoff_ns, kBackoffTimer);
}

void ShardClient::on_reply(EndpointId from, const raft::ClientReply& reply) {
  switch (reply.status) {
    case raft::ReplyStatus::ok:
      return finish(Completion{OpType::ok, request_.f == "read" ? read_value(reply.value) : op_->value, std::nullopt, from});
    case raft::ReplyStatus::rejected:
      return finish(Completion{OpType::fail, op_->value, std::string("precondition failed"), from});
    case raft::ReplyStatus::not_leader: {
      if (from != target_ || asked_controller_) return;
      if (reply.leader_hint) {
        leader_hint_[static_cast<size_t>(target_group_)] = options_.layout.group_first(target_group_) + *reply.leader_hint;
        return route();
      }
      next_member();  // no leader known there (an election): wait rather than spin through the group
      return back_off();
    }
    case raft::ReplyStatus::wrong_group: {
      if (from != target_) return;
      // The group knows a newer configuration than ours: fetch it. Otherwise it has not
      // caught up (or not installed the shard): wait a little and try again.
      const int64_t group_num = reply.value.get<int64_t>();
      if (group_num > config_->num) return ask_controller(group_num);
      return back_off();
    }
  }
}

void ShardClient::on_timer(TimerId id, uint64_t tag) {
  if (!op_) return;
  if ((tag == kAttemptTimer || tag == kBackoffTimer) && attempt_timer_ == id) {
    attempt_timer_.reset();
    if (tag == kBackoffTimer) return route();  // the group may have caught up meanwhile
    if (!config_) return ask_controller(-1);
    if (!asked_controller_) next_member();  // the member did not answer
    return route();
  }
  if (tag == kDeadlineTimer && deadline_timer_ == id) {
    deadline_timer_.reset();
    const OpType type = maybe_applied_ ? OpType::info : OpType::fail;
    finish(Completion{type, op_->value, std::string("timeout"), std::nullopt});
  }
}

// A key never written holds null; a set workload reads it as the empty set.
Json ShardClient::read_value(const Json& value) const {
  return value.is_null() && options_.workload == "set" ? Json::array() : value;
}

// The hint for the group last sent to becomes the member after the one asked. The group is
// the one the request went to, not the key's owner now: a configuration that arrived since
// may name another group.
void ShardClient::next_member() {
  const EndpointId first = options_.layout.group_first(target_group_);
  FAULTLINE_ASSERT(target_ >= first && target_ < first + options_.layout.group_size, "the node asked is in its group");
  leader_hint_[static_cast<size_t>(target_group_)] = first + (target_ - first + 1) % options_.layout.group_size;
}

void ShardClient::finish(Completion completion) {
  if (attempt_timer_) env_.cancel_timer(*attempt_timer_);
  if (deadline_timer_) env_.cancel_timer(*deadline_timer_);
  attempt_timer_.reset();
  deadline_timer_.reset();
  op_.reset();
  env_.complete(std::move(completion));
}

}  // namespace faultline::sharded
