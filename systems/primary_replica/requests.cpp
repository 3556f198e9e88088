// Client operations: writes on the primary (at most once per (client, seq)), reads behind a
// read barrier on the primary (Raft dissertation 6.4, ReadIndex), reads a replica serves
// with the primary's read index (6.4.4), and local reads that wait for the session's token.
#include "base/assert.h"
#include "systems/primary_replica/node.h"

namespace faultline::primary_replica {

void PrNode::reply(EndpointId to, ClientReply reply) {
  reply.epoch = epoch_;
  env_.send(to, make_pr_message(std::move(reply)));
}

ClientReply PrNode::not_primary(int64_t seq, bool accepted) const {
  return ClientReply{.seq = seq,
                     .status = ReplyStatus::not_primary,
                     .role = role_name(),
                     .primary_hint = primary_ ? *primary_ : -1,
                     .accepted = accepted};
}

void PrNode::handle_request(EndpointId from, const ClientRequest& request) {
  if (request.f != "read") return handle_write(from, request);
  if (request.local) return handle_local_read(from, request);
  if (role_ == Role::primary) return handle_primary_read(from, request);
  handle_follower_read(from, request);
}

// A write is logged durably, replicated, and answered once as many nodes hold it as the
// replication mode asks (advance_commit), with the position of its entry (a session token).
// A primary whose lease ran out refuses it (definitely not logged): it may be deposed.
void PrNode::handle_write(EndpointId from, const ClientRequest& request) {
  if (role_ != Role::primary || !lease_valid()) {
    coverage_.writes_refused_without_lease += role_ == Role::primary;
    return reply(from, not_primary(request.seq, false));
  }
  if (!store_.accepts(request.f, request.value))
    return reply(from, ClientReply{.seq = request.seq, .status = ReplyStatus::refused, .role = role_name()});
  if (auto cached = store_.cached(request.client, request.seq)) {  // a retry of an applied write
    ++coverage_.retries_answered_from_session;
    return reply(from, ClientReply{.seq = request.seq,
                                   .status = cached->ok ? ReplyStatus::ok : ReplyStatus::rejected,
                                   .value = cached->value,
                                   .position = applied_position(),
                                   .role = role_name()});
  }
  Entry entry{.epoch = epoch_,
              .index = log_.last_index() + 1,
              .noop = false,
              .command = Command{request.client, request.seq, request.f, request.key, request.value}};
  log_.append(entry);
  persist_entries({entry});  // durable before it is replicated
  waiters_[entry.index] = Waiter{.endpoint = from, .client = request.client, .seq = request.seq};
  if (options_.bugs.degrades_to_async || options_.bugs.fails_doubtful_writes)
    wait_timers_[env_.set_timer(params_.replication_wait_ns, kReplicationWaitTimer)] = entry.index;
  broadcast_append();
  advance_commit();
  env_.report_moment("command-appended");  // lost now, the write's outcome is unknown to its client
}

// The primary that logged a write answers it when it is applied; if another entry took that
// index, the write was lost with this node's primacy and the client must retry elsewhere.
void PrNode::answer_waiter(int64_t index, const Entry& entry, const ApplyResult& result) {
  auto found = waiters_.find(index);
  if (found == waiters_.end()) return;
  const Waiter waiter = found->second;
  waiters_.erase(found);
  if (entry.command.client != waiter.client || entry.command.seq != waiter.seq) {
    ++coverage_.writes_lost_with_primacy;
    return reply(waiter.endpoint, not_primary(waiter.seq, true));
  }
  reply(waiter.endpoint, ClientReply{.seq = waiter.seq,
                                     .status = result.ok ? ReplyStatus::ok : ReplyStatus::rejected,
                                     .value = result.value,
                                     .position = entry.position(),
                                     .role = role_name()});
}

// Planted bugs only: a write that waited replication_wait_ns for acknowledgements.
void PrNode::on_replication_wait_timer(TimerId id) {
  auto timer = wait_timers_.find(id);
  if (timer == wait_timers_.end()) return;
  const int64_t index = timer->second;
  wait_timers_.erase(timer);
  auto waiter = waiters_.find(index);
  if (role_ != Role::primary || waiter == waiters_.end()) return;
  if (options_.bugs.degrades_to_async) {  // MySQL semi-sync timeout: revert to asynchronous
    degraded_ = true;
    return advance_commit();
  }
  // pr.outcome-misreported: the write stays in the log, yet the client hears it failed.
  reply(waiter->second.endpoint, ClientReply{.seq = waiter->second.seq, .status = ReplyStatus::failed,
                                             .role = role_name()});
  waiters_.erase(waiter);
}

// On losing primacy: a logged write may still commit under the next primary (the client
// retries with the same seq; sessions keep it at most once), so it is answered as unknown;
// reads had no effect.
void PrNode::drop_client_work() {
  for (const auto& [index, waiter] : waiters_) {
    if (options_.bugs.fails_doubtful_writes) {  // planted: doubt reported as a definite failure
      reply(waiter.endpoint, ClientReply{.seq = waiter.seq, .status = ReplyStatus::failed, .role = role_name()});
    } else {
      reply(waiter.endpoint, not_primary(waiter.seq, true));
    }
  }
  waiters_.clear();
  for (const auto& [timer, index] : wait_timers_) env_.cancel_timer(timer);
  wait_timers_.clear();
  for (const PendingRead& read : reads_)
    if (!read.forwarded_id) reply(read.endpoint, not_primary(read.seq, false));
  reads_.clear();
}

// read_from=replica/any: the addressed node answers from its applied state, once that state
// includes the session's token (the client's highest seen position): read-your-writes and
// monotonic reads across nodes (Terry et al. 1994; MongoDB's afterClusterTime).
void PrNode::handle_local_read(EndpointId from, const ClientRequest& request) {
  if (request.token > applied_position() && !options_.bugs.replicas_ignore_tokens) {
    ++coverage_.session_reads_behind;
    return reply(from, ClientReply{.seq = request.seq, .status = ReplyStatus::behind, .role = role_name()});
  }
  reply(from, ClientReply{.seq = request.seq,
                          .status = ReplyStatus::ok,
                          .value = store_.read(request.key),
                          .position = applied_position(),
                          .role = role_name()});
}

// ReadIndex (diss. 6.4): once the primary has committed an entry of its epoch, the read
// index is its commit index; a heartbeat round sent after the read arrived and acknowledged
// by a majority shows no newer epoch had a majority then; the read is answered once applied
// that far. Without failover no other primary can exist, and no round is needed.
void PrNode::handle_primary_read(EndpointId from, const ClientRequest& request) {
  if (options_.bugs.reads_without_barrier) {  // planted: local state, unreplicated writes included
    return reply(from, ClientReply{.seq = request.seq,
                                   .status = ReplyStatus::ok,
                                   .value = dirty_read(request.key),
                                   .position = log_.last_position(),
                                   .role = role_name()});
  }
  reads_.push_back(PendingRead{.endpoint = from,
                               .seq = request.seq,
                               .key = request.key,
                               .round = failover_enabled() ? round_ + 1 : 0});
  if (failover_enabled()) broadcast_append();
  serve_reads();
}

// A replica's read for read_from=primary (diss. 6.4.4): the primary confirms a read index,
// the replica answers from its own state once it has applied that far.
void PrNode::handle_follower_read(EndpointId from, const ClientRequest& request) {
  if (role_ != Role::replica || !primary_) return reply(from, not_primary(request.seq, false));
  // Requests the primary never answered (lost messages) are dropped after ~40 heartbeats.
  std::erase_if(follower_reads_, [&](const auto& item) { return primary_contacts_ - item.second.asked_at_contact > 40; });
  const uint64_t id = next_follower_read_id_++;
  follower_reads_[id] = FollowerRead{.endpoint = from,
                                     .seq = request.seq,
                                     .key = request.key,
                                     .epoch = epoch_,
                                     .asked_at_contact = primary_contacts_};
  env_.send(*primary_, make_pr_message(ReadIndexRequest{.epoch = epoch_, .id = id}));
}

void PrNode::handle_read_index(EndpointId from, const ReadIndexRequest& request) {
  if (role_ != Role::primary || request.epoch != epoch_) return;  // it will time out and retry
  reads_.push_back(PendingRead{.endpoint = from, .round = failover_enabled() ? round_ + 1 : 0, .forwarded_id = request.id});
  if (failover_enabled()) broadcast_append();
  serve_reads();
}

void PrNode::handle_read_index_reply(const ReadIndexReply& reply) {
  auto found = follower_reads_.find(reply.id);
  if (found == follower_reads_.end() || reply.epoch != found->second.epoch || reply.epoch != epoch_) return;
  found->second.read_index = reply.read_index;
  serve_follower_reads();
}

void PrNode::serve_reads() {
  if (role_ != Role::primary) return;
  const bool own_epoch_committed = log_.epoch_at(commit_) == epoch_;
  while (!reads_.empty()) {
    PendingRead& read = reads_.front();
    if (read.read_index < 0) {
      if (!own_epoch_committed) return;
      read.read_index = commit_;
    }
    if (read.round > 0) {
      int acks = 1;  // ourselves
      for (EndpointId peer = 0; peer < env_.node_count(); ++peer)
        if (peer != self_ && acked_round_[peer] >= read.round) ++acks;
      if (acks < primary_quorum()) return;
    }
    if (read.forwarded_id) {
      env_.send(read.endpoint,
                make_pr_message(ReadIndexReply{.epoch = epoch_, .id = *read.forwarded_id, .read_index = read.read_index}));
    } else {
      if (applied_ < read.read_index) return;
      reply(read.endpoint, ClientReply{.seq = read.seq,
                                       .status = ReplyStatus::ok,
                                       .value = store_.read(read.key),
                                       .position = applied_position(),
                                       .role = role_name()});
    }
    reads_.pop_front();
  }
}

// A replica answers once its whole log is the primary's prefix (so its applied state is the
// primary's committed state up to there) and it has applied the read index.
void PrNode::serve_follower_reads() {
  for (auto it = follower_reads_.begin(); it != follower_reads_.end();) {
    const FollowerRead& read = it->second;
    if (read.read_index < 0 || synced_epoch_ != read.epoch || applied_ < read.read_index) {
      ++it;
      continue;
    }
    reply(read.endpoint, ClientReply{.seq = read.seq,
                                     .status = ReplyStatus::ok,
                                     .value = store_.read(read.key),
                                     .position = applied_position(),
                                     .role = role_name()});
    it = follower_reads_.erase(it);
  }
}

void PrNode::drop_follower_reads() {
  for (const auto& [id, read] : follower_reads_) reply(read.endpoint, not_primary(read.seq, false));
  follower_reads_.clear();
}

// Planted pr.stale-dirty-read-primary: the data with every logged entry applied, committed
// or not.
Json PrNode::dirty_read(const std::string& key) const {
  Store dirty = store_;
  for (int64_t index = applied_ + 1; index <= log_.last_index(); ++index) {
    const Entry& entry = log_.at(index);
    if (!entry.noop) dirty.apply(entry.command);
  }
  return dirty.read(key);
}

}  // namespace faultline::primary_replica
