// Log replication (5.3), commitment (5.4.2) and snapshot installation (7).
#include <algorithm>

#include "base/assert.h"
#include "systems/raft/node.h"

namespace faultline::raft {

void RaftNode::broadcast_append() {
  for (EndpointId peer = 0; peer < env_.node_count(); ++peer)
    if (peer != self_) send_append(peer);
}

// Figure 2, AppendEntries: entries from nextIndex with the entry before them, so the
// follower can check its log matches ours up to there. A probing peer gets one batch per
// round trip; a replicating peer gets every entry it lacks, batch after batch, without
// waiting for replies, up to kInflightBatches batches past what it acknowledged, so
// catching up takes a few round trips rather than one per batch (etcd-io/raft's inflight
// window). A lost batch shows as a gap: the next append or heartbeat is refused and the
// peer probes again from where the refusal says.
void RaftNode::send_append(EndpointId peer) {
  FAULTLINE_ASSERT(role_ == Role::leader, "only a leader replicates");
  constexpr int64_t kInflightBatches = 64;
  const int64_t batch = options_.params.max_entries_per_append;
  do {
    const int64_t next = next_index_[peer];
    if (next <= log_.base_index()) {
      probing_[peer] = true;  // until the snapshot is acknowledged
      return send_snapshot(peer);
    }
    AppendRequest request;
    request.term = term_;
    request.prev_index = next - 1;
    request.prev_term = *log_.term_at(next - 1);
    request.entries = log_.slice(next, batch);
    request.commit = commit_;
    request.read_ctx = read_ctx_;
    const auto sent = static_cast<int64_t>(request.entries.size());
    env_.send(peer, make_raft_message(std::move(request)));
    if (probing_[peer] || sent == 0) return;
    next_index_[peer] = next + sent;
  } while (next_index_[peer] <= log_.last_index() &&
           next_index_[peer] - match_index_[peer] - 1 < kInflightBatches * batch);
}

// Section 7: the follower needs entries we compacted away. Our applied state machine is a
// snapshot at applied_ >= base (compaction happens at applied_), so send that.
void RaftNode::send_snapshot(EndpointId peer) {
  FAULTLINE_ASSERT(applied_ >= log_.base_index(), "a leader applied at least its snapshot");
  env_.send(peer, make_raft_message(SnapshotRequest{term_, applied_, *log_.term_at(applied_),
                                                    *log_.chain_at(applied_), applied_state(),
                                                    read_ctx_}));
  env_.report_moment("snapshot-sending");  // a leader lost mid-transfer leaves a follower behind its snapshot
}

std::shared_ptr<const Json> RaftNode::applied_state() {
  if (applied_state_ == nullptr || applied_state_index_ != applied_) {
    applied_state_ = std::make_shared<const Json>(machine_->to_json());
    applied_state_index_ = applied_;
  }
  return applied_state_;
}

// A leader's message: 5.1 term rules, then remember who leads and push the election
// deadline back (5.2).
void RaftNode::accept_leader(EndpointId leader) {
  FAULTLINE_ASSERT(role_ != Role::leader || options_.bugs.can_elect_two_leaders_in_a_term(), "two leaders in one term");
  become_follower(leader);
  ++election_events_.leader_contacts;
  last_leader_contact_ns_ = env_.monotonic_ns();
  arm_election_timer();
}

void RaftNode::handle_append(EndpointId from, const AppendRequest& request) {
  if (request.term < term_) {  // Figure 2, receiver rule 1: reply false, the caller is stale
    ++coverage_.stale_term_messages;
    env_.send(from, make_raft_message(AppendResponse{term_, false, 0, 0, 0, request.read_ctx}));
    return;
  }
  observe_term(request.term);
  if (role_ == Role::leader) return;  // only reachable in a planted-bug build
  accept_leader(from);
  AppendResponse response = accept_entries(request);
  env_.send(from, make_raft_message(response));  // sent after the entries are durable
}

// Figure 2, AppendEntries receiver rules 2-5.
AppendResponse RaftNode::accept_entries(const AppendRequest& request) {
  AppendResponse response{term_, false, 0, 0, 0, request.read_ctx};
  int64_t prev = request.prev_index;
  std::vector<Entry> entries = request.entries;
  if (prev < log_.base_index()) {  // the start is inside our snapshot: committed, identical
    const int64_t skip = std::min<int64_t>(log_.base_index() - prev, entries.size());
    entries.erase(entries.begin(), entries.begin() + skip);
    prev = log_.base_index();
    if (request.prev_index + static_cast<int64_t>(request.entries.size()) <= prev) {
      response.success = true;
      response.match_index = request.prev_index + static_cast<int64_t>(request.entries.size());
      return response;
    }
  } else if (prev > log_.last_index()) {  // rule 2, our log is too short: hint our end
    ++coverage_.log_too_short;
    response.conflict_index = log_.last_index() + 1;
    return response;
  } else if (*log_.term_at(prev) != request.prev_term) {  // rule 2, terms differ at prev
    ++coverage_.prev_log_term_mismatches;
    response.conflict_term = *log_.term_at(prev);
    response.conflict_index = log_.first_index_of_term_run(prev);
    return response;
  }
  if (!store_entries(prev, entries)) return response;
  // Match only what this request proved, never our own last index (a longer tail may be
  // from another term).
  response.success = true;
  response.match_index = prev + static_cast<int64_t>(entries.size());
  // Rule 5: commitIndex = min(leaderCommit, index of last new entry).
  set_commit(std::min(request.commit, response.match_index));
  return response;
}

// Rules 3-4: delete an existing entry only when it conflicts with a new one (same index,
// different term), then append what is missing. Durable before the reply.
bool RaftNode::store_entries(int64_t prev_index, const std::vector<Entry>& entries) {
  size_t k = 0;
  if (options_.bugs.truncate_on_stale_append) {
    // Planted: always cut after prev (above our commit), even if a newer request had
    // already brought entries that match.
    const int64_t cut = std::max(prev_index + 1, commit_ + 1);
    if (cut <= log_.last_index()) {
      log_.truncate_from(cut);
      storage_.truncate_from(cut, sync_log());
    }
    while (k < entries.size() && entries[k].index <= log_.last_index()) ++k;
  } else {
    for (; k < entries.size(); ++k) {
      const Entry& entry = entries[k];
      if (entry.index > log_.last_index()) break;
      if (*log_.term_at(entry.index) == entry.term) continue;
      FAULTLINE_ASSERT(entry.index > commit_ || options_.bugs.can_lose_committed_entries(), "a committed entry conflicts");
      // Only a build whose planted bug can lose committed entries gets here: it degrades
      // (refuses the message) instead of aborting, and the invariant checker reports it.
      if (entry.index <= commit_) return false;
      ++coverage_.conflicting_entries_truncated;
      env_.report_moment("log-truncated");  // a crash now tests that truncation and append are durable together
      log_.truncate_from(entry.index);
      storage_.truncate_from(entry.index, false);  // made durable with the append below
      break;
    }
  }
  std::vector<Entry> fresh;
  for (; k < entries.size(); ++k) {
    // Terms never decrease along a log; only a planted bug can offer such entries.
    if (entries[k].term < log_.last_term() && options_.bugs.can_lose_committed_entries()) break;
    fresh.push_back(log_.append(entries[k]));
  }
  persist_append(fresh);
  return k == entries.size();
}

void RaftNode::handle_append_reply(EndpointId from, const AppendResponse& response) {
  if (response.term > term_) return observe_term(response.term);
  if (role_ != Role::leader || response.term != term_) return;
  recently_active_[from] = true;
  acked_read_ctx_[from] = std::max(acked_read_ctx_[from], response.read_ctx);
  if (response.success) {
    const bool progressed = response.match_index > match_index_[from];
    match_index_[from] = std::max(match_index_[from], response.match_index);
    next_index_[from] = std::max(next_index_[from], match_index_[from] + 1);
    probing_[from] = false;
    advance_commit();
    if (progressed && next_index_[from] <= log_.last_index()) send_append(from);
  } else {
    probing_[from] = true;
    // Fast backup (5.3): skip the follower's whole conflicting term, or jump to its end.
    int64_t next = response.conflict_index;
    if (response.conflict_term > 0) {
      if (auto last = log_.last_index_of_term(response.conflict_term)) next = *last + 1;
    }
    next_index_[from] = std::clamp<int64_t>(next, match_index_[from] + 1, log_.last_index() + 1);
    send_append(from);
  }
  serve_reads();
}

// 5.3 / 5.4.2: commit the highest index stored on a majority, but only by counting replicas
// of an entry from the current term (Figure 8); earlier entries commit with it.
void RaftNode::advance_commit() {
  match_index_[self_] = log_.last_index();
  for (int64_t n = log_.last_index(); n > commit_; --n) {
    const int64_t entry_term = *log_.term_at(n);
    if (entry_term != term_ && !options_.bugs.commit_prior_term) break;
    int replicas = 0;
    for (int64_t match : match_index_) replicas += match >= n ? 1 : 0;
    if (replicas >= majority()) {
      set_commit(n);
      return;
    }
  }
}

// Section 7, InstallSnapshot receiver.
void RaftNode::handle_snapshot(EndpointId from, const SnapshotRequest& request) {
  if (request.term < term_) {
    env_.send(from, make_raft_message(AppendResponse{term_, false, 0, 0, 0, request.read_ctx}));
    return;
  }
  observe_term(request.term);
  if (role_ == Role::leader) return;  // only reachable in a planted-bug build
  accept_leader(from);
  AppendResponse response{term_, true, request.index, 0, 0, request.read_ctx};
  if (request.index <= commit_) {  // we already have it all: nothing to install
    env_.send(from, make_raft_message(response));
    return;
  }
  // Rule 6: keep the entries after the snapshot if ours agree at its index; else discard.
  if (log_.term_at(request.index) == request.snapshot_term) {
    log_.compact(request.index);
  } else {
    log_.reset(request.index, request.snapshot_term, request.chain);
  }
  FAULTLINE_ASSERT(request.state != nullptr, "a snapshot carries the state machine");
  machine_->restore(*request.state);
  applied_state_ = nullptr;
  commit_ = applied_ = request.index;
  ++coverage_.snapshots_installed;
  storage_.save_snapshot(
      SnapshotRecord{request.index, request.snapshot_term, log_.base_chain(), *request.state},
      log_.slice(request.index + 1, INT32_MAX));
  env_.send(from, make_raft_message(response));
  serve_follower_reads();
}

}  // namespace faultline::raft
