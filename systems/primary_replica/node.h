#pragma once
// One node of the primary-replica store. Sans-I/O: it acts only through its Env. One primary
// per epoch appends client updates to the replicated log, fsyncs them and ships them to the
// replicas, which apply in log order and acknowledge what they hold durably; the primary
// acknowledges a write once as many nodes hold it as the replication mode asks. Failover
// elects the next epoch's primary by a majority of votes, each voter requiring the
// candidate's last (epoch, index) to be at least its own (Raft's election restriction, as in
// MongoDB's replica-set protocol pv1). The code is split by purpose: node.cpp (events, epochs,
// persistence, apply), election.cpp, replication.cpp, requests.cpp (client operations).
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "framework/env.h"
#include "systems/primary_replica/config.h"
#include "systems/primary_replica/coverage.h"
#include "systems/primary_replica/log.h"
#include "systems/primary_replica/messages.h"
#include "systems/primary_replica/state_machine.h"
#include "systems/primary_replica/storage.h"

namespace faultline::primary_replica {

enum class Role { primary, replica, candidate };

class PrNode final : public Node {
 public:
  PrNode(Env& env, const Options& options, DataKind kind, Coverage& coverage);

  void start() override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

  // Introspection for the invariant checker, leader() and tests.
  EndpointId id() const { return self_; }
  uint64_t boot_id() const { return boot_id_; }  // distinct for every incarnation
  Role role() const { return role_; }
  int64_t epoch() const { return epoch_; }
  std::optional<EndpointId> voted_for() const { return vote_ < 0 ? std::nullopt : std::optional<EndpointId>(vote_); }
  int64_t commit_index() const { return commit_; }
  int64_t applied_index() const { return applied_; }
  Position applied_position() const { return log_.position_at(applied_); }
  const ReplicatedLog& log() const { return log_; }
  const Store& store() const { return store_; }
  std::optional<EndpointId> primary() const { return primary_; }
  // The epoch whose primary this replica's whole log is a prefix of, if any.
  std::optional<int64_t> synced_epoch() const { return synced_epoch_; }
  bool lease_valid() const;

 private:
  enum TimerTag : uint64_t {
    kHeartbeatTimer = 1,
    kLeaseTimer = 2,
    kSilenceTimer = 3,
    kCampaignTimer = 4,
    kStepUpTimer = 5,
    kLazyFsyncTimer = 6,
    kReplicationWaitTimer = 7,
  };

  // node.cpp
  bool recover();  // true on a fresh disk
  void dispatch(EndpointId from, const PrMessage& message);
  void observe_epoch(int64_t epoch);  // a newer epoch makes anyone a replica with no primary
  void become_replica(std::optional<EndpointId> primary);
  void persist_hard_state();
  void persist_entries(const std::vector<Entry>& entries);
  void truncate_log_from(int64_t index);
  bool sync_log() const { return !options_.bugs.acks_before_fsync; }
  void arm_lazy_fsync();
  void set_commit(int64_t commit);
  void apply_committed();
  void rebuild_store();
  int majority() const { return env_.node_count() / 2 + 1; }
  bool failover_enabled() const { return params_.failover != Failover::off; }
  const char* role_name() const { return role_ == Role::primary ? "primary" : "replica"; }

  // election.cpp
  bool may_campaign() const;
  void on_primary_contact();
  void on_silence();
  void arm_campaign(int64_t delay_ns);
  int64_t retry_delay_ns();  // a random election timeout in [T, 2T)
  void on_campaign_timer(TimerId id);
  void on_step_up();
  void on_step_up_timer();
  void start_pre_vote();
  void start_election(bool forced);
  void send_vote_requests(const VoteRequest& request);
  bool silent() const;
  bool candidate_up_to_date(const Position& last) const;
  void handle_vote(EndpointId from, const VoteRequest& request);
  void handle_vote_reply(EndpointId from, const VoteReply& reply);
  void become_primary(bool resumed);

  // replication.cpp
  void on_heartbeat_timer(TimerId id);
  void heartbeat_tick();
  void on_lease_timer(TimerId id);
  void broadcast_append();
  void send_append(EndpointId peer);
  void handle_append(EndpointId from, const Append& request);
  void accept_primary(EndpointId primary, int64_t epoch);
  AppendReply accept_entries(const Append& request, int64_t reply_epoch);
  void store_entries(const std::vector<Entry>& entries);
  void handle_append_reply(EndpointId from, const AppendReply& reply);
  void update_lease();
  int primary_quorum() const;  // acknowledgements that make a majority, the primary's own included
  int acks_needed() const;
  void advance_commit();

  // requests.cpp
  void handle_request(EndpointId from, const ClientRequest& request);
  void handle_write(EndpointId from, const ClientRequest& request);
  void handle_local_read(EndpointId from, const ClientRequest& request);
  void handle_primary_read(EndpointId from, const ClientRequest& request);
  void handle_follower_read(EndpointId from, const ClientRequest& request);
  void handle_read_index(EndpointId from, const ReadIndexRequest& request);
  void handle_read_index_reply(const ReadIndexReply& reply);
  void serve_reads();
  void serve_follower_reads();
  void drop_follower_reads();
  Json dirty_read(const std::string& key) const;
  void answer_waiter(int64_t index, const Entry& entry, const ApplyResult& result);
  void on_replication_wait_timer(TimerId id);
  void drop_client_work();
  void reply(EndpointId to, ClientReply reply);
  ClientReply not_primary(int64_t seq, bool accepted) const;

  Env& env_;
  const Options options_;
  const Params& params_;
  Coverage& coverage_;  // what the run reached (coverage.h); never read
  const EndpointId self_;
  const DataKind kind_;
  Storage storage_;
  uint64_t boot_id_ = 0;

  // Durable (mirrored in the hard state and the log).
  int64_t epoch_ = 0;
  int32_t vote_ = -1;
  bool leading_ = false;
  int64_t followed_epoch_ = 0;
  ReplicatedLog log_;

  // Volatile.
  Role role_ = Role::replica;
  std::optional<EndpointId> primary_;
  std::optional<int64_t> synced_epoch_;
  int64_t commit_ = 0;
  int64_t applied_ = 0;
  Store store_;
  bool primary_silent_ = false;  // no primary of our epoch heard for the failure timeout
  std::optional<TimerId> silence_timer_;
  std::optional<TimerId> campaign_timer_;
  bool pre_candidate_ = false;
  std::vector<bool> votes_;  // granted (pre-)votes of the current round, per node
  uint64_t primary_contacts_ = 0;  // appends accepted, to age follower reads

  // The primary's view of its replicas and its lease (reset on every election win).
  std::vector<int64_t> match_;  // the index each node holds durably
  std::vector<int64_t> next_;
  std::vector<uint64_t> acked_round_;
  uint64_t round_ = 0;
  // Lease (docs/systems/primary-replica.md): heartbeat rounds sent at each tick, each with a
  // timer of lease_ns; the lease holds while a majority acknowledged a round sent after the
  // last tick whose timer fired.
  std::deque<std::pair<uint64_t, TimerId>> lease_ticks_;
  uint64_t leased_round_ = 0;
  uint64_t expired_through_round_ = 0;
  std::optional<TimerId> heartbeat_timer_;
  bool degraded_ = false;  // pr.sync-silently-async: acknowledging like async

  // Client work on the primary.
  struct Waiter {
    EndpointId endpoint = 0;
    uint64_t client = 0;
    int64_t seq = 0;
  };
  std::map<int64_t, Waiter> waiters_;  // by log index
  std::map<TimerId, int64_t> wait_timers_;  // pr.sync-silently-async / pr.outcome-misreported
  struct PendingRead {
    EndpointId endpoint = 0;
    int64_t seq = 0;
    std::string key;
    uint64_t round = 0;       // the heartbeat round that confirms it
    int64_t read_index = -1;  // -1 until the primary has committed an entry of its epoch
    std::optional<uint64_t> forwarded_id;  // a replica's ReadIndexRequest, not a client's read
  };
  std::deque<PendingRead> reads_;

  // Reads a replica serves once the primary has given it a read index.
  struct FollowerRead {
    EndpointId endpoint = 0;
    int64_t seq = 0;
    std::string key;
    int64_t epoch = 0;
    int64_t read_index = -1;
    uint64_t asked_at_contact = 0;
  };
  std::map<uint64_t, FollowerRead> follower_reads_;
  uint64_t next_follower_read_id_ = 1;
};

}  // namespace faultline::primary_replica
