#pragma once
// The Raft store's messages (paper Figure 2, plus pre-vote from dissertation 9.6, ReadIndex
// heartbeats from dissertation 6.4 and client requests from dissertation 6.3). One JSON
// codec carries them all: {"type": "...", ...fields}.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "framework/message.h"
#include "systems/raft/entry.h"

namespace faultline::raft {

// RequestVote, or a pre-vote probe when `pre` (the sender's term is not bumped yet).
struct VoteRequest {
  int64_t term = 0;
  int64_t last_index = 0;
  int64_t last_term = 0;
  bool pre = false;
};

struct VoteResponse {
  int64_t term = 0;
  bool granted = false;
  bool pre = false;
};

// AppendEntries; `read_ctx` is echoed back so a leader can confirm ReadIndex rounds.
struct AppendRequest {
  int64_t term = 0;
  int64_t prev_index = 0;
  int64_t prev_term = 0;
  std::vector<Entry> entries;
  int64_t commit = 0;
  uint64_t read_ctx = 0;
};

// success: match_index is the last index the follower now holds from this request.
// failure: conflict_index/conflict_term let the leader skip a whole term at once (5.3, the
// "fast backup" optimisation).
struct AppendResponse {
  int64_t term = 0;
  bool success = false;
  int64_t match_index = 0;
  int64_t conflict_index = 0;
  int64_t conflict_term = 0;
  uint64_t read_ctx = 0;
};

// InstallSnapshot (paper 7), sent whole in one message.
struct SnapshotRequest {
  int64_t term = 0;
  int64_t index = 0;
  int64_t snapshot_term = 0;
  uint64_t chain = 0;  // the chain hash at `index`, so the receiver's chain continues it
  // Shared, not copied: a leader resends the same state on every heartbeat until the
  // follower acknowledges it.
  std::shared_ptr<const Json> state;
  uint64_t read_ctx = 0;
};

// Diss. 6.4.4: a follower serves a read by asking the leader for a read index, then reading
// locally once it has applied that far.
struct ReadIndexRequest {
  int64_t term = 0;  // the follower's term: a leader of another term does not answer
  uint64_t id = 0;
};

struct ReadIndexReply {
  int64_t term = 0;
  uint64_t id = 0;
  int64_t read_index = 0;
};

struct ClientRequest {
  uint64_t client = 0;
  int64_t seq = 0;
  std::string f;  // read, write or cas
  std::string key;
  Json value;
  // Set by a client bound to one node: a follower forwards the command to its leader
  // instead of redirecting the client (etcd and Consul proxy this way).
  bool proxy = false;
  // Set by the forwarding follower: the client the leader answers.
  std::optional<int32_t> reply_to;
};

enum class ReplyStatus {
  ok,          // done, `value` is the result
  rejected,    // definite: the operation had no effect (cas precondition false)
  not_leader,  // go elsewhere; `accepted` says whether this node had logged the request
  wrong_group,  // a sharded store's group does not serve the key; `value` is its configuration number
};

struct ClientReply {
  int64_t seq = 0;
  ReplyStatus status = ReplyStatus::not_leader;
  Json value;
  std::optional<int32_t> leader_hint;
  bool accepted = false;
};

struct RaftMessage {
  std::variant<VoteRequest, VoteResponse, AppendRequest, AppendResponse, SnapshotRequest,
               ReadIndexRequest, ReadIndexReply, ClientRequest, ClientReply>
      body;
};

void to_json(Json& json, const RaftMessage& message);
void from_json(const Json& json, RaftMessage& message);

using Codec = JsonCodec<RaftMessage>;

template <class T>
MessagePtr make_raft_message(T body) {
  return make_message(RaftMessage{std::move(body)});
}

}  // namespace faultline::raft
