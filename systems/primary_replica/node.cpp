// Events, epochs, persistence and the apply loop of a primary-replica node.
#include <type_traits>

#include "base/assert.h"
#include "systems/primary_replica/node.h"

namespace faultline::primary_replica {

PrNode::PrNode(Env& env, const Options& options, DataKind kind, Coverage& coverage)
    : env_(env),
      options_(options),
      params_(options_.params),
      coverage_(coverage),
      self_(env.self()),
      kind_(kind),
      storage_(env.disk()),
      store_(kind) {}

// A fresh cluster starts with node 0 as the primary of epoch 1 (a bootstrapped
// configuration, like a new replica set's first member). After a restart a node that won its
// epoch resumes as its primary when failover is off or manual (nobody else would ever take
// over, as a restarted MySQL primary comes back writable), and comes back as a replica under
// auto failover, where it must win an election again (a MongoDB member, a Patroni node).
void PrNode::start() {
  boot_id_ = env_.rng().next_u64();
  const int n = env_.node_count();
  votes_.assign(n, false);
  match_.assign(n, 0);
  next_.assign(n, 1);
  acked_round_.assign(n, 0);
  const bool fresh = recover();
  if (options_.bugs.acks_before_fsync) arm_lazy_fsync();
  const bool resumes = leading_ && (fresh || params_.failover != Failover::automatic);
  if (resumes) return become_primary(/*resumed=*/true);
  on_primary_contact();  // a restarted replica gives the primary a failure timeout to show up
}

bool PrNode::recover() {
  Recovered recovered = storage_.load();
  const bool fresh = !recovered.hard;
  if (fresh) {
    recovered.hard = HardState{.epoch = 1, .vote = 0, .leading = self_ == 0, .followed_epoch = 1};
    storage_.save_hard_state(*recovered.hard);
  }
  epoch_ = recovered.hard->epoch;
  vote_ = recovered.hard->vote;
  leading_ = recovered.hard->leading;
  followed_epoch_ = recovered.hard->followed_epoch;
  for (Entry& entry : recovered.entries) log_.append(std::move(entry));
  if (options_.bugs.truncates_to_local_hw && recovered.high_watermark < log_.last_index()) {
    // Planted (Kafka before KIP-101): drop everything above the high watermark this node last
    // heard, although the primary may have counted it as committed.
    log_.truncate_from(recovered.high_watermark + 1);
    storage_.truncate_from(recovered.high_watermark + 1, true);
  }
  return fresh;
}

void PrNode::on_message(EndpointId from, const MessagePtr& message) {
  const auto* body = message_body<PrMessage>(message);
  FAULTLINE_ASSERT(body != nullptr, "a primary-replica node received a foreign message");
  dispatch(from, *body);
}

void PrNode::dispatch(EndpointId from, const PrMessage& message) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Append>) handle_append(from, m);
        if constexpr (std::is_same_v<T, AppendReply>) handle_append_reply(from, m);
        if constexpr (std::is_same_v<T, VoteRequest>) handle_vote(from, m);
        if constexpr (std::is_same_v<T, VoteReply>) handle_vote_reply(from, m);
        if constexpr (std::is_same_v<T, ReadIndexRequest>) handle_read_index(from, m);
        if constexpr (std::is_same_v<T, ReadIndexReply>) handle_read_index_reply(m);
        if constexpr (std::is_same_v<T, ClientRequest>) handle_request(from, m);
        if constexpr (std::is_same_v<T, ClientReply>) (void)m;  // nodes never get replies
        if constexpr (std::is_same_v<T, StepUp>) {
          if (from == kOperatorEndpoint) on_step_up();  // only an operator may order a failover
        }
      },
      message);
}

void PrNode::on_timer(TimerId id, uint64_t tag) {
  switch (tag) {
    case kHeartbeatTimer: return on_heartbeat_timer(id);
    case kLeaseTimer: return on_lease_timer(id);
    case kSilenceTimer:
      if (silence_timer_ == id) on_silence();
      return;
    case kCampaignTimer: return on_campaign_timer(id);
    case kStepUpTimer: return on_step_up_timer();
    case kLazyFsyncTimer:  // planted pr.ack-before-fsync: the log is synced on a timer
      storage_.sync_log();
      return arm_lazy_fsync();
    case kReplicationWaitTimer: return on_replication_wait_timer(id);
    default: FAULTLINE_ASSERT(false, "unknown primary-replica timer");
  }
}

// A group-commit style timer, jittered so it does not line up with other periodic events.
void PrNode::arm_lazy_fsync() {
  const int64_t period = params_.lazy_fsync_ns;
  env_.set_timer(env_.rng().between(period / 2, period + period / 2), kLazyFsyncTimer);
}

// Fencing by epoch: hearing of a newer epoch (from a candidate, a primary or a replica's
// reply) makes any node a replica of that epoch, with no primary known yet.
void PrNode::observe_epoch(int64_t epoch) {
  if (epoch <= epoch_) return;
  epoch_ = epoch;
  vote_ = -1;
  leading_ = false;
  persist_hard_state();
  become_replica(std::nullopt);
}

void PrNode::become_replica(std::optional<EndpointId> primary) {
  if (role_ == Role::primary) {
    if (heartbeat_timer_) env_.cancel_timer(*heartbeat_timer_);
    heartbeat_timer_.reset();
    for (const auto& tick : lease_ticks_) env_.cancel_timer(tick.second);
    lease_ticks_.clear();
    degraded_ = false;
    drop_client_work();
  }
  role_ = Role::replica;
  pre_candidate_ = false;
  if (primary != primary_) drop_follower_reads();  // their read index came from another primary
  primary_ = primary;
  if (primary) return;
  synced_epoch_.reset();
  primary_silent_ = true;
  if (silence_timer_) env_.cancel_timer(*silence_timer_);
  silence_timer_.reset();
  arm_campaign(retry_delay_ns());
}

// Epoch, vote and leadership are durable before any message that depends on them leaves
// (one vote per epoch, and a node's epoch never goes back).
void PrNode::persist_hard_state() {
  storage_.save_hard_state(
      HardState{.epoch = epoch_, .vote = vote_, .leading = leading_, .followed_epoch = followed_epoch_});
}

void PrNode::persist_entries(const std::vector<Entry>& entries) { storage_.append(entries, sync_log()); }

// Drops the log from `index` on (a divergent suffix). An entry this node had applied goes
// with it: the data is rebuilt from the remaining log (a MongoDB rollback). Only modes that
// may lose acknowledged writes roll back applied entries; the invariant checker holds the
// others to it.
void PrNode::truncate_log_from(int64_t index) {
  if (index > log_.last_index()) return;
  log_.truncate_from(index);
  storage_.truncate_from(index, false);  // durable with the append or sync that follows
  commit_ = std::min(commit_, index - 1);
  if (applied_ >= index) rebuild_store();
}

void PrNode::rebuild_store() {
  store_ = Store(kind_);
  applied_ = 0;
  for (; applied_ < commit_; ++applied_) {
    const Entry& entry = log_.at(applied_ + 1);
    if (!entry.noop) store_.apply(entry.command);
  }
}

void PrNode::set_commit(int64_t commit) {
  if (commit <= commit_) return;  // the commit index never decreases by this path
  FAULTLINE_ASSERT(commit <= log_.last_index(), "commit beyond the log");
  commit_ = commit;
  if (options_.bugs.truncates_to_local_hw) storage_.save_high_watermark(commit_);
  apply_committed();
}

// Entries are applied in log order up to the commit index (the acknowledged position); the
// primary answers the client waiting for each.
void PrNode::apply_committed() {
  while (applied_ < commit_) {
    const Entry& entry = log_.at(applied_ + 1);
    ++applied_;
    if (entry.noop) continue;
    const ApplyResult result = store_.apply(entry.command);
    answer_waiter(entry.index, entry, result);
  }
  serve_reads();
  serve_follower_reads();
}

}  // namespace faultline::primary_replica
