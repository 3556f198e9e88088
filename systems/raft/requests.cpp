// Client commands (diss. 6.3: sessions make them at-most-once) and linearizable reads
// through ReadIndex (diss. 6.4), on the leader.
#include "base/assert.h"
#include "systems/raft/node.h"

namespace faultline::raft {

void RaftNode::reply(EndpointId to, ClientReply reply) {
  env_.send(to, make_raft_message(std::move(reply)));
}

// `accepted`: the command was in the log (a read never is).
ClientReply RaftNode::result_reply(int64_t seq, const ApplyResult& result, bool accepted) {
  if (result.wrong_group)
    return ClientReply{seq, ReplyStatus::wrong_group, *result.wrong_group, std::nullopt, accepted};
  return ClientReply{seq, result.ok ? ReplyStatus::ok : ReplyStatus::rejected, result.value, std::nullopt, accepted};
}

void RaftNode::handle_request(EndpointId from, const ClientRequest& request) {
  FAULTLINE_ASSERT(!request.reply_to || from < env_.node_count(), "only a node forwards a client's request");
  if (request.reply_to) {  // forwarded by a follower (one hop): answer the client itself
    FAULTLINE_ASSERT(*request.reply_to >= env_.node_count(), "a forwarded request names its client");
    return handle_client_request(*request.reply_to, request);
  }
  if (role_ != Role::leader && request.f == "read" && leader_) {
    // Diss. 6.4.4: ask the leader for a read index, serve locally once applied that far.
    const uint64_t id = next_follower_read_id_++;
    const int64_t now = env_.monotonic_ns();
    std::erase_if(follower_reads_, [&](const auto& item) {  // lost requests or replies
      return now - item.second.asked_ns > 2 * options_.params.election_timeout_min_ns;
    });
    follower_reads_[id] = FollowerRead{from, request.seq, request.key, -1, now};
    env_.send(*leader_, make_raft_message(ReadIndexRequest{term_, id}));
    return;
  }
  if (role_ != Role::leader && request.proxy && leader_ && *leader_ != self_) {
    // Diss. 6.2: a follower may proxy a request to the leader it knows of; the leader
    // answers the client directly.
    ClientRequest forwarded = request;
    forwarded.reply_to = from;
    ++coverage_.writes_proxied;
    return env_.send(*leader_, make_raft_message(std::move(forwarded)));
  }
  handle_client_request(from, request);
}

void RaftNode::handle_client_request(EndpointId from, const ClientRequest& request) {
  if (role_ != Role::leader) {  // diss. 6.2: redirect to the leader we know of
    std::optional<int32_t> hint;
    if (leader_ && *leader_ != self_) hint = *leader_;
    return reply(from, ClientReply{request.seq, ReplyStatus::not_leader, nullptr, hint, false});
  }
  if (request.f == "read") return handle_read(from, request);
  Command command{request.client, request.seq, request.f, request.key, request.value};
  if (!options_.bugs.no_client_dedup) {
    // Diss. 6.3: a command this session already applied is answered, not re-executed.
    if (auto cached = machine_->cached(command)) {
      ++coverage_.retries_answered_from_session;
      return reply(from, result_reply(request.seq, *cached, true));
    }
  }
  append_command(std::move(command), Waiter{from, request.client, request.seq});
  // A leader lost now leaves the command on a minority, for a later leader to overwrite or
  // to commit in a later term (Figure 8; MIT 6.5840's TestFigure8 crashes leaders here).
  env_.report_moment("command-appended");
}

std::optional<int64_t> RaftNode::propose(Command command) {
  if (role_ != Role::leader) return std::nullopt;
  return append_command(std::move(command), std::nullopt);
}

int64_t RaftNode::append_command(Command command, std::optional<Waiter> waiter) {
  FAULTLINE_ASSERT(role_ == Role::leader, "only a leader appends commands");
  const int64_t index = log_.last_index() + 1;
  persist_append({log_.append(Entry{term_, index, false, std::move(command), 0})});  // durable before it is replicated
  if (waiter) waiters_[index] = *waiter;  // before the commit below may answer it (a 1-node group)
  broadcast_append();
  advance_commit();
  return index;
}

// Diss. 6.4, ReadIndex: (1) the leader must have committed an entry of its term, (2) the
// read index is the commit index then, (3) a heartbeat round confirms it still leads,
// (4) the read is served once the state machine has applied the read index.
void RaftNode::handle_read(EndpointId from, const ClientRequest& request) {
  if (options_.bugs.read_without_leader_check) {  // planted: trust our own belief
    return reply(from, result_reply(request.seq, machine_->query(request.key), false));
  }
  ++read_ctx_;
  reads_.push_back(PendingRead{from, request.seq, request.key, read_ctx_, -1, std::nullopt});
  broadcast_append();  // carries the new read_ctx
  serve_reads();
}

// A follower's read: confirmed like our own reads, answered with the read index only.
void RaftNode::handle_read_index(EndpointId from, const ReadIndexRequest& request) {
  if (role_ != Role::leader || request.term != term_) return;  // it will time out and retry
  if (options_.bugs.read_without_leader_check) {  // planted: our commit index, unconfirmed
    return env_.send(from, make_raft_message(ReadIndexReply{term_, request.id, commit_}));
  }
  ++read_ctx_;
  reads_.push_back(PendingRead{from, 0, "", read_ctx_, -1, request.id});
  broadcast_append();
  serve_reads();
}

void RaftNode::handle_read_index_reply(const ReadIndexReply& reply) {
  auto found = follower_reads_.find(reply.id);
  if (found == follower_reads_.end() || reply.term != term_) return;
  found->second.read_index = reply.read_index;
  serve_follower_reads();
}

void RaftNode::serve_follower_reads() {
  for (auto it = follower_reads_.begin(); it != follower_reads_.end();) {
    const FollowerRead& read = it->second;
    if (read.read_index < 0 || applied_ < read.read_index) {
      ++it;
      continue;
    }
    reply(read.endpoint, result_reply(read.seq, machine_->query(read.key), false));
    it = follower_reads_.erase(it);
  }
}

void RaftNode::drop_follower_reads() {
  for (const auto& [id, read] : follower_reads_)
    reply(read.endpoint, ClientReply{read.seq, ReplyStatus::not_leader, nullptr, std::nullopt, false});
  follower_reads_.clear();
}

void RaftNode::serve_reads() {
  if (role_ != Role::leader) return;
  const bool own_term_committed = log_.term_at(commit_) == term_;
  while (!reads_.empty()) {
    PendingRead& read = reads_.front();
    if (read.read_index < 0) {
      if (!own_term_committed) return;
      read.read_index = commit_;
    }
    int acks = 1;  // ourselves
    for (EndpointId peer = 0; peer < env_.node_count(); ++peer)
      if (peer != self_ && acked_read_ctx_[peer] >= read.ctx) ++acks;
    if (acks < majority()) return;
    if (read.forwarded_id) {
      env_.send(read.endpoint, make_raft_message(ReadIndexReply{term_, *read.forwarded_id, read.read_index}));
    } else {
      if (applied_ < read.read_index) return;
      reply(read.endpoint, result_reply(read.seq, machine_->query(read.key), false));
    }
    ++coverage_.read_indexes_confirmed;
    reads_.pop_front();
  }
}

// The leader that logged a command answers it when it is applied; if another entry took
// that index, the command was lost with our leadership and the client must retry.
void RaftNode::answer_waiter(int64_t index, const Entry& entry, const ApplyResult& result) {
  auto found = waiters_.find(index);
  if (found == waiters_.end()) return;
  const Waiter waiter = found->second;
  waiters_.erase(found);
  if (entry.command.client != waiter.client || entry.command.seq != waiter.seq) {
    return reply(waiter.endpoint,
                 ClientReply{waiter.seq, ReplyStatus::not_leader, nullptr, std::nullopt, true});
  }
  reply(waiter.endpoint, result_reply(waiter.seq, result, true));
}

// On losing leadership: logged commands may still commit under the next leader (the
// client retries with the same seq; sessions keep it at-most-once); reads had no effect.
void RaftNode::drop_client_work() {
  for (const auto& [index, waiter] : waiters_)
    reply(waiter.endpoint,
          ClientReply{waiter.seq, ReplyStatus::not_leader, nullptr, std::nullopt, true});
  waiters_.clear();
  for (const PendingRead& read : reads_)
    if (!read.forwarded_id)
      reply(read.endpoint, ClientReply{read.seq, ReplyStatus::not_leader, nullptr, std::nullopt, false});
  reads_.clear();
}

}  // namespace faultline::raft
