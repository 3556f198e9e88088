// Log replication (Raft 5.3: the consistency check on the previous entry's (index, epoch),
// so a returning old primary finds where its log diverges and truncates its suffix), the
// acknowledgement rule of each replication mode, and the primary's lease.
#include <algorithm>

#include "base/assert.h"
#include "systems/primary_replica/node.h"

namespace faultline::primary_replica {

void PrNode::on_heartbeat_timer(TimerId id) {
  if (role_ != Role::primary || heartbeat_timer_ != id) return;
  heartbeat_tick();
}

// Every tick is a round the replicas echo. Under failover the tick also starts a lease
// period: its timer says when a majority's acknowledgement of an earlier round stops counting.
void PrNode::heartbeat_tick() {
  broadcast_append();
  if (failover_enabled()) lease_ticks_.emplace_back(round_, env_.set_timer(params_.lease_ns, kLeaseTimer));
  heartbeat_timer_ = env_.set_timer(params_.heartbeat_ns, kHeartbeatTimer);
  update_lease();
}

// The tick whose timer fired was sent lease_ns ago (on this node's timer): every round sent
// before the next tick is at least that old, so acknowledgements of those rounds no longer
// hold the lease (a conservative bound: a round is dropped up to one heartbeat early).
void PrNode::on_lease_timer(TimerId id) {
  auto tick = std::find_if(lease_ticks_.begin(), lease_ticks_.end(),
                           [id](const auto& entry) { return entry.second == id; });
  if (tick == lease_ticks_.end()) return;
  auto next = std::next(tick);
  const uint64_t expired = next != lease_ticks_.end() ? next->first - 1 : round_;
  expired_through_round_ = std::max(expired_through_round_, expired);
  lease_ticks_.erase(tick);
  if (options_.bugs.no_fencing) {  // planted: fewer nodes heard, a smaller "majority"
    update_lease();
    advance_commit();
    serve_reads();
  }
}

// docs/systems/primary-replica.md, "The lease and clock skew": a primary accepts writes only
// while a majority acknowledged one of its rounds less than lease_ns ago; replicas vote for
// another primary only after failure_timeout_ns of silence, and lease_ns < failure_timeout_ns
// * (1 - 0.2) / (1 + 0.2), so a deposed primary stops accepting writes before a successor
// can be elected, with clock drift up to 20% on either side. Without failover nobody can
// depose the primary, and no lease is kept.
bool PrNode::lease_valid() const {
  if (role_ != Role::primary) return false;
  if (!failover_enabled()) return true;
  return leased_round_ > expired_through_round_;
}

// A majority of the configured cluster. Planted pr.no-fencing-split-brain: a majority of the
// nodes heard from within the lease ("a majority of the nodes I can see", Elasticsearch
// without minimum_master_nodes), so a primary cut off from the others keeps its quorum.
int PrNode::primary_quorum() const {
  if (!options_.bugs.no_fencing) return majority();
  int heard = 1;
  for (EndpointId peer = 0; peer < env_.node_count(); ++peer)
    if (peer != self_ && acked_round_[peer] > expired_through_round_) ++heard;
  return heard / 2 + 1;
}

void PrNode::update_lease() {
  std::vector<uint64_t> rounds = acked_round_;
  rounds[self_] = round_;
  std::sort(rounds.begin(), rounds.end(), std::greater<>());
  const uint64_t majority_round = rounds[static_cast<size_t>(primary_quorum() - 1)];
  if (majority_round > expired_through_round_) leased_round_ = std::max(leased_round_, majority_round);
}

void PrNode::broadcast_append() {
  ++round_;
  for (EndpointId peer = 0; peer < env_.node_count(); ++peer)
    if (peer != self_) send_append(peer);
}

void PrNode::send_append(EndpointId peer) {
  FAULTLINE_ASSERT(role_ == Role::primary, "only a primary replicates");
  const int64_t next = next_[peer];
  env_.send(peer, make_pr_message(Append{.epoch = epoch_,
                                         .prev_index = next - 1,
                                         .prev_epoch = log_.epoch_at(next - 1),
                                         .entries = log_.slice(next, params_.max_entries_per_append),
                                         .commit = commit_,
                                         .round = round_}));
}

void PrNode::handle_append(EndpointId from, const Append& request) {
  if (request.epoch < epoch_ && !options_.bugs.no_fencing) {
    // Fencing: a primary of an older epoch is told the newer one, and steps down.
    ++coverage_.stale_epoch_appends_fenced;
    env_.send(from, make_pr_message(AppendReply{.epoch = epoch_, .round = request.round}));
    return;
  }
  observe_epoch(request.epoch);
  if (role_ == Role::primary) {
    FAULTLINE_ASSERT(request.epoch < epoch_, "two primaries in one epoch");
    return;  // planted pr.no-fencing-split-brain: an older primary's stream reached the new one
  }
  // Planted pr.no-fencing-split-brain: follow an older primary too, and answer in its epoch
  // (a Redis replica follows whichever master streams to it).
  const int64_t reply_epoch = std::min(request.epoch, epoch_);
  accept_primary(from, request.epoch);
  env_.send(from, make_pr_message(accept_entries(request, reply_epoch)));  // after the entries are durable
}

void PrNode::accept_primary(EndpointId primary, int64_t epoch) {
  role_ = Role::replica;
  pre_candidate_ = false;
  if (primary_ != primary) drop_follower_reads();
  primary_ = primary;
  if (epoch == epoch_ && followed_epoch_ < epoch_) {
    followed_epoch_ = epoch_;
    persist_hard_state();
  }
  ++primary_contacts_;
  on_primary_contact();
}

// Raft's AppendEntries receiver rules 2-5, with a fast backup hint.
AppendReply PrNode::accept_entries(const Append& request, int64_t reply_epoch) {
  AppendReply reply{.epoch = reply_epoch, .round = request.round};
  if (request.prev_index > log_.last_index()) {  // our log is too short: resume at its end
    ++coverage_.log_too_short;
    reply.conflict_index = log_.last_index() + 1;
    return reply;
  }
  if (log_.epoch_at(request.prev_index) != request.prev_epoch) {  // diverged: skip our epoch run
    ++coverage_.diverged_at_prev;
    reply.conflict_index = log_.first_index_of_epoch_run(request.prev_index);
    return reply;
  }
  store_entries(request.entries);
  const int64_t match = request.prev_index + static_cast<int64_t>(request.entries.size());
  if (match >= log_.last_index()) synced_epoch_ = request.epoch;  // our whole log is the primary's prefix
  reply.success = true;
  reply.match_index = match;
  set_commit(std::min(request.commit, match));
  serve_follower_reads();
  return reply;
}

// Rules 3-4: delete an existing entry only where it conflicts with a new one (same index,
// another epoch), then append what is missing; durable before the reply.
void PrNode::store_entries(const std::vector<Entry>& entries) {
  size_t k = 0;
  bool changed = false;
  for (; k < entries.size(); ++k) {
    const Entry& entry = entries[k];
    if (entry.index > log_.last_index()) break;
    if (log_.epoch_at(entry.index) == entry.epoch) continue;
    truncate_log_from(entry.index);  // a returning old primary's divergent suffix
    env_.report_moment("suffix-truncated");  // a crash now tests that truncation and append are durable together
    ++coverage_.divergent_suffixes_truncated;
    changed = true;
    break;
  }
  FAULTLINE_ASSERT(k == entries.size() || entries[k].index == log_.last_index() + 1,
                   "replicated entries leave a gap");
  std::vector<Entry> fresh(entries.begin() + static_cast<std::ptrdiff_t>(k), entries.end());
  for (const Entry& entry : fresh) log_.append(entry);
  storage_.append(fresh, false);
  if ((changed || !fresh.empty()) && sync_log()) storage_.sync_log();
}

void PrNode::handle_append_reply(EndpointId from, const AppendReply& reply) {
  if (reply.epoch > epoch_) return observe_epoch(reply.epoch);
  if (role_ != Role::primary || reply.epoch != epoch_) return;
  // A fencing notice (a refusal without a conflict index) that answered an append of ours
  // from an earlier epoch, overtaken by our election to the epoch it names: no news.
  if (!reply.success && reply.conflict_index == 0) return;
  acked_round_[from] = std::max(acked_round_[from], reply.round);
  update_lease();
  if (reply.success) {
    const bool progressed = reply.match_index > match_[from];
    match_[from] = std::max(match_[from], reply.match_index);
    next_[from] = std::max(next_[from], match_[from] + 1);
    if (degraded_ && std::all_of(match_.begin(), match_.end(), [&](int64_t m) { return m >= log_.last_index(); }))
      degraded_ = false;  // planted pr.sync-silently-async: every replica caught up again
    advance_commit();
    if (progressed && next_[from] <= log_.last_index()) send_append(from);
  } else {
    // A refusal below what the replica already acknowledged is a reply overtaken by a later
    // success (links reorder), or, with planted bugs, a replica that really lost entries.
    // Either way count only what it surely holds: a lower match index only delays commits.
    match_[from] = std::min(match_[from], reply.conflict_index - 1);
    next_[from] = std::clamp<int64_t>(reply.conflict_index, match_[from] + 1, log_.last_index() + 1);
    send_append(from);
  }
  serve_reads();
}

// How many nodes must hold a write durably before it is acknowledged, the primary included.
int PrNode::acks_needed() const {
  if (options_.bugs.acks_after_local_write || degraded_) return 1;  // planted: acks like async
  if (params_.replication == Replication::quorum) return primary_quorum();
  return acks_required(params_.replication, env_.node_count());
}

// The commit index is the acknowledged position: the highest entry of this epoch held by
// enough nodes (earlier entries commit with it: only the primary's own epoch is counted,
// Raft 5.4.2, Figure 8).
void PrNode::advance_commit() {
  match_[self_] = log_.last_index();
  const int needed = acks_needed();
  for (int64_t index = log_.last_index(); index > commit_; --index) {
    if (log_.epoch_at(index) != epoch_) break;
    const auto holders = std::count_if(match_.begin(), match_.end(), [index](int64_t m) { return m >= index; });
    if (holders >= needed) return set_commit(index);
  }
}

}  // namespace faultline::primary_replica
