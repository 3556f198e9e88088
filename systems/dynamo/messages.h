#pragma once
// The Dynamo store's messages. Each struct names itself (kType) and lists its fields once;
// framework/message.h carries the variant as {"type": kType, ...}. Key states travel in
// their JSON form (key_state.h), rings as their membership (ring.h); a replica request
// carries the coordinator's ring so the two agree on who owns the key before it counts.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "framework/message.h"

namespace faultline::dynamo {

// Client -> any node (the coordinator). A "read" reads a quorum; an "update" applies f.
struct ClientRequest {
  static constexpr const char* kType = "client-request";
  uint64_t client = 0;   // the client's id
  uint64_t request = 0;  // increasing per client; a retry repeats it
  std::string phase;     // "read" or "update"
  std::string f;         // the workload's op
  std::string key;
  Json value;    // update: the op's value, or the whole new value of a read-modify-write
  Json context;  // update: what the client read (version vector or timestamp), or null
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClientRequest, client, request, phase, f, key, value, context)
};

struct ClientReply {
  static constexpr const char* kType = "client-reply";
  uint64_t request = 0;
  std::string status;  // ok | unavailable (no effect) | timeout (unknown) | refused (no effect)
  Json state;          // read: the merged state, null when no replica holds the key
  std::string error;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClientReply, request, status, state, error)
};

// A node that does not own the key hands the update to an owner, which coordinates it.
struct ForwardUpdate {
  static constexpr const char* kType = "forward";
  ClientRequest update;
  Json ring;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ForwardUpdate, update, ring)
};

struct ForwardReply {
  static constexpr const char* kType = "forward-reply";
  uint64_t client = 0;
  uint64_t request = 0;
  std::string status;  // ok | timeout | refused | not-owner
  std::string error;
  Json ring;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ForwardReply, client, request, status, error, ring)
};

// A coordinator reads one replica; stand_in_for >= 0 asks a fallback for its hinted copy.
struct ReplicaRead {
  static constexpr const char* kType = "replica-read";
  uint64_t id = 0;
  std::string key;
  Json ring;
  int stand_in_for = -1;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReplicaRead, id, key, ring, stand_in_for)
};

struct ReplicaReadReply {
  static constexpr const char* kType = "replica-read-reply";
  uint64_t id = 0;
  std::string status;  // ok | not-owner
  Json state;          // null when the replica holds nothing for the key
  Json ring;
  int stand_in_for = -1;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReplicaReadReply, id, status, state, ring, stand_in_for)
};

// Merge this state and make it durable: a write, a read repair, or (hint_for >= 0) a hinted
// write a fallback keeps for an unreachable owner.
struct ReplicaWrite {
  static constexpr const char* kType = "replica-write";
  uint64_t id = 0;
  std::string key;
  Json state;
  Json ring;
  int hint_for = -1;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReplicaWrite, id, key, state, ring, hint_for)
};

struct ReplicaWriteAck {
  static constexpr const char* kType = "replica-write-ack";
  uint64_t id = 0;
  std::string status;  // ok | not-owner
  Json ring;
  int hint_for = -1;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReplicaWriteAck, id, status, ring, hint_for)
};

// Background transfers: a hint to its owner, or an owner's copy to the node taking the key
// over. The receiver merges durably and acknowledges the digest it merged.
struct Transfer {
  static constexpr const char* kType = "transfer";
  std::string purpose;  // hint | handoff
  std::string key;
  Json state;
  uint64_t digest = 0;
  Json ring;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Transfer, purpose, key, state, digest, ring)
};

struct TransferAck {
  static constexpr const char* kType = "transfer-ack";
  std::string purpose;
  std::string key;
  uint64_t digest = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(TransferAck, purpose, key, digest)
};

struct Gossip {
  static constexpr const char* kType = "gossip";
  Json ring;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Gossip, ring)
};

// Anti-entropy: "these are my hashes of these tree nodes at this level"; the receiver
// compares and descends into the ones that differ, or, at the leaves, sends its keys.
struct AeCompare {
  static constexpr const char* kType = "ae-compare";
  uint64_t session = 0;
  int level = 0;
  std::vector<int> indexes;
  std::vector<uint64_t> hashes;
  Json ring;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(AeCompare, session, level, indexes, hashes, ring)
};

// The sender's keys in differing leaves, [[key, state], ...]; the first sync is answered
// with the receiver's own keys of those leaves (reply = true), after it merged.
struct AeSync {
  static constexpr const char* kType = "ae-sync";
  uint64_t session = 0;
  bool reply = false;
  std::vector<int> leaves;
  Json states;
  Json ring;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(AeSync, session, reply, leaves, states, ring)
};

// Tombstone reaping: "merge this tombstone into any copy of the key you hold, and tell me
// whether it now covers everything you hold".
struct ReapQuery {
  static constexpr const char* kType = "reap-query";
  uint64_t round = 0;
  std::string key;
  Json state;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReapQuery, round, key, state)
};

struct ReapReply {
  static constexpr const char* kType = "reap-reply";
  uint64_t round = 0;
  std::string key;
  bool covered = false;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReapReply, round, key, covered)
};

// An operator's membership command (the `member` fault package): leave or join the ring.
struct MemberCommand {
  static constexpr const char* kType = "member-command";
  std::string action;  // leave | join
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(MemberCommand, action)
};

using DynamoMessage =
    std::variant<ClientRequest, ClientReply, ForwardUpdate, ForwardReply, ReplicaRead, ReplicaReadReply, ReplicaWrite,
                 ReplicaWriteAck, Transfer, TransferAck, Gossip, AeCompare, AeSync, ReapQuery, ReapReply,
                 MemberCommand>;

using Codec = JsonCodec<DynamoMessage>;

inline MessagePtr make_dynamo_message(DynamoMessage body) { return make_message(std::move(body)); }

}  // namespace faultline::dynamo
