// Failure detection and the election of the next epoch's primary. Safety: a node votes once
// per epoch (durably), and only for a candidate whose last log position (epoch, index) is at
// least its own, so the winner holds every entry a majority holds (Raft 5.4.1; MongoDB pv1).
// Liveness: randomized timeouts (Raft 5.2), pre-vote (Raft dissertation 9.6) so a node that
// was cut off cannot depose a working primary when it returns.
#include "base/assert.h"
#include "systems/primary_replica/node.h"

namespace faultline::primary_replica {

namespace {

int count(const std::vector<bool>& flags) {
  int n = 0;
  for (bool flag : flags) n += flag ? 1 : 0;
  return n;
}

}  // namespace

// auto: any replica that stopped hearing from its primary. manual: only once an operator's
// command opened an election for an epoch that has no primary yet (every node that heard of
// that epoch then joins in until someone wins). off: never.
bool PrNode::may_campaign() const {
  switch (params_.failover) {
    case Failover::off: return false;
    case Failover::manual: return epoch_ > followed_epoch_;
    case Failover::automatic: return true;
  }
  return false;
}

int64_t PrNode::retry_delay_ns() {
  return env_.rng().between(params_.failure_timeout_ns, 2 * params_.failure_timeout_ns - 1);
}

// The failure detector runs on timers only (drift affects them, clock jumps do not): every
// message of the current primary restarts the failure timeout.
void PrNode::on_primary_contact() {
  primary_silent_ = false;
  if (campaign_timer_) env_.cancel_timer(*campaign_timer_);
  campaign_timer_.reset();
  if (silence_timer_) env_.cancel_timer(*silence_timer_);
  silence_timer_ = env_.set_timer(params_.failure_timeout_ns, kSilenceTimer);
}

void PrNode::on_silence() {
  silence_timer_.reset();
  primary_silent_ = true;
  arm_campaign(env_.rng().below(static_cast<uint64_t>(params_.failure_timeout_ns)));
}

void PrNode::arm_campaign(int64_t delay_ns) {
  if (!may_campaign() || role_ == Role::primary) return;
  if (campaign_timer_) env_.cancel_timer(*campaign_timer_);
  campaign_timer_ = env_.set_timer(delay_ns, kCampaignTimer);
}

void PrNode::on_campaign_timer(TimerId id) {
  if (campaign_timer_ != id) return;
  campaign_timer_.reset();
  if (role_ == Role::primary || !primary_silent_ || !may_campaign()) return;
  start_pre_vote();
  arm_campaign(retry_delay_ns());  // the next round, if this one elects nobody
}

// An operator's failover (fault package `failover`): campaign for the next epoch at once,
// after a short random delay so that replicas told together rarely split the vote. Voters
// grant it even while they hear from the primary; the most up-to-date node wins, since a
// voter refuses a candidate behind it.
void PrNode::on_step_up() {
  if (!failover_enabled() || role_ == Role::primary) return;
  env_.set_timer(env_.rng().below(static_cast<uint64_t>(params_.failure_timeout_ns / 2)), kStepUpTimer);
}

void PrNode::on_step_up_timer() {
  if (role_ == Role::primary) return;
  start_election(/*forced=*/true);
  arm_campaign(retry_delay_ns());
}

void PrNode::send_vote_requests(const VoteRequest& request) {
  for (EndpointId peer = 0; peer < env_.node_count(); ++peer)
    if (peer != self_) env_.send(peer, make_pr_message(request));
}

// Diss. 9.6: ask whether we could win before bumping the epoch.
void PrNode::start_pre_vote() {
  pre_candidate_ = true;
  votes_.assign(env_.node_count(), false);
  votes_[self_] = true;
  if (count(votes_) >= majority()) return start_election(/*forced=*/false);
  send_vote_requests(VoteRequest{.epoch = epoch_ + 1, .last = log_.last_position(), .pre = true});
}

void PrNode::start_election(bool forced) {
  FAULTLINE_ASSERT(role_ != Role::primary, "a primary does not campaign");
  pre_candidate_ = false;
  role_ = Role::candidate;
  ++epoch_;
  vote_ = self_;
  leading_ = false;
  persist_hard_state();
  drop_follower_reads();
  primary_.reset();
  synced_epoch_.reset();
  primary_silent_ = true;
  votes_.assign(env_.node_count(), false);
  votes_[self_] = true;
  if (count(votes_) >= majority()) return become_primary(/*resumed=*/false);
  send_vote_requests(VoteRequest{.epoch = epoch_, .last = log_.last_position(), .forced = forced});
}

// A node hearing from a primary of its epoch (or a primary holding its lease) keeps it: it
// ignores (pre-)votes, unless an operator forces the failover.
bool PrNode::silent() const {
  if (role_ == Role::primary) return !lease_valid();
  return primary_silent_;
}

// The election restriction: compare last positions, epoch first (never node ids).
bool PrNode::candidate_up_to_date(const Position& last) const {
  if (options_.bugs.elects_without_log_check) return true;  // planted: any candidate will do
  return last >= log_.last_position();
}

void PrNode::handle_vote(EndpointId from, const VoteRequest& request) {
  if (request.epoch > epoch_ && !request.forced && !silent()) {
    env_.send(from, make_pr_message(VoteReply{.epoch = epoch_, .granted = false, .pre = request.pre}));
    return;
  }
  const bool up_to_date = candidate_up_to_date(request.last);
  if (request.pre) {  // a pre-vote changes nothing here
    const bool grant = request.epoch > epoch_ && up_to_date;
    env_.send(from, make_pr_message(VoteReply{.epoch = grant ? request.epoch : epoch_, .granted = grant, .pre = true}));
    return;
  }
  observe_epoch(request.epoch);
  const bool grant = request.epoch == epoch_ && (vote_ < 0 || vote_ == from) && up_to_date;
  if (grant) {
    vote_ = from;
    persist_hard_state();  // durable before the reply leaves
    arm_campaign(retry_delay_ns());  // give the candidate time to win
  }
  env_.send(from, make_pr_message(VoteReply{.epoch = epoch_, .granted = grant, .pre = false}));
}

void PrNode::handle_vote_reply(EndpointId from, const VoteReply& reply) {
  if (reply.epoch > epoch_ && !reply.granted) return observe_epoch(reply.epoch);
  if (reply.pre) {
    if (!pre_candidate_ || role_ == Role::primary || reply.epoch != epoch_ + 1 || !reply.granted) return;
    votes_[from] = true;
    if (count(votes_) >= majority()) start_election(/*forced=*/false);
    return;
  }
  if (role_ != Role::candidate || reply.epoch != epoch_ || !reply.granted) return;
  votes_[from] = true;
  if (count(votes_) >= majority()) become_primary(/*resumed=*/false);
}

// The new primary (or a restarted one resuming its epoch) resets its view of the replicas,
// appends a no-op of its epoch, whose commit also commits every entry before it (Raft 5.4.2),
// and starts heartbeats. It accepts writes once a majority has acknowledged a round (lease).
void PrNode::become_primary(bool resumed) {
  FAULTLINE_ASSERT(vote_ == self_, "a primary voted for itself in its epoch");
  FAULTLINE_ASSERT(resumed || role_ == Role::candidate, "only a candidate wins an election");
  role_ = Role::primary;
  coverage_.primaries_elected += !resumed;
  pre_candidate_ = false;
  primary_ = self_;
  primary_silent_ = false;
  leading_ = true;
  followed_epoch_ = epoch_;
  persist_hard_state();
  for (auto* timer : {&silence_timer_, &campaign_timer_}) {
    if (*timer) env_.cancel_timer(**timer);
    timer->reset();
  }
  drop_follower_reads();
  synced_epoch_ = epoch_;
  const int n = env_.node_count();
  match_.assign(n, 0);
  next_.assign(n, log_.last_index() + 1);
  acked_round_.assign(n, 0);
  leased_round_ = expired_through_round_ = 0;
  degraded_ = false;
  Entry noop{.epoch = epoch_, .index = log_.last_index() + 1};
  log_.append(noop);
  persist_entries({noop});
  heartbeat_tick();       // the first round, and the heartbeat timer
  advance_commit();       // a one-node cluster commits at once
  env_.report_moment("primary-elected");  // a primary lost before its no-op commits: double failover
}

}  // namespace faultline::primary_replica
