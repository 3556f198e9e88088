#include "systems/dynamo/node.h"

#include "base/assert.h"

namespace faultline::dynamo {

DynamoNode::DynamoNode(Env& env, const Options& options, Telemetry& telemetry)
    : env_(env),
      params_(options.params),
      bugs_(options.bugs),
      self_(env.self()),
      telemetry_(telemetry),
      storage_(env.disk()),
      ring_(env.node_count(), options.params.vnodes, options.params.replicas) {}

// Recovery: everything acknowledged is on disk. Every boot takes a new actor epoch, so no
// event this incarnation issues can repeat one an earlier incarnation issued (KV679).
void DynamoNode::start() {
  storage_.load();
  if (!storage_.ring().is_null()) {
    auto loaded = ring_.load_membership(storage_.ring());
    FAULTLINE_ASSERT(loaded.has_value(), "the ring on disk is one this node wrote");
  }
  if (!bugs_.actor_id_reuse) storage_.set_epoch(storage_.epoch() + 1);
  const int64_t stagger = static_cast<int64_t>(env_.rng().below(static_cast<uint64_t>(params_.gossip_ns)));
  env_.set_timer(params_.gossip_ns + stagger, kGossipTimer);
  env_.set_timer(params_.hint_delivery_ns + stagger, kHintTimer);
  env_.set_timer(params_.handoff_ns + stagger, kHandoffTimer);
  env_.set_timer(params_.anti_entropy_ns + stagger, kAntiEntropyTimer);
}

void DynamoNode::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<DynamoMessage>(message);
  FAULTLINE_ASSERT(body != nullptr, "a dynamo node receives only dynamo messages");
  if (is_node(from)) suspected_.erase(from);
  const bool back_after_silence = is_node(from) && from != self_ && heard_after_silence(from);
  dispatch(from, *body);
  if (back_after_silence) exchange_with(from);  // anti_entropy.cpp: catch up with it now
}

// Whether peer was silent for peer_silence_ns before this message (config.h). The first
// message after this node (re)started does not count.
bool DynamoNode::heard_after_silence(int peer) {
  const int64_t now = env_.monotonic_ns();  // elapsed time: a clock bump is not silence
  auto [last, first] = last_heard_ns_.try_emplace(peer, now);
  const bool silent = !first && now - last->second > params_.peer_silence_ns;
  last->second = now;
  return silent;
}

void DynamoNode::dispatch(EndpointId from, const DynamoMessage& message) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, ClientRequest>) {
          m.phase == "read" ? start_read(from, m) : handle_client_update(from, m);
        } else if constexpr (std::is_same_v<T, ForwardUpdate>) {
          handle_forward(from, m);
        } else if constexpr (std::is_same_v<T, ForwardReply>) {
          handle_forward_reply(from, m);
        } else if constexpr (std::is_same_v<T, ReplicaRead>) {
          handle_replica_read(from, m);
        } else if constexpr (std::is_same_v<T, ReplicaReadReply>) {
          handle_read_reply(from, m);
        } else if constexpr (std::is_same_v<T, ReplicaWrite>) {
          handle_replica_write(from, m);
        } else if constexpr (std::is_same_v<T, ReplicaWriteAck>) {
          handle_write_ack(from, m);
        } else if constexpr (std::is_same_v<T, Transfer>) {
          handle_transfer(from, m);
        } else if constexpr (std::is_same_v<T, TransferAck>) {
          handle_transfer_ack(from, m);
        } else if constexpr (std::is_same_v<T, Gossip>) {
          merge_ring(m.ring);
        } else if constexpr (std::is_same_v<T, AeCompare>) {
          handle_ae_compare(from, m);
        } else if constexpr (std::is_same_v<T, AeSync>) {
          handle_ae_sync(from, m);
        } else if constexpr (std::is_same_v<T, ReapQuery>) {
          handle_reap_query(from, m);
        } else if constexpr (std::is_same_v<T, ReapReply>) {
          handle_reap_reply(from, m);
        } else if constexpr (std::is_same_v<T, MemberCommand>) {
          if (from == kOperatorEndpoint) handle_member_command(m);
        }
        // A ClientReply is for clients; a node ignores one.
      },
      message);
}

void DynamoNode::on_timer(TimerId id, uint64_t tag) {
  switch (tag) {
    case kGossipTimer: {
      const int peer = static_cast<int>(env_.rng().below(static_cast<uint64_t>(env_.node_count())));
      if (peer != self_) send(peer, Gossip{.ring = ring_json()});
      env_.set_timer(params_.gossip_ns, kGossipTimer);
      return;
    }
    case kHintTimer:
      deliver_hints();
      env_.set_timer(params_.hint_delivery_ns, kHintTimer);
      return;
    case kHandoffTimer:
      handoff_tick();
      env_.set_timer(params_.handoff_ns, kHandoffTimer);
      return;
    case kAntiEntropyTimer:
      start_anti_entropy();
      env_.set_timer(params_.anti_entropy_ns, kAntiEntropyTimer);
      return;
    case kAttemptTimer:
    case kDeadlineTimer: {
      auto it = job_timers_.find(id);
      if (it == job_timers_.end()) return;
      const uint64_t job = it->second;
      job_timers_.erase(it);
      if (auto read = reads_.find(job); read != reads_.end()) {
        tag == kAttemptTimer ? read_attempt(read->second) : reply_read(read->second, "unavailable");
        if (tag == kDeadlineTimer) reads_.erase(job);
      } else if (auto write = writes_.find(job); write != writes_.end()) {
        tag == kAttemptTimer ? write_attempt(write->second) : finish_write(job, "timeout");
      }
      return;
    }
    default: FAULTLINE_ASSERT(false, "a timer the dynamo node never sets");
  }
}

void DynamoNode::arm(int64_t delay_ns, TimerTag tag, uint64_t job) { job_timers_[env_.set_timer(delay_ns, tag)] = job; }

void DynamoNode::send(int to, DynamoMessage message) { env_.send(to, make_dynamo_message(std::move(message))); }

bool DynamoNode::merge_ring(const Json& ring) {
  Ring theirs(env_.node_count(), params_.vnodes, params_.replicas);
  auto loaded = theirs.load_membership(ring);
  FAULTLINE_ASSERT(loaded.has_value(), "nodes send rings they encoded");
  if (!ring_.merge(theirs)) return false;
  storage_.set_ring(ring_json());
  return true;
}

void DynamoNode::ring_changed_here() {
  storage_.set_ring(ring_json());
  for (int node = 0; node < env_.node_count(); ++node)
    if (node != self_) send(node, Gossip{.ring = ring_json()});
}

std::vector<int> DynamoNode::owners(const std::string& key) const { return ring_.preference_list(Ring::key_hash(key)); }

bool DynamoNode::owns(const std::string& key) const {
  const auto list = owners(key);
  return std::find(list.begin(), list.end(), self_) != list.end();
}

// Riak KV 2.1 (PR 1094, 1643): a node takes a fresh actor epoch whenever it might not hold
// every event its current actor issued for the key: it holds no copy of the key (its copy
// was handed off or reaped), or it coordinates as a fallback. Epochs are durable before use.
Actor DynamoNode::actor_for(bool holds_key, bool as_owner) {
  if (bugs_.actor_id_reuse) return make_actor(self_, 0);  // the planted KV679: one actor forever
  if (!holds_key || !as_owner) storage_.set_epoch(storage_.epoch() + 1);
  return make_actor(self_, storage_.epoch());
}

KeyState DynamoNode::merged(const KeyState& a, const KeyState& b) const {
  if (bugs_.siblings_collapsed) return collapse_by_clock_sum(a, b);
  return merge_states(a, b);
}

// Merges a state into our copy of the key, durably; whether our copy changed.
bool DynamoNode::merge_into_data(const std::string& key, const KeyState& incoming) {
  const auto local = storage_.key(key);
  const KeyState next = local ? merged(*local, incoming) : incoming;
  if (local && next == *local) return false;
  storage_.put_key(key, next);
  tombstone_age_ns_.erase(key);  // a changed key starts its grace period again
  return true;
}

std::map<std::string, uint64_t> DynamoNode::shared_digests(int peer, const Ring& ring) const {
  std::map<std::string, uint64_t> out;
  for (const auto& [key, digest] : storage_.digests()) {
    const auto list = ring.preference_list(Ring::key_hash(key));
    if (contains(list, self_) && contains(list, peer)) out[key] = digest;
  }
  return out;
}

}  // namespace faultline::dynamo
