#include "systems/dynamo/client.h"

#include <set>

#include "base/assert.h"

namespace faultline::dynamo {

namespace {

constexpr const char* kRole = "coordinator";

std::optional<KeyState> decode_optional_state(const Json& json) {
  auto state = optional_state_from_json(json);
  FAULTLINE_ASSERT(state.has_value(), "coordinators send states they encoded");
  return std::move(state).value();
}

bool read_modify_write(Conflict conflict) { return conflict == Conflict::lww || conflict == Conflict::vclock; }

}  // namespace

DynamoClient::DynamoClient(ClientEnv& env, const Params& params)
    : env_(env),
      params_(params),
      // Endpoint ids are unique within a run; the random half keeps ids of different runs
      // (or a real deployment's restarts) apart.
      client_id_((static_cast<uint64_t>(env.self()) << 32) | (env.rng().next_u64() >> 32)),
      home_(static_cast<EndpointId>(env.rng().below(static_cast<uint64_t>(env.node_count())))) {}

void DynamoClient::invoke(const ClientOp& op) {
  FAULTLINE_ASSERT(!op_.has_value(), "a client runs one operation at a time");
  FAULTLINE_ASSERT(op.key.has_value(), "dynamo operations name a key");
  op_ = op;
  if (op.f == "cas") return finish(Completion{.type = OpType::fail, .error = "an AP store has no compare-and-set"});
  if (op.f == "decrement" && params_.conflict == Conflict::gcounter)
    return finish(Completion{.type = OpType::fail, .error = "a grow-only counter cannot decrement"});
  deadline_timer_ = env_.set_timer(params_.client_deadline_ns, kDeadlineTimer);
  read_at(op.node.value_or(home_));
}

void DynamoClient::read_at(EndpointId node) {
  FAULTLINE_ASSERT(op_.has_value(), "a read belongs to an operation");
  coordinator_ = node;
  env_.send(node, make_dynamo_message(ClientRequest{.client = client_id_, .request = ++request_, .phase = "read",
                                                    .f = op_->f, .key = *op_->key}));
  if (attempt_timer_) env_.cancel_timer(*attempt_timer_);
  attempt_timer_ = env_.set_timer(params_.client_attempt_ns, kAttemptTimer);
}

void DynamoClient::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<DynamoMessage>(message);
  const auto* reply = body ? std::get_if<ClientReply>(body) : nullptr;
  if (!op_ || reply == nullptr || reply->request != request_ || from != coordinator_) return;  // stale
  if (update_) {
    if (reply->status == "ok") return finish(Completion{.type = OpType::ok, .node = from});
    if (reply->status == "refused") return finish(Completion{.type = OpType::fail, .error = reply->error, .node = from});
    return finish(Completion{.type = OpType::info, .error = "update timed out at the coordinator", .node = from});
  }
  if (reply->status != "ok") {
    if (op_->node) return finish(Completion{.type = OpType::fail, .error = "no read quorum", .node = from});
    return read_at((from + 1) % env_.node_count());
  }
  if (op_->f == "read")
    return finish(Completion{.type = OpType::ok, .value = read_value(decode_optional_state(reply->state), params_.shape), .node = from});
  start_update(from, reply->state);
}

void DynamoClient::start_update(EndpointId coordinator, const Json& state) {
  FAULTLINE_ASSERT(op_.has_value(), "an update belongs to an operation");
  if (attempt_timer_) env_.cancel_timer(*attempt_timer_);
  attempt_timer_.reset();
  home_ = coordinator;
  const bool whole_value = read_modify_write(params_.conflict);
  update_ = ClientRequest{.client = client_id_,
                          .request = ++request_,
                          .phase = "update",
                          .f = op_->f,
                          .key = *op_->key,
                          .value = whole_value ? new_value(state) : op_->value,
                          .context = whole_value ? read_context(decode_optional_state(state)) : Json()};
  coordinator_ = coordinator;
  send_update();
}

// The value a read-modify-write stores: the register's new value (null deletes), the set
// read plus the element, the counter read plus or minus the amount.
Json DynamoClient::new_value(const Json& state) const {
  FAULTLINE_ASSERT(op_.has_value(), "a value belongs to an operation");
  const Json current = read_value(decode_optional_state(state), params_.shape);
  switch (params_.shape) {
    case Shape::registers: return op_->value;
    case Shape::sets: {
      std::set<int64_t> elements;
      for (const Json& element : current) elements.insert(element.get<int64_t>());
      elements.insert(op_->value.get<int64_t>());
      return Json(std::vector<int64_t>(elements.begin(), elements.end()));
    }
    case Shape::counters: {
      const int64_t amount = op_->value.get<int64_t>();
      return current.get<int64_t>() + (op_->f == "decrement" ? -amount : amount);
    }
  }
  return Json();
}

void DynamoClient::send_update() {
  FAULTLINE_ASSERT(update_.has_value(), "only an update in flight is resent");
  env_.send(coordinator_, make_dynamo_message(*update_));
  retry_timer_ = env_.set_timer(params_.client_retry_ns, kRetryTimer);
}

void DynamoClient::on_timer(TimerId id, uint64_t tag) {
  if (!op_) return;
  if (tag == kAttemptTimer && attempt_timer_ == id) {
    attempt_timer_.reset();
    // A silent coordinator: a pinned read asks it again, any other read moves on.
    if (!op_->node) home_ = (coordinator_ + 1) % env_.node_count();
    return read_at(op_->node.value_or(home_));
  }
  if (tag == kRetryTimer && retry_timer_ == id && update_) return send_update();
  if (tag == kDeadlineTimer && deadline_timer_ == id) {
    deadline_timer_.reset();
    if (!update_) return finish(Completion{.type = OpType::fail, .error = "no read quorum"});
    finish(Completion{.type = OpType::info, .error = "timeout", .node = coordinator_});
  }
}

void DynamoClient::finish(Completion completion) {
  for (auto* timer : {&attempt_timer_, &retry_timer_, &deadline_timer_}) {
    if (*timer) env_.cancel_timer(**timer);
    timer->reset();
  }
  if (completion.node) completion.role = kRole;
  op_.reset();
  update_.reset();
  env_.complete(std::move(completion));
}

}  // namespace faultline::dynamo
