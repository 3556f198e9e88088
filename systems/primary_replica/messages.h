#pragma once
// The primary-replica store's messages. Each struct names itself (kType) and lists its
// fields once; framework/message.h carries the variant as {"type": kType, ...fields}.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "framework/message.h"
#include "systems/primary_replica/log.h"

namespace faultline::primary_replica {

// Primary -> replica: the entries after (prev_index, prev_epoch), none for a heartbeat, with
// the primary's commit index (the acknowledged position) and the heartbeat round the reply
// echoes (rounds confirm the lease and read barriers).
struct Append {
  static constexpr const char* kType = "append";
  int64_t epoch = 0;
  int64_t prev_index = 0;
  int64_t prev_epoch = 0;
  std::vector<Entry> entries;
  int64_t commit = 0;
  uint64_t round = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Append, epoch, prev_index, prev_epoch, entries, commit, round)
};

// success: the replica holds the primary's log up to match_index, durably. Failure: its log
// does not match at prev_index; conflict_index is where the primary should resume (the
// start of the replica's epoch run there, or its end). epoch above the primary's fences it.
struct AppendReply {
  static constexpr const char* kType = "append_reply";
  int64_t epoch = 0;
  bool success = false;
  int64_t match_index = 0;
  int64_t conflict_index = 0;
  uint64_t round = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(AppendReply, epoch, success, match_index, conflict_index, round)
};

// A request to vote for `epoch` (or, when pre, whether one would: Raft dissertation 9.6).
// forced: an operator's failover, which voters grant even while they hear from a primary.
struct VoteRequest {
  static constexpr const char* kType = "vote";
  int64_t epoch = 0;
  Position last;  // the candidate's last log position
  bool pre = false;
  bool forced = false;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(VoteRequest, epoch, last, pre, forced)
};

struct VoteReply {
  static constexpr const char* kType = "vote_reply";
  int64_t epoch = 0;
  bool granted = false;
  bool pre = false;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(VoteReply, epoch, granted, pre)
};

// A replica serving a read for read_from=primary asks the primary for a read index: its
// commit index confirmed by a heartbeat round (Raft dissertation 6.4.4).
struct ReadIndexRequest {
  static constexpr const char* kType = "read_index";
  int64_t epoch = 0;
  uint64_t id = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReadIndexRequest, epoch, id)
};

struct ReadIndexReply {
  static constexpr const char* kType = "read_index_reply";
  int64_t epoch = 0;
  uint64_t id = 0;
  int64_t read_index = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReadIndexReply, epoch, id, read_index)
};

// A client operation. local: a read the addressed node answers from its own applied state
// (read_from=replica/any). token: the highest position the session has seen (Position{}
// when session tokens are off); a node answers a read only once it has applied that far.
struct ClientRequest {
  static constexpr const char* kType = "request";
  uint64_t client = 0;
  int64_t seq = 0;
  std::string f;
  std::string key;
  Json value;
  bool local = false;
  Position token;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClientRequest, client, seq, f, key, value, local, token)
};

enum class ReplyStatus {
  ok,           // done; value is a read's result
  rejected,     // definite: a cas whose expected value did not match (no effect)
  refused,      // definite: an operation this store does not take (no effect)
  not_primary,  // go elsewhere (primary_hint when known); accepted: this node had logged it
  behind,       // a read whose session token this node has not applied yet: retry
  failed,       // definite failure (only pr.outcome-misreported sends it)
};

NLOHMANN_JSON_SERIALIZE_ENUM(ReplyStatus, {{ReplyStatus::ok, "ok"},
                                           {ReplyStatus::rejected, "rejected"},
                                           {ReplyStatus::refused, "refused"},
                                           {ReplyStatus::not_primary, "not_primary"},
                                           {ReplyStatus::behind, "behind"},
                                           {ReplyStatus::failed, "failed"}})

// position: of an acknowledged write's entry, or of the state a read saw (the session token
// is the greatest one a client has been told).
struct ClientReply {
  static constexpr const char* kType = "reply";
  int64_t seq = 0;
  ReplyStatus status = ReplyStatus::not_primary;
  Json value;
  Position position;
  std::string role;
  int32_t primary_hint = -1;
  bool accepted = false;
  int64_t epoch = 0;  // the answering node's epoch: a client ignores answers from an older one
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClientReply, seq, status, value, position, role, primary_hint, accepted, epoch)
};

// An operator's command (fault package `failover`): campaign for the next epoch now.
struct StepUp {
  static constexpr const char* kType = "step_up";
  friend void to_json(Json& json, const StepUp&) { json = Json::object(); }
  friend void from_json(const Json&, StepUp&) {}
};

using PrMessage = std::variant<Append, AppendReply, VoteRequest, VoteReply, ReadIndexRequest, ReadIndexReply,
                               ClientRequest, ClientReply, StepUp>;

using Codec = JsonCodec<PrMessage>;

template <class T>
MessagePtr make_pr_message(T body) {
  return make_message(PrMessage{std::move(body)});
}

}  // namespace faultline::primary_replica
