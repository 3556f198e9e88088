// Leader election (5.2, 5.4.1) with pre-vote (diss. 9.6) and check-quorum (diss. 6.2).
#include "base/assert.h"
#include "systems/raft/node.h"

namespace faultline::raft {

namespace {

int count(const std::vector<bool>& flags) {
  int n = 0;
  for (bool flag : flags) n += flag ? 1 : 0;
  return n;
}

}  // namespace

// 5.2: election timeouts are chosen randomly from a fixed interval so split votes are rare.
void RaftNode::arm_election_timer() {
  const int64_t base = options_.params.election_timeout_min_ns;
  const int64_t timeout = env_.rng().between(base, 2 * base - 1);
  election_deadline_ns_ = env_.monotonic_ns() + timeout;  // elapsed time: a clock bump must not move it
  if (!election_timer_) election_timer_ = env_.set_timer(timeout, kElectionTimer);
}

// One timer chain per node: followers and candidates campaign when the deadline passed; a
// leader uses the same beat to check it still hears from a quorum.
void RaftNode::on_election_timer(TimerId id) {
  if (election_timer_ != id) return;
  election_timer_.reset();
  if (role_ == Role::leader) {
    check_quorum();
    election_timer_ = env_.set_timer(options_.params.election_timeout_min_ns, kElectionTimer);
    return;
  }
  const int64_t now = env_.monotonic_ns();
  if (now < election_deadline_ns_) {
    election_timer_ = env_.set_timer(election_deadline_ns_ - now, kElectionTimer);
    return;
  }
  start_pre_vote();
  arm_election_timer();
}

// Diss. 9.6: before bumping its term a node asks whether it could win, so a node that was
// partitioned away does not disrupt a working leader when it returns.
void RaftNode::start_pre_vote() {
  ++election_events_.campaigns;
  role_ = Role::pre_candidate;
  leader_.reset();
  votes_.assign(env_.node_count(), false);
  votes_[self_] = true;
  if (count(votes_) >= majority()) return start_election();
  const VoteRequest request{term_ + 1, log_.last_index(), log_.last_term(), true};
  for (EndpointId peer = 0; peer < env_.node_count(); ++peer)
    if (peer != self_) env_.send(peer, make_raft_message(request));
}

// 5.2: increment currentTerm, vote for self (durably), send RequestVote to all others.
void RaftNode::start_election() {
  role_ = Role::candidate;
  ++term_;
  vote_ = self_;
  persist_hard_state();
  votes_.assign(env_.node_count(), false);
  votes_[self_] = true;
  if (count(votes_) >= majority()) return become_leader();
  const VoteRequest request{term_, log_.last_index(), log_.last_term(), false};
  for (EndpointId peer = 0; peer < env_.node_count(); ++peer)
    if (peer != self_) env_.send(peer, make_raft_message(request));
}

// 5.4.1: the candidate's log is at least as up-to-date as ours: a later last term, or the
// same last term and a log at least as long.
bool RaftNode::log_up_to_date(int64_t last_term, int64_t last_index) const {
  if (options_.bugs.skip_up_to_date_check) return true;
  if (last_term != log_.last_term()) return last_term > log_.last_term();
  return last_index >= log_.last_index();
}

// Diss. 4.2.3 / 9.6: while a node hears from a current leader it ignores (pre-)votes, so a
// disconnected server cannot depose a healthy leader.
bool RaftNode::heard_from_leader_recently() const {
  if (role_ == Role::leader) return true;
  return last_leader_contact_ns_ >= 0 &&
         env_.monotonic_ns() - last_leader_contact_ns_ < options_.params.election_timeout_min_ns;
}

void RaftNode::handle_vote(EndpointId from, const VoteRequest& request) {
  if (request.term > term_ && heard_from_leader_recently()) {
    env_.send(from, make_raft_message(VoteResponse{term_, false, request.pre}));
    return;
  }
  const bool up_to_date = log_up_to_date(request.last_term, request.last_index);
  coverage_.votes_refused_log_behind += !up_to_date && request.term >= term_;
  if (request.pre) {  // a pre-vote changes nothing here (diss. 9.6)
    const bool grant = request.term > term_ && up_to_date;
    env_.send(from, make_raft_message(VoteResponse{grant ? request.term : term_, grant, true}));
    return;
  }
  observe_term(request.term);
  // Figure 2, RequestVote receiver: grant if the term is current, we have not voted for
  // another candidate in it, and the candidate's log is up to date.
  const bool grant = request.term == term_ && (!vote_ || *vote_ == from) && up_to_date;
  if (grant) {
    vote_ = from;
    persist_hard_state();  // persist before the reply leaves
    arm_election_timer();
  }
  env_.send(from, make_raft_message(VoteResponse{term_, grant, false}));
}

void RaftNode::handle_vote_reply(EndpointId from, const VoteResponse& response) {
  if (response.term > term_ && !response.granted) return observe_term(response.term);
  if (response.pre) {
    if (role_ != Role::pre_candidate || response.term != term_ + 1 || !response.granted) return;
    votes_[from] = true;
    if (count(votes_) >= majority()) start_election();
    return;
  }
  if (role_ != Role::candidate || response.term != term_ || !response.granted) return;
  votes_[from] = true;
  if (count(votes_) >= majority()) become_leader();
}

// 5.2 / 8: a new leader resets its view of the followers and appends a no-op of its own
// term, whose commit also commits everything before it (5.4.2) and enables ReadIndex.
void RaftNode::become_leader() {
  FAULTLINE_ASSERT(role_ == Role::candidate && vote_ == self_, "only a candidate that voted for itself leads");
  role_ = Role::leader;
  leader_ = self_;
  ++coverage_.leaders_elected;
  const int n = env_.node_count();
  next_index_.assign(n, log_.last_index() + 1);
  match_index_.assign(n, 0);
  probing_.assign(n, true);
  recently_active_.assign(n, true);  // a full check-quorum interval of grace
  acked_read_ctx_.assign(n, 0);
  Entry noop{term_, log_.last_index() + 1, true, {}, 0};
  persist_append({log_.append(noop)});
  match_index_[self_] = log_.last_index();
  heartbeat_timer_ = env_.set_timer(options_.params.heartbeat_ns, kHeartbeatTimer);
  broadcast_append();
  // A leader that dies before its no-op commits leaves earlier terms' entries half
  // replicated (Figure 8): the moment protocol-aware faults strike.
  env_.report_moment("leader-elected");
  advance_commit();  // a one-node cluster commits at once
}

// Diss. 6.2: a leader that has not heard from a quorum for an election timeout steps down,
// so clients stop waiting on a leader that cannot commit.
void RaftNode::check_quorum() {
  recently_active_[self_] = true;
  const bool quorum = count(recently_active_) >= majority();
  recently_active_.assign(env_.node_count(), false);
  if (!quorum) become_follower(std::nullopt);
}

}  // namespace faultline::raft
