// Updates (Dynamo 4.4-4.6). The node a client addresses coordinates the update itself
// ("any node coordinates", Dynamo 4.5), so a client that can reach any node can write. A
// counter update is the exception: as Riak's counters, it is coordinated by one of the key's
// owners (a node that is not one forwards it), so each update adds to a per-owner entry
// instead of a fresh actor per coordinator. Either way the node the client addressed
// remembers durably where the request went, so a retry goes there and nowhere else: a node
// applies a request id at most once, and a non-idempotent update (an increment) can never be
// applied by two nodes. The coordinator applies the update to its copy (choosing the
// version: a timestamp, a dot, a counter entry; a node that is not an owner uses its hinted
// copy and a fresh actor epoch), then sends the resulting state to the owners and answers
// once W of them made it durable. Owners that stay silent get a hinted copy on a fallback
// (hinted handoff), which counts toward W only with a sloppy quorum.
#include <algorithm>

#include "base/assert.h"
#include "systems/dynamo/node.h"

namespace faultline::dynamo {

namespace {

template <class T>
T local_as(const std::optional<KeyState>& local) {
  if (!local) return T{};
  const T* typed = std::get_if<T>(&*local);
  FAULTLINE_ASSERT(typed != nullptr, "a key's states all have the run's type");
  return *typed;
}

}  // namespace

void DynamoNode::handle_client_update(EndpointId client, const ClientRequest& request) {
  FAULTLINE_ASSERT(!is_node(client), "client updates come from clients");
  pending_updates_[request.client] = PendingUpdate{.client = client, .update = request};
  const auto record = storage_.request(request.client);
  if (record && record->request > request.request) return;  // an old request, long answered
  int target;
  if (record && record->request == request.request) {
    target = record->target;  // a retry goes where the request went
    if (bugs_.counter_retry_double && target != self_) {
      target = choose_coordinator(request.key, target);  // the planted retry at another owner
      storage_.put_request(request.client, RequestRecord{.request = request.request, .target = target});
    }
  } else {
    target = forwards_to_owner() ? choose_coordinator(request.key, std::nullopt) : self_;
    storage_.put_request(request.client, RequestRecord{.request = request.request, .target = target});
  }
  if (target == self_) return coordinate(request, client, false);
  send(target, ForwardUpdate{.update = request, .ring = ring_json()});
}

bool DynamoNode::forwards_to_owner() const {
  return params_.conflict == Conflict::gcounter || params_.conflict == Conflict::pncounter;
}

// An owner to coordinate the update: ourselves when we own the key, else the first owner we
// have not seen time out; with a sloppy quorum and every owner silent, ourselves as a
// fallback (Dynamo's "always writeable").
int DynamoNode::choose_coordinator(const std::string& key, std::optional<int> previous) {
  const std::vector<int> list = owners(key);
  if (previous && !list.empty()) {
    auto at = std::find(list.begin(), list.end(), *previous);
    return at == list.end() || at + 1 == list.end() ? list.front() : *(at + 1);
  }
  if (contains(list, self_)) return self_;
  for (int owner : list)
    if (!suspected_.count(owner)) return owner;
  if (params_.sloppy || list.empty()) return self_;
  return list.front();
}

void DynamoNode::handle_forward(int from, const ForwardUpdate& forward) {
  FAULTLINE_ASSERT(is_node(from), "a forward comes from a node");
  merge_ring(forward.ring);
  if (!owns(forward.update.key)) {
    // Not ours (any more): refuse, so the sender picks an owner under our newer ring. We did
    // not apply it, so sending it elsewhere cannot apply it twice.
    send(from, ForwardReply{.client = forward.update.client, .request = forward.update.request,
                            .status = "not-owner", .ring = ring_json()});
    return;
  }
  coordinate(forward.update, from, true);
}

void DynamoNode::handle_forward_reply(int from, const ForwardReply& reply) {
  FAULTLINE_ASSERT(is_node(from), "a forward reply comes from a node");
  merge_ring(reply.ring);
  auto pending = pending_updates_.find(reply.client);
  if (pending == pending_updates_.end() || pending->second.update.request != reply.request) return;
  const auto record = storage_.request(reply.client);
  if (!record || record->request != reply.request || record->target != from) return;  // an older attempt
  if (reply.status == "not-owner") {
    // It did not apply the update: route it again under the ring it just taught us.
    const ClientRequest update = pending->second.update;
    const int target = choose_coordinator(update.key, std::nullopt);
    storage_.put_request(update.client, RequestRecord{.request = update.request, .target = target});
    if (target == self_) return coordinate(update, pending->second.client, false);
    send(target, ForwardUpdate{.update = update, .ring = ring_json()});
    return;
  }
  send(pending->second.client, ClientReply{.request = reply.request, .status = reply.status, .error = reply.error});
  pending_updates_.erase(pending);
}

void DynamoNode::coordinate(const ClientRequest& update, EndpointId reply_to, bool forwarded) {
  const auto record = storage_.request(update.client);
  if (record && record->request > update.request) return;
  const bool retry = record && record->request == update.request && record->applied;
  const std::vector<int> list = owners(update.key);
  const bool as_owner = contains(list, self_);
  if (list.empty()) return answer_update(reply_to, forwarded, update.client, update.request, "refused", "no owners");
  if (retry && !bugs_.counter_retry_double) {
    // Applied once already: replicate what we hold again (idempotent), never apply twice.
    for (const auto& [id, job] : writes_)
      if (job.client == update.client && job.request == update.request) return;  // it will answer
    const auto local = as_owner ? storage_.key(update.key) : hinted_state(update.key);
    // Our copy was handed on since (a delivered hint, a handoff, a reaped tombstone): the
    // update is durable elsewhere, but we cannot count W replicas of it from here.
    if (!local)
      return answer_update(reply_to, forwarded, update.client, update.request, "timeout",
                           "the applied copy was handed on: outcome unknown here");
    return replicate(update, reply_to, forwarded, *local);
  }
  const auto local = as_owner ? storage_.key(update.key) : hinted_state(update.key);
  const Actor actor = actor_for(local.has_value(), as_owner);
  auto applied = apply_update(update, local, actor);
  if (!applied) return answer_update(reply_to, forwarded, update.client, update.request, "refused", applied.error().message);
  KeyState state = local ? merged(*local, applied.value()) : applied.value();
  if (as_owner) {
    merge_into_data(update.key, state);
  } else {
    store_hint(list.front(), update.key, state);  // our copy stands in for the first owner
  }
  storage_.put_request(update.client, RequestRecord{.request = update.request, .target = self_, .applied = true});
  replicate(update, reply_to, forwarded, std::move(state));
}

// The new state of the key after the update, given our copy: each conflict resolution picks
// the update's version here, at one owner, so versions never collide.
Result<KeyState> DynamoNode::apply_update(const ClientRequest& update, const std::optional<KeyState>& local,
                                          Actor actor) {
  switch (params_.conflict) {
    case Conflict::lww: return KeyState(LwwValue{lww_stamp(local, update.context), actor, update.value});
    case Conflict::lwwreg: return KeyState(LwwValue{lww_stamp(local, Json()), actor, update.value});
    case Conflict::vclock:
    case Conflict::mvreg: {
      const Siblings current = local_as<Siblings>(local);
      // vclock: the clock the client read (none when it read nothing: the write supersedes
      // nothing and becomes a sibling of whatever exists); mvreg: everything this owner has seen.
      const VersionVector context = params_.conflict == Conflict::mvreg ? current.clock()
                                    : update.context.is_array()       ? VersionVector::from_json(update.context)
                                                                      : VersionVector();
      const Dot dot{actor, std::max(current.clock().get(actor), context.get(actor)) + 1};
      return KeyState(current.write(context, dot, update.value));
    }
    case Conflict::orset:
      if (update.f != "add" || !update.value.is_number_integer()) return fail("an OR-set takes adds of integers");
      return KeyState(local_as<Orswot>(local).add(actor, update.value.get<int64_t>()));
    case Conflict::gcounter:
    case Conflict::pncounter: {
      if (!update.value.is_number_integer()) return fail("a counter takes integer amounts");
      if (update.f == "decrement" && params_.conflict == Conflict::gcounter)
        return fail("a grow-only counter cannot decrement");
      const int64_t amount = update.value.get<int64_t>();
      return KeyState(local_as<PnCounter>(local).add(actor, update.f == "decrement" ? -amount : amount));
    }
  }
  return fail("unknown conflict resolution");
}

// Last-writer-wins stamps: the clock, raised above every stamp the write has seen (the one
// the client read, our own copy's, and the floor left by reaped tombstones), like a hybrid
// logical clock (Kulkarni et al. 2014). A write that read another is then stamped after it
// whatever the clocks say; concurrent writes still overwrite each other.
int64_t DynamoNode::lww_stamp(const std::optional<KeyState>& local, const Json& context) const {
  const int64_t clock = env_.now_ns();
  if (bugs_.lww_clock_skew) return clock;  // the planted bug: the raw clock decides
  int64_t stamp = std::max(clock, storage_.timestamp_floor() + 1);
  if (context.is_number_integer()) stamp = std::max(stamp, context.get<int64_t>() + 1);
  if (local)
    if (const auto* lww = std::get_if<LwwValue>(&*local)) stamp = std::max(stamp, lww->timestamp_ns + 1);
  return stamp;
}

void DynamoNode::replicate(const ClientRequest& update, EndpointId reply_to, bool forwarded, KeyState state) {
  const uint64_t id = next_id();
  const std::vector<int> list = owners(update.key);
  WriteJob& job = writes_
                      .emplace(id, WriteJob{.id = id,
                                            .key = update.key,
                                            .reply_to = reply_to,
                                            .forwarded = forwarded,
                                            .client = update.client,
                                            .request = update.request,
                                            .quorum = QuorumTracker(list, params_.write_quorum,
                                                                    params_.sloppy || bugs_.sloppy_quorum_counted),
                                            .state = std::move(state)})
                      .first->second;
  if (contains(list, self_)) {
    job.quorum.owner_answered(self_);
  } else {
    job.fallback_for[self_] = list.front();
    job.quorum.fallback_answered(self_, list.front());
  }
  const Json encoded = state_to_json(job.state);
  for (int owner : list)
    if (owner != self_) send(owner, ReplicaWrite{.id = id, .key = job.key, .state = encoded, .ring = ring_json()});
  arm(params_.replica_attempt_ns, kAttemptTimer, id);
  arm(params_.coordinator_deadline_ns, kDeadlineTimer, id);
  if (job.quorum.satisfied()) finish_write(id, "ok");
}

void DynamoNode::handle_write_ack(int from, const ReplicaWriteAck& ack) {
  FAULTLINE_ASSERT(is_node(from), "a write ack comes from a node");
  if (ack.status == "not-owner") merge_ring(ack.ring);
  if (auto read = reads_.find(ack.id); read != reads_.end()) {
    ReadJob& job = read->second;
    job.repairs_pending.erase(from);  // a repaired replica, or one that no longer owns the key
    if (job.result && job.repairs_pending.empty()) reply_read(job, "ok");
    return;
  }
  auto it = writes_.find(ack.id);
  if (it == writes_.end()) return;
  WriteJob& job = it->second;
  if (ack.status == "not-owner") {
    job.quorum.reassign(owners(job.key));
    const Json encoded = state_to_json(job.state);
    for (int owner : job.quorum.missing_owners())
      if (owner != self_) send(owner, ReplicaWrite{.id = job.id, .key = job.key, .state = encoded, .ring = ring_json()});
    return;
  }
  if (ack.hint_for >= 0)
    job.quorum.fallback_answered(from, ack.hint_for);
  else
    job.quorum.owner_answered(from);
  if (job.quorum.satisfied()) finish_write(job.id, "ok");
}

// Silent owners: send again, and leave a hinted copy with a fallback for each of them.
void DynamoNode::write_attempt(WriteJob& job) {
  std::vector<int> free_fallbacks;
  for (int fallback : ring_.fallbacks(Ring::key_hash(job.key)))
    if (!job.fallback_for.count(fallback)) free_fallbacks.push_back(fallback);
  size_t next = 0;
  const Json encoded = state_to_json(job.state);
  for (int owner : job.quorum.missing_owners()) {
    if (owner == self_) continue;
    suspected_.insert(owner);
    send(owner, ReplicaWrite{.id = job.id, .key = job.key, .state = encoded, .ring = ring_json()});
    if (job.quorum.has_stand_in(owner) || next >= free_fallbacks.size()) continue;
    const int fallback = free_fallbacks[next++];
    job.fallback_for[fallback] = owner;
    if (fallback == self_) {
      store_hint(owner, job.key, job.state);
      job.quorum.fallback_answered(self_, owner);
    } else {
      send(fallback, ReplicaWrite{.id = job.id, .key = job.key, .state = encoded, .ring = ring_json(), .hint_for = owner});
    }
  }
  arm(params_.replica_attempt_ns, kAttemptTimer, job.id);
  if (job.quorum.satisfied()) finish_write(job.id, "ok");
}

void DynamoNode::finish_write(uint64_t id, const std::string& status, const std::string& error) {
  auto it = writes_.find(id);
  if (it == writes_.end()) return;
  const WriteJob& job = it->second;
  answer_update(job.reply_to, job.forwarded, job.client, job.request, status, error);
  writes_.erase(it);
}

void DynamoNode::answer_update(EndpointId to, bool forwarded, uint64_t client, uint64_t request,
                               const std::string& status, const std::string& error) {
  if (forwarded) {
    send(to, ForwardReply{.client = client, .request = request, .status = status, .error = error, .ring = ring_json()});
  } else {
    send(to, ClientReply{.request = request, .status = status, .error = error});
  }
}

}  // namespace faultline::dynamo
