#pragma once
// One node of the Dynamo store (DeCandia et al., "Dynamo: Amazon's Highly Available
// Key-value Store", SOSP 2007; section numbers below refer to it). Sans-I/O: it acts only
// through its Env. Any node coordinates a client's request where it arrives, except counter
// updates, which one of the key's owners coordinates (a node that is not one forwards the
// update, as Riak's put FSM does for its counters). The implementation is split by purpose:
//   node.cpp          events, the ring view, local merges, actors and epochs
//   reads.cpp         quorum reads and read repair (4.5, 4.7)
//   writes.cpp        update coordination, quorum writes, hinted writes (4.4-4.6)
//   replica.cpp       what a replica does when asked to read, write or take a transfer
//   hints.cpp         hinted handoff: delivering a fallback's hints to their owners (4.6)
//   handoff.cpp       membership changes and ownership handoff (4.9)
//   anti_entropy.cpp  Merkle-tree exchanges between replicas (4.7)
//   tombstones.cpp    deletes: tombstone ages and reap rounds
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "framework/env.h"
#include "systems/dynamo/config.h"
#include "systems/dynamo/merkle.h"
#include "systems/dynamo/messages.h"
#include "systems/dynamo/quorum.h"
#include "systems/dynamo/ring.h"
#include "systems/dynamo/storage.h"
#include "systems/dynamo/telemetry.h"

namespace faultline::dynamo {

class DynamoNode final : public Node {
 public:
  DynamoNode(Env& env, const Options& options, Telemetry& telemetry);

  void start() override;
  void on_message(EndpointId from, const MessagePtr& message) override;
  void on_timer(TimerId id, uint64_t tag) override;

  // Introspection for the invariant checker and tests.
  int id() const { return self_; }
  const Storage& storage() const { return storage_; }
  const Ring& ring() const { return ring_; }
  // The keys this node holds that it and peer both own under `ring`, with their digests:
  // what the two replicas' Merkle trees cover.
  std::map<std::string, uint64_t> shared_digests(int peer, const Ring& ring) const;

 private:
  // Replica, handoff, anti-entropy and reaping messages come only from the cluster's nodes.
  bool is_node(EndpointId id) const { return id >= 0 && id < env_.node_count(); }

  enum TimerTag : uint64_t {
    kGossipTimer = 1,
    kHintTimer = 2,
    kHandoffTimer = 3,
    kAntiEntropyTimer = 4,
    kAttemptTimer = 5,   // a job's replicas are slow: resend, try fallbacks
    kDeadlineTimer = 6,  // a job gives up
  };

  // A quorum read coordinated here (4.5), with its read repair.
  struct ReadJob {
    uint64_t id = 0;
    EndpointId client = -1;
    uint64_t request = 0;
    std::string key;
    QuorumTracker quorum;
    std::map<int, std::optional<KeyState>> replies;           // owners' states
    std::map<int, std::optional<KeyState>> fallback_replies;  // fallbacks' hinted states
    std::map<int, int> fallback_for;                          // fallback -> the owner it stands in for
    std::vector<std::pair<int, int>> empty_stand_ins;         // (fallback, owner): held nothing, not counted yet
    int attempts = 0;                                         // resends to silent owners so far
    std::optional<std::optional<KeyState>> result;            // the merged state, once the quorum answered
    std::set<int> repairs_pending;                            // owners repaired, not yet acknowledged
    bool answered = false;                                    // the client has its reply
  };

  // An update coordinated here as an owner (or, with a sloppy quorum, as a fallback).
  struct WriteJob {
    uint64_t id = 0;
    std::string key;
    EndpointId reply_to = -1;  // the client, or the node that forwarded the update
    bool forwarded = false;
    uint64_t client = 0;
    uint64_t request = 0;
    QuorumTracker quorum;
    KeyState state;  // what the replicas are asked to merge
    std::map<int, int> fallback_for;  // fallback -> owner its hinted copy stands in for
  };

  // Where to send the answer to a client's update this node passed to an owner.
  struct PendingUpdate {
    EndpointId client = -1;
    ClientRequest update;
  };

  // A tombstone reap round: every node must confirm the tombstone covers all it holds.
  struct ReapRound {
    uint64_t round = 0;
    KeyState tombstone;
    std::set<int> waiting;  // nodes that have not confirmed yet
  };

  // node.cpp
  bool heard_after_silence(int peer);
  void dispatch(EndpointId from, const DynamoMessage& message);
  Json ring_json() const { return ring_.to_json(); }
  bool merge_ring(const Json& ring);  // persists a change; whether anything changed
  void ring_changed_here();           // our own change: persist and tell everyone now
  bool owns(const std::string& key) const;
  std::vector<int> owners(const std::string& key) const;
  Actor actor_for(bool holds_key, bool as_owner);
  KeyState merged(const KeyState& a, const KeyState& b) const;  // the merge, or the planted one
  bool merge_into_data(const std::string& key, const KeyState& incoming);
  uint64_t next_id() { return (static_cast<uint64_t>(storage_.epoch()) << 32) | ++id_counter_; }
  void arm(int64_t delay_ns, TimerTag tag, uint64_t job);
  void send(int to, DynamoMessage message);

  // reads.cpp
  void start_read(EndpointId client, const ClientRequest& request);
  void ask_replica(ReadJob& job, int node, int stand_in_for);
  void handle_read_reply(int from, const ReplicaReadReply& reply);
  void record_read(ReadJob& job, int from, std::optional<KeyState> state, int stand_in_for);
  void maybe_answer_read(ReadJob& job);
  void send_repair(ReadJob& job, int owner, const KeyState& state, bool awaited);
  void reply_read(ReadJob& job, const std::string& status);
  void read_attempt(ReadJob& job);

  // writes.cpp
  void handle_client_update(EndpointId client, const ClientRequest& request);
  bool forwards_to_owner() const;  // counter updates are coordinated by an owner
  int choose_coordinator(const std::string& key, std::optional<int> previous);
  void handle_forward(int from, const ForwardUpdate& forward);
  void handle_forward_reply(int from, const ForwardReply& reply);
  void coordinate(const ClientRequest& update, EndpointId reply_to, bool forwarded);
  void replicate(const ClientRequest& update, EndpointId reply_to, bool forwarded, KeyState state);
  Result<KeyState> apply_update(const ClientRequest& update, const std::optional<KeyState>& local, Actor actor);
  int64_t lww_stamp(const std::optional<KeyState>& local, const Json& context) const;
  void handle_write_ack(int from, const ReplicaWriteAck& ack);
  void write_attempt(WriteJob& job);
  void finish_write(uint64_t id, const std::string& status, const std::string& error = "");
  void answer_update(EndpointId to, bool forwarded, uint64_t client, uint64_t request, const std::string& status,
                     const std::string& error);

  // replica.cpp
  void handle_replica_read(int from, const ReplicaRead& read);
  void handle_replica_write(int from, const ReplicaWrite& write);
  void handle_transfer(int from, const Transfer& transfer);
  void handle_transfer_ack(int from, const TransferAck& ack);
  std::optional<KeyState> hinted_state(const std::string& key) const;

  // hints.cpp
  void store_hint(int owner, const std::string& key, const KeyState& state);
  void deliver_hints();
  void hint_acknowledged(int owner, const std::string& key, uint64_t digest);

  // handoff.cpp
  void handoff_tick();
  void handle_member_command(const MemberCommand& command);
  void apply_member_commands();
  void leave_fold();
  void join_folds();
  void cleanup_unowned();
  bool handed(int target, const std::string& key) const;
  void hand(int target, const std::string& key);
  void set_own_status(MemberStatus status);

  // anti_entropy.cpp
  void start_anti_entropy();
  void exchange_with(int peer);
  void handle_ae_compare(int from, const AeCompare& compare);
  void handle_ae_sync(int from, const AeSync& sync);
  Json states_in_leaves(int peer, const std::vector<int>& leaves) const;

  // tombstones.cpp
  void age_tombstones();
  void start_reap(const std::string& key, const KeyState& tombstone);
  void handle_reap_query(int from, const ReapQuery& query);
  void handle_reap_reply(int from, const ReapReply& reply);
  bool covered_by(const ReapQuery& query);
  void merge_into_jobs(const std::string& key, const KeyState& tombstone);

  Env& env_;
  const Params params_;
  const Bugs bugs_;
  const int self_;
  Telemetry& telemetry_;
  Storage storage_;
  Ring ring_;
  uint64_t id_counter_ = 0;

  std::map<uint64_t, ReadJob> reads_;
  std::map<uint64_t, WriteJob> writes_;
  std::map<TimerId, uint64_t> job_timers_;  // a job's timer -> the job
  std::map<uint64_t, PendingUpdate> pending_updates_;  // client id -> where its answer goes
  std::set<int> suspected_;  // peers a request to timed out; cleared by any message from them
  std::map<int, int64_t> last_heard_ns_;  // per peer, this node's clock; volatile
  // (target, key) -> the digest of our state for the key the target acknowledged merging.
  std::map<std::pair<int, std::string>, uint64_t> handed_digests_;
  std::map<std::string, int64_t> tombstone_age_ns_;  // by our timers, so clock jumps cannot age it
  std::map<std::string, ReapRound> reaps_;
};

}  // namespace faultline::dynamo
