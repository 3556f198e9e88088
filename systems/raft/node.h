#pragma once
// One Raft server (Ongaro & Ousterhout, "In Search of an Understandable Consensus
// Algorithm", extended version; section numbers below refer to it, "diss." to Ongaro's
// dissertation). Sans-I/O: it acts only through its Env. The implementation is split by
// purpose: node.cpp (events, terms, persistence, apply), election.cpp, replication.cpp,
// requests.cpp (client commands and ReadIndex reads).
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "framework/env.h"
#include "systems/raft/config.h"
#include "systems/raft/coverage.h"
#include "systems/raft/log.h"
#include "systems/raft/messages.h"
#include "systems/raft/state_machine.h"
#include "systems/raft/storage.h"

namespace faultline::raft {

enum class Role { follower, pre_candidate, candidate, leader };

// Counted per incarnation for the invariant checker, which times them on the node's own
// monotonic clock (Figure 2, rules for followers); no protocol decision reads them.
struct ElectionEvents {
  int64_t booted_ns = 0;         // the monotonic clock when this incarnation started
  uint64_t leader_contacts = 0;  // messages accepted from the current term's leader
  uint64_t campaigns = 0;        // election timeouts that started a (pre-)vote
};

class RaftNode final : public Node {
 public:
  // `machine` is what the node replicates: the Raft store's key-value map unless a store
  // built on Raft brings its own.
  RaftNode(Env& env, const Options& options, Coverage& coverage,
           std::unique_ptr<StateMachine> machine = std::make_unique<KvStore>());

  void start() override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

  // Figure 2, rules for leaders: a leader appends a command of its own (no client waits for
  // it; a store built on Raft replicates its own steps this way) and returns its index;
  // nothing happens on a node that does not lead.
  std::optional<int64_t> propose(Command command);

  // Introspection for the invariant checker, leader() and tests.
  EndpointId id() const { return self_; }
  uint64_t boot_id() const { return boot_id_; }  // distinct for every incarnation
  Role role() const { return role_; }
  int64_t term() const { return term_; }
  std::optional<int32_t> voted_for() const { return vote_; }
  int64_t commit_index() const { return commit_; }
  int64_t last_applied() const { return applied_; }
  const RaftLog& log() const { return log_; }
  const StateMachine& machine() const { return *machine_; }
  std::optional<EndpointId> leader_hint() const { return leader_; }
  const std::vector<int64_t>& match_index() const { return match_index_; }  // a leader's only
  const ElectionEvents& election_events() const { return election_events_; }
  int64_t monotonic_now_ns() const { return env_.monotonic_ns(); }
  int64_t election_timeout_min_ns() const { return options_.params.election_timeout_min_ns; }

 private:
  enum TimerTag : uint64_t { kElectionTimer = 1, kHeartbeatTimer = 2, kLazyFsyncTimer = 3 };

  // node.cpp: terms, persistence, apply.
  void dispatch(EndpointId from, const RaftMessage& message);
  void observe_term(int64_t term);  // 5.1: a higher term turns anyone into a follower
  void become_follower(std::optional<EndpointId> leader);
  void persist_hard_state();
  void arm_lazy_fsync();
  void persist_append(const std::vector<Entry>& entries);
  bool sync_log() const { return !options_.bugs.ack_before_fsync; }
  void set_commit(int64_t commit);
  void apply_committed();
  void maybe_snapshot();
  int majority() const { return env_.node_count() / 2 + 1; }

  // election.cpp
  void arm_election_timer();
  void on_election_timer(TimerId id);
  void start_pre_vote();
  void start_election();
  void become_leader();
  void check_quorum();
  bool heard_from_leader_recently() const;
  bool log_up_to_date(int64_t last_term, int64_t last_index) const;
  void handle_vote(EndpointId from, const VoteRequest& request);
  void handle_vote_reply(EndpointId from, const VoteResponse& response);

  // replication.cpp
  void broadcast_append();
  void send_append(EndpointId peer);
  void send_snapshot(EndpointId peer);
  std::shared_ptr<const Json> applied_state();
  void handle_append(EndpointId from, const AppendRequest& request);
  void handle_append_reply(EndpointId from, const AppendResponse& response);
  void handle_snapshot(EndpointId from, const SnapshotRequest& request);
  AppendResponse accept_entries(const AppendRequest& request);
  bool store_entries(int64_t prev_index, const std::vector<Entry>& entries);
  void advance_commit();
  void accept_leader(EndpointId leader);

  // requests.cpp
  void handle_request(EndpointId from, const ClientRequest& request);
  void handle_client_request(EndpointId from, const ClientRequest& request);
  void handle_read(EndpointId from, const ClientRequest& request);
  void serve_reads();
  void handle_read_index(EndpointId from, const ReadIndexRequest& request);
  void handle_read_index_reply(const ReadIndexReply& reply);
  void serve_follower_reads();
  void drop_follower_reads();
  struct Waiter;
  int64_t append_command(Command command, std::optional<Waiter> waiter);
  void answer_waiter(int64_t index, const Entry& entry, const ApplyResult& result);
  void drop_client_work();
  void reply(EndpointId to, ClientReply reply);
  static ClientReply result_reply(int64_t seq, const ApplyResult& result, bool accepted);

  Env& env_;
  const Options options_;
  Coverage& coverage_;  // what the run reached (coverage.h); never read
  const EndpointId self_;
  Storage storage_;
  uint64_t boot_id_ = 0;

  // Persistent state (Figure 2), mirrored on disk.
  int64_t term_ = 0;
  std::optional<int32_t> vote_;
  RaftLog log_;

  // Volatile state.
  Role role_ = Role::follower;
  std::optional<EndpointId> leader_;
  int64_t commit_ = 0;
  int64_t applied_ = 0;
  std::unique_ptr<StateMachine> machine_;
  // machine_ as JSON at applied_state_index_, built once per applied index for the snapshots
  // a leader sends (again on every heartbeat until the follower acknowledges); reset whenever
  // machine_ is replaced wholesale.
  std::shared_ptr<const Json> applied_state_;
  int64_t applied_state_index_ = -1;
  int64_t election_deadline_ns_ = 0;
  int64_t last_leader_contact_ns_ = -1;
  std::vector<bool> votes_;  // granted (pre-)votes of the current round, per node
  ElectionEvents election_events_;

  // Leader state (Figure 2), reset on every election win.
  std::vector<int64_t> next_index_;  // optimistic while the peer replicates: the next unsent entry
  std::vector<int64_t> match_index_;
  // Per peer: true until an append succeeds, and again after a rejection or a snapshot; a
  // probing peer gets one batch per round trip from next_index_, a replicating one a
  // pipeline of batches (etcd-io/raft's probe and replicate states).
  std::vector<bool> probing_;
  std::vector<bool> recently_active_;  // check-quorum (diss. 6.2)
  std::vector<uint64_t> acked_read_ctx_;
  std::optional<TimerId> heartbeat_timer_;
  std::optional<TimerId> election_timer_;  // one pending election/check-quorum timer at most

  // Client work on the leader.
  struct Waiter {
    EndpointId endpoint;
    uint64_t client;
    int64_t seq;
  };
  std::map<int64_t, Waiter> waiters_;  // by log index
  struct PendingRead {
    EndpointId endpoint;
    int64_t seq;
    std::string key;
    uint64_t ctx;
    int64_t read_index;  // -1 until the leader has committed an entry of its term
    std::optional<uint64_t> forwarded_id;  // a follower's ReadIndexRequest, not a client
  };
  std::deque<PendingRead> reads_;
  uint64_t read_ctx_ = 0;

  // Reads a follower serves once the leader has given it a read index (diss. 6.4.4).
  struct FollowerRead {
    EndpointId endpoint;
    int64_t seq;
    std::string key;
    int64_t read_index;  // -1 until the leader answered
    int64_t asked_ns;    // requests the leader never answered are dropped after a while
  };
  std::map<uint64_t, FollowerRead> follower_reads_;  // by request id
  uint64_t next_follower_read_id_ = 1;
};

}  // namespace faultline::raft
