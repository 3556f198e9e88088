// Events, terms, persistence and the apply loop of a Raft server.
#include <type_traits>

#include "base/assert.h"
#include "systems/raft/node.h"

namespace faultline::raft {

RaftNode::RaftNode(Env& env, const Options& options, Coverage& coverage, std::unique_ptr<StateMachine> machine)
    : env_(env), options_(options), coverage_(coverage), self_(env.self()), storage_(env.disk()),
      machine_(std::move(machine)) {
  FAULTLINE_ASSERT(machine_ != nullptr, "a Raft node replicates a state machine");
}

// Recovery (Figure 2): term, vote, log and snapshot come from the durable disk; commit and
// applied restart at the snapshot, and the state machine replays from there once the
// leader tells us the commit index.
void RaftNode::start() {
  boot_id_ = env_.rng().next_u64();
  election_events_.booted_ns = env_.monotonic_ns();
  Recovered recovered = storage_.load();
  term_ = recovered.hard.term;
  vote_ = recovered.hard.vote;
  const SnapshotRecord& snapshot = recovered.snapshot;
  log_.reset(snapshot.index, snapshot.term, snapshot.chain);
  for (Entry& entry : recovered.entries) log_.append(std::move(entry));
  machine_->restore(snapshot.state);
  applied_state_ = nullptr;
  commit_ = applied_ = snapshot.index;
  votes_.assign(env_.node_count(), false);
  arm_election_timer();
  if (options_.bugs.ack_before_fsync) arm_lazy_fsync();
}

void RaftNode::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<RaftMessage>(message);
  FAULTLINE_ASSERT(body != nullptr, "raft node received a foreign message");
  dispatch(from, *body);
}

void RaftNode::dispatch(EndpointId from, const RaftMessage& message) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, VoteRequest>) handle_vote(from, m);
        if constexpr (std::is_same_v<T, VoteResponse>) handle_vote_reply(from, m);
        if constexpr (std::is_same_v<T, AppendRequest>) handle_append(from, m);
        if constexpr (std::is_same_v<T, AppendResponse>) handle_append_reply(from, m);
        if constexpr (std::is_same_v<T, SnapshotRequest>) handle_snapshot(from, m);
        if constexpr (std::is_same_v<T, ReadIndexRequest>) handle_read_index(from, m);
        if constexpr (std::is_same_v<T, ReadIndexReply>) handle_read_index_reply(m);
        if constexpr (std::is_same_v<T, ClientRequest>) handle_request(from, m);
        if constexpr (std::is_same_v<T, ClientReply>) (void)m;  // nodes never get replies
      },
      message.body);
}

void RaftNode::on_timer(TimerId id, uint64_t tag) {
  switch (tag) {
    case kElectionTimer:
      on_election_timer(id);
      break;
    case kHeartbeatTimer:
      if (role_ != Role::leader || heartbeat_timer_ != id) break;
      broadcast_append();
      heartbeat_timer_ = env_.set_timer(options_.params.heartbeat_ns, kHeartbeatTimer);
      break;
    case kLazyFsyncTimer:  // planted ack-before-fsync: the log is synced on a timer
      storage_.fsync_log();
      arm_lazy_fsync();
      break;
    default:
      FAULTLINE_ASSERT(false, "unknown raft timer");
  }
}

// A group-commit style timer, jittered so it does not line up with other periodic events.
void RaftNode::arm_lazy_fsync() {
  const int64_t period = options_.params.lazy_fsync_ns;
  env_.set_timer(env_.rng().between(period / 2, period + period / 2), kLazyFsyncTimer);
}

// 5.1: "If RPC request or response contains term T > currentTerm: set currentTerm = T,
// convert to follower."
void RaftNode::observe_term(int64_t term) {
  if (term <= term_) return;
  term_ = term;
  vote_.reset();
  persist_hard_state();
  become_follower(std::nullopt);
}

void RaftNode::become_follower(std::optional<EndpointId> leader) {
  if (leader != leader_) drop_follower_reads();  // their read index came from another leader
  if (role_ == Role::leader) {
    if (heartbeat_timer_) env_.cancel_timer(*heartbeat_timer_);
    heartbeat_timer_.reset();
    drop_client_work();
  }
  role_ = Role::follower;
  leader_ = leader;
}

// Figure 2: currentTerm and votedFor are on stable storage before any message that depends
// on them is sent.
void RaftNode::persist_hard_state() {
  storage_.save_hard_state(HardState{term_, vote_}, !options_.bugs.vote_not_durable);
}

void RaftNode::persist_append(const std::vector<Entry>& entries) {
  storage_.append(entries, sync_log());
}

void RaftNode::set_commit(int64_t commit) {
  if (commit <= commit_) return;  // the commit index never decreases
  FAULTLINE_ASSERT(commit <= log_.last_index(), "commit beyond the log");
  commit_ = commit;
  apply_committed();
}

// 5.3: "If commitIndex > lastApplied: increment lastApplied, apply log[lastApplied] to the
// state machine."
void RaftNode::apply_committed() {
  while (applied_ < commit_) {
    const Entry& entry = log_.at(applied_ + 1);
    ++applied_;
    if (entry.noop) continue;
    const ApplyResult result = machine_->apply(entry.command, !options_.bugs.no_client_dedup);
    answer_waiter(entry.index, entry, result);
  }
  maybe_snapshot();
  serve_reads();
  serve_follower_reads();
}

// Section 7: once enough applied entries pile up, the state machine replaces them.
void RaftNode::maybe_snapshot() {
  if (applied_ > log_.last_index()) return;  // planted-bug builds only
  if (applied_ - log_.base_index() < options_.params.snapshot_threshold) return;
  const int64_t index = applied_;
  SnapshotRecord snapshot{index, *log_.term_at(index), *log_.chain_at(index), machine_->to_json()};
  log_.compact(index);
  storage_.save_snapshot(snapshot, log_.slice(index + 1, INT32_MAX));
}

}  // namespace faultline::raft
